package dev.holdfast.examples.oversell;

import dev.holdfast.examples.inventory.Order;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One service instance as a process of its own, started by {@link WorkerFleet}. It connects, says
 * {@code ready}, then for each {@code run <STRATEGY> <n>} line on standard input places its share
 * of the burst's first n orders, printing {@code +} per order and then {@code result <tally>};
 * {@code exit} or the end of input ends it.
 */
public final class OversellWorker {

  private OversellWorker() {}

  /**
   * The worker's entry point; its arguments come from {@link WorkerFleet#command}.
   *
   * @param args JDBC URL, table prefix, key prefix, products, stock, orders, seed, whether to check
   *     exclusion, Redis address or {@code -}, index, processes, threads; the embedded H2's
   *     password, if any, comes in the environment variable {@value WorkerFleet#PASSWORD_VARIABLE}
   */
  public static void main(String[] args) {
    // A worker whose parent died (killed, say, before it could close the fleet) ends too, rather
    // than keep connections to the database and Redis open.
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isPresent()) {
      CompletableFuture<?> unused =
          parent.get().onExit().thenRun(() -> Runtime.getRuntime().halt(2));
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try {
      RunSettings settings =
          new RunSettings(
              args[0],
              System.getenv(WorkerFleet.PASSWORD_VARIABLE),
              args[1],
              args[2],
              Integer.parseInt(args[3]),
              Long.parseLong(args[4]),
              Integer.parseInt(args[5]),
              Long.parseLong(args[6]),
              Boolean.parseBoolean(args[7]));
      String redis = args[8].equals("-") ? null : args[8];
      int index = Integer.parseInt(args[9]);
      int processes = Integer.parseInt(args[10]);
      int threads = Integer.parseInt(args[11]);
      List<Order> burst = Burst.orders(settings.orders(), settings.products(), settings.seed());
      try (ServiceInstance instance = new ServiceInstance(settings, threads, redis, order -> {});
          BufferedReader in =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        out.println("ready");
        for (String line = in.readLine();
            line != null && !line.equals("exit");
            line = in.readLine()) {
          String[] command = line.split(" ", -1);
          Strategy strategy = Strategy.valueOf(command[1]);
          List<Order> share =
              Burst.share(burst.subList(0, Integer.parseInt(command[2])), index, processes);
          Tally tally =
              BurstRunner.run(
                  List.of(instance.placer(strategy)), threads, share, () -> out.println("+"));
          out.println("result " + tally.encode());
        }
      }
    } catch (Exception e) {
      out.println("error " + e.toString().replace('\n', ' '));
      System.exit(1);
    }
    System.exit(0);
  }
}
