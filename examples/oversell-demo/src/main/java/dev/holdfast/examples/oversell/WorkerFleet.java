package dev.holdfast.examples.oversell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The service instances as real JVM processes sharing the database and Redis: one {@link
 * OversellWorker} each, started with this JVM's java binary and class path, driven over standard
 * input and output. A shutdown hook destroys the workers if this JVM ends before closing the fleet,
 * and each worker ends itself when this JVM does.
 */
final class WorkerFleet implements DemoRun.Instances {

  /** The environment variable through which a worker gets the embedded H2's password. */
  static final String PASSWORD_VARIABLE = "OVERSELL_DEMO_DB_PASSWORD";

  /**
   * Extra JVM options for the workers, space-separated: the tests set C1 only, which starts a
   * short-lived JVM faster; the demo's measured runs use the default JIT.
   */
  static final String JVM_OPTIONS_PROPERTY = "oversell-demo.worker-jvm-options";

  /** How long a worker may take to connect. */
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  /** How long a worker may stay silent during a burst: it reports every order it places. */
  private static final Duration ORDER_WITHIN = Duration.ofSeconds(60);

  /** What a worker's line pump queues when its output ends. */
  private static final String END = "\u0000end";

  private final List<Worker> workers = new ArrayList<>();
  private final Thread destroyWorkers = new Thread(this::destroyAll, "destroy-oversell-workers");

  private record Worker(Process process, BlockingQueue<String> lines, Writer in) {}

  private WorkerFleet() {}

  /**
   * Starts {@code processes} workers, {@code threads} order threads in all, and waits until each
   * has connected.
   *
   * @param settings the run, with the JDBC URL as the workers reach the database
   */
  static WorkerFleet start(
      RunSettings settings, @Nullable String redisAddress, int processes, int threads)
      throws IOException, InterruptedException {
    WorkerFleet fleet = new WorkerFleet();
    Runtime.getRuntime().addShutdownHook(fleet.destroyWorkers);
    try {
      for (int i = 0; i < processes; i++) {
        ProcessBuilder builder =
            new ProcessBuilder(
                    command(
                        settings,
                        redisAddress,
                        i,
                        processes,
                        DemoRun.threadsOf(i, processes, threads)))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (settings.jdbcPassword() != null) {
          builder.environment().put(PASSWORD_VARIABLE, settings.jdbcPassword());
        }
        Process process = builder.start();
        fleet.workers.add(
            new Worker(
                process,
                pump(process),
                new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)));
      }
      for (Worker worker : fleet.workers) {
        expect(worker, "ready", READY_WITHIN);
      }
      return fleet;
    } catch (IOException | InterruptedException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  /** Queues the process's output lines, then {@link #END}, from a daemon thread. */
  private static BlockingQueue<String> pump(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Thread pump =
        new Thread(
            () -> {
              try (out) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The pipe broke: the process is gone, which END reports.
              } finally {
                lines.add(END);
              }
            },
            "worker-" + process.pid() + "-output");
    pump.setDaemon(true);
    pump.start();
    return lines;
  }

  static List<String> command(
      RunSettings settings, @Nullable String redisAddress, int index, int processes, int threads) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command = new ArrayList<>();
    command.add(java);
    Arrays.stream(System.getProperty(JVM_OPTIONS_PROPERTY, "").split(" ", -1))
        .filter(option -> !option.isBlank())
        .forEach(command::add);
    command.addAll(
        List.of(
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
            Boolean.toString(settings.checkExclusion()),
            redisAddress == null ? "-" : redisAddress,
            Integer.toString(index),
            Integer.toString(processes),
            Integer.toString(threads)));
    return command;
  }

  @Override
  public Tally place(Strategy strategy, int orderCount, Runnable onOrderDone)
      throws IOException, InterruptedException {
    for (Worker worker : workers) {
      worker.in().write("run " + strategy.name() + " " + orderCount + "\n");
      worker.in().flush();
    }
    // The pumps read every worker's output meanwhile, so reading one worker after another only
    // orders the progress steps.
    List<Tally> tallies = new ArrayList<>();
    for (Worker worker : workers) {
      tallies.add(readResult(worker, onOrderDone));
    }
    return Tally.merge(tallies);
  }

  private static Tally readResult(Worker worker, Runnable onOrderDone) throws InterruptedException {
    while (true) {
      String line = expect(worker, "", ORDER_WITHIN);
      if (line.equals("+")) {
        onOrderDone.run();
      } else if (line.startsWith("result ")) {
        return Tally.decode(line.substring("result ".length()));
      } else {
        throw new IllegalStateException("Worker pid " + worker.process().pid() + " said: " + line);
      }
    }
  }

  /** The worker's next line within {@code within}, which must start with {@code prefix}. */
  private static String expect(Worker worker, String prefix, Duration within)
      throws InterruptedException {
    String line = worker.lines().poll(within.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null || line.equals(END) || !line.startsWith(prefix)) {
      throw new IllegalStateException(
          "Worker pid "
              + worker.process().pid()
              + (line == null
                  ? " said nothing for " + within.toSeconds() + " s"
                  : line.equals(END) ? " ended" : " said \"" + line + "\"")
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
    try {
      for (Worker worker : workers) {
        if (!worker.process().waitFor(10, TimeUnit.SECONDS)) {
          worker.process().destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroyAll();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(destroyWorkers);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or ran: it destroys the workers too.
    }
  }

  private void destroyAll() {
    workers.forEach(worker -> worker.process().destroyForcibly());
  }
}
