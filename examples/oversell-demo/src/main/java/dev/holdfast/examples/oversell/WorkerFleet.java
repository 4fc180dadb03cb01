package dev.holdfast.examples.oversell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The service instances as real JVM processes sharing the database and Redis: one {@link
 * OversellWorker} each, started with this JVM's java binary and class path, driven over standard
 * input and output.
 */
final class WorkerFleet implements DemoRun.Instances {

  private final List<Worker> workers = new ArrayList<>();
  private final ExecutorService readers;

  private record Worker(Process process, BufferedReader out, Writer in) {}

  private WorkerFleet(int processes) {
    this.readers = Executors.newFixedThreadPool(processes);
  }

  /**
   * Starts {@code processes} workers, {@code threads} order threads in all, and waits until each
   * has connected.
   *
   * @param settings the run, with the JDBC URL as the workers reach the database
   */
  static WorkerFleet start(
      RunSettings settings, @Nullable String redisAddress, int processes, int threads)
      throws IOException {
    WorkerFleet fleet = new WorkerFleet(processes);
    try {
      for (int i = 0; i < processes; i++) {
        Process process =
            new ProcessBuilder(
                    command(
                        settings,
                        redisAddress,
                        i,
                        processes,
                        DemoRun.threadsOf(i, processes, threads)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        fleet.workers.add(
            new Worker(
                process,
                new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)));
      }
      for (Worker worker : fleet.workers) {
        expect(worker, "ready");
      }
      return fleet;
    } catch (IOException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  static List<String> command(
      RunSettings settings, @Nullable String redisAddress, int index, int processes, int threads) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    return List.of(
        java,
        // C1 and the serial collector start a short-lived JVM about a third faster on two cores.
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp",
        System.getProperty("java.class.path"),
        OversellWorker.class.getName(),
        settings.jdbcUrl(),
        settings.tablePrefix(),
        settings.keyPrefix(),
        Integer.toString(settings.products()),
        Long.toString(settings.stock()),
        Integer.toString(settings.orders()),
        Long.toString(settings.seed()),
        redisAddress == null ? "-" : redisAddress,
        Integer.toString(index),
        Integer.toString(processes),
        Integer.toString(threads));
  }

  @Override
  public Tally place(Strategy strategy, int orderCount, Runnable onOrderDone) throws Exception {
    for (Worker worker : workers) {
      worker.in().write("run " + strategy.name() + " " + orderCount + "\n");
      worker.in().flush();
    }
    List<Future<Tally>> results = new ArrayList<>();
    for (Worker worker : workers) {
      results.add(readers.submit(() -> readResult(worker, onOrderDone)));
    }
    List<Tally> tallies = new ArrayList<>();
    for (Future<Tally> result : results) {
      tallies.add(result.get());
    }
    return Tally.merge(tallies);
  }

  private static Tally readResult(Worker worker, Runnable onOrderDone) throws IOException {
    while (true) {
      String line = expect(worker, "");
      if (line.equals("+")) {
        onOrderDone.run();
      } else if (line.startsWith("result ")) {
        return Tally.decode(line.substring("result ".length()));
      } else {
        throw new IllegalStateException("Worker pid " + worker.process().pid() + " said: " + line);
      }
    }
  }

  /** The worker's next line, which must start with {@code prefix}. */
  private static String expect(Worker worker, String prefix) throws IOException {
    String line = worker.out().readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IllegalStateException(
          "Worker pid "
              + worker.process().pid()
              + (line == null ? " ended" : " said \"" + line + "\"")
              + " where \""
              + prefix
              + "\" was expected");
    }
    return line;
  }

  @Override
  public void close() {
    for (Worker worker : workers) {
      try {
        worker.in().write("exit\n");
        worker.in().close();
      } catch (IOException alreadyGone) {
        // The process ended already; waiting below finds that out.
      }
    }
    for (Worker worker : workers) {
      try {
        if (!worker.process().waitFor(10, TimeUnit.SECONDS)) {
          worker.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.process().destroyForcibly();
      }
    }
    readers.shutdownNow();
  }
}
