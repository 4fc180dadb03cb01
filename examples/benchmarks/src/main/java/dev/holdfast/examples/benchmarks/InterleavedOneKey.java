package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The one-key, one-thread row measured so that the machine's drift cannot decide it: Holdfast, its
 * floor (two round trips of a no-op script) and Redisson's {@code RLock} take turns in one JVM on
 * one Redisson client, a short window each, round after round, and each ratio is taken within a
 * round, between windows seconds apart. JMH runs each contender in a fork of its own, minutes
 * apart, and on this machine the speed of the same code moves by more between such forks than the
 * margins of these targets (BENCHMARKS.md, "Interleaved").
 *
 * <p>Each window also reads the client JVM's CPU time and the Redis server's ({@code INFO cpu}),
 * per operation: the floor is cheap for Redis, a lock is not, and on two cores the two share the
 * CPU.
 *
 * <p>Settings are system properties, all optional but the first ({@code run-benchmarks.sh} sets
 * them): {@code holdfast.benchmarks.redis} ({@code redis://host:port} of a server of this run's
 * own), {@code holdfast.benchmarks.interleaved.warmupRounds} (8), {@code .rounds} (15), {@code
 * .windowMillis} (2000).
 */
public final class InterleavedOneKey {

  private static final String PROPERTY = "holdfast.benchmarks.interleaved.";
  private static final String KEY = Workloads.keys("interleaved", "holdfast", 1)[0];
  private static final String FLOOR_KEY = Workloads.keys("interleaved", "floor", 1)[0];
  private static final String RLOCK_KEY = Workloads.keys("interleaved", "redisson", 1)[0];

  // The contenders' indexes in a round's windows, and their names in the report.
  static final int HOLDFAST = 0;
  static final int FLOOR = 1;
  static final int RLOCK = 2;
  private static final List<String> NAMES =
      List.of("Holdfast `runWithLock`", "floor: two no-op `EVALSHA`s", "Redisson `RLock`");

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private InterleavedOneKey() {}

  /**
   * How to run it.
   *
   * @param redisAddress {@code redis://host:port}
   * @param warmupRounds rounds run first and not counted: C2 needs 10 to 14 s to compile Holdfast's
   *     call (BENCHMARKS.md, "Warm-up")
   * @param rounds rounds counted
   * @param window how long each contender runs in a round
   */
  record Settings(String redisAddress, int warmupRounds, int rounds, Duration window) {

    Settings {
      if (warmupRounds < 0) {
        throw new IllegalArgumentException(PROPERTY + "warmupRounds must be >= 0: " + warmupRounds);
      }
      if (rounds < 1) {
        throw new IllegalArgumentException(PROPERTY + "rounds must be >= 1: " + rounds);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException(PROPERTY + "windowMillis must be > 0: " + window);
      }
    }

    static Settings fromSystemProperties() {
      String address = System.getProperty("holdfast.benchmarks.redis");
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException(
            "holdfast.benchmarks.redis must be redis://host:port, was " + address);
      }
      return new Settings(
          address,
          Integer.getInteger(PROPERTY + "warmupRounds", 8),
          Integer.getInteger(PROPERTY + "rounds", 15),
          Duration.ofMillis(Long.getLong(PROPERTY + "windowMillis", 2_000)));
    }
  }

  /** One contender's window: its rate, and what each operation cost the client and the server. */
  record Window(double opsPerSecond, double clientCpuMicrosPerOp, double redisCpuMicrosPerOp) {}

  /** The median of a set of figures, and their range. */
  record Spread(double median, double min, double max) {

    static Spread of(double[] values) {
      if (values.length == 0) {
        throw new IllegalArgumentException("values must not be empty");
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int middle = sorted.length / 2;
      double median =
          sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
      return new Spread(median, sorted[0], sorted[sorted.length - 1]);
    }

    String format(String pattern) {
      return String.format(
          Locale.ROOT, pattern + " (" + pattern + " to " + pattern + ")", median, min, max);
    }
  }

  /**
   * The counted windows, {@code windows.get(round).get(contender)}, contenders in the order {@link
   * #HOLDFAST}, {@link #FLOOR}, {@link #RLOCK}.
   */
  record Result(Settings settings, List<List<Window>> windows) {

    Result {
      windows = windows.stream().map(List::copyOf).toList();
    }

    double[] ratios(int contender, int peer, ToDoubleFunction<Window> figure) {
      return windows.stream()
          .mapToDouble(
              round ->
                  figure.applyAsDouble(round.get(contender))
                      / figure.applyAsDouble(round.get(peer)))
          .toArray();
    }

    Spread spread(int contender, ToDoubleFunction<Window> figure) {
      return Spread.of(
          windows.stream()
              .mapToDouble(round -> figure.applyAsDouble(round.get(contender)))
              .toArray());
    }

    /** The markdown the run prints: each contender's figures, then the ratios and targets. */
    String table() {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "Interleaved, 1 key, 1 thread: %d rounds of %d ms a contender after %d rounds of"
                  + " warm-up; median (lowest to highest) over the rounds%n%n",
              windows.size(),
              settings.window().toMillis(),
              settings.warmupRounds()));
      out.append("| contender | ops/s | client CPU µs/op | Redis CPU µs/op |\n");
      out.append("| --- | ---: | ---: | ---: |\n");
      for (int c = 0; c < NAMES.size(); c++) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s |%n",
                NAMES.get(c),
                spread(c, Window::opsPerSecond).format("%,.0f"),
                spread(c, Window::clientCpuMicrosPerOp).format("%.0f"),
                spread(c, Window::redisCpuMicrosPerOp).format("%.1f")));
      }
      out.append("\n| ratio, within each round | median (lowest to highest) | target | met? |\n");
      out.append("| --- | ---: | --- | --- |\n");
      ratioRow(out, "Holdfast / floor", HOLDFAST, FLOOR, 0.8);
      ratioRow(out, "Holdfast / `RLock`", HOLDFAST, RLOCK, 1.5);
      ratioRow(out, "floor / `RLock`", FLOOR, RLOCK, Double.NaN);
      return out.toString();
    }

    /** Three decimals: a median just under its target must not print as the target itself. */
    private void ratioRow(StringBuilder out, String label, int contender, int peer, double target) {
      Spread ratio = Spread.of(ratios(contender, peer, Window::opsPerSecond));
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s |%n",
              label,
              ratio.format("%.3f×"),
              Double.isNaN(target) ? "–" : String.format(Locale.ROOT, "≥ %.1f×", target),
              Double.isNaN(target) ? "–" : ratio.median() >= target ? "yes" : "**no**"));
    }
  }

  /**
   * Runs the rounds and prints the table.
   *
   * @param args none: settings are system properties
   */
  public static void main(String[] args) {
    if (args.length > 0) {
      throw new IllegalArgumentException(
          "InterleavedOneKey takes no arguments, only -D"
              + PROPERTY
              + "* properties; was "
              + Arrays.toString(args));
    }
    System.out.print(run(Settings.fromSystemProperties()).table());
  }

  static Result run(Settings settings) {
    RedisStates.Client client = new RedisStates.Client();
    client.redisAddress = settings.redisAddress();
    client.connect();
    RedisStates.Atomic holdfast = new RedisStates.Atomic();
    try (RedisInfo redis = RedisInfo.connect(settings.redisAddress())) {
      holdfast.setUp(client);
      RedisStates.RoundTrips floor = new RedisStates.RoundTrips();
      floor.load(client);
      // In the order of HOLDFAST, FLOOR and RLOCK: one operation of each.
      List<Runnable> contenders =
          List.of(
              () -> holdfast.template().runWithLock(KEY, WAIT, LEASE, NOTHING),
              () -> {
                floor.evalSha(FLOOR_KEY);
                floor.evalSha(FLOOR_KEY);
              },
              () -> lockRedisson(client));
      long windowNanos = settings.window().toNanos();
      for (int round = 0; round < settings.warmupRounds(); round++) {
        for (Runnable contender : contenders) {
          measure(contender, windowNanos, redis);
        }
      }
      Window[][] windows = new Window[settings.rounds()][contenders.size()];
      for (int round = 0; round < settings.rounds(); round++) {
        // Each round starts with another contender: none is always the one after a pause.
        for (int turn = 0; turn < contenders.size(); turn++) {
          int c = (round + turn) % contenders.size();
          windows[round][c] = measure(contenders.get(c), windowNanos, redis);
        }
      }
      return new Result(settings, Arrays.stream(windows).map(List::of).toList());
    } finally {
      holdfast.close();
      client.shutdown();
    }
  }

  private static void lockRedisson(RedisStates.Client client) {
    try {
      Workloads.redissonLockOnce(client.redisson(), RLOCK_KEY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while taking " + RLOCK_KEY, e);
    }
  }

  /** Runs {@code contender} for about {@code nanos}, whole operations only. */
  private static Window measure(Runnable contender, long nanos, RedisInfo redis) {
    long redisBefore = redis.cpuMicros();
    long cpuBefore = OS.getProcessCpuTime();
    long start = System.nanoTime();
    long end = start + nanos;
    long ops = 0;
    long now;
    do {
      contender.run();
      ops++;
      now = System.nanoTime();
    } while (now - end < 0);
    long cpu = OS.getProcessCpuTime() - cpuBefore;
    long redisCpu = redis.cpuMicros() - redisBefore;
    return new Window(ops * 1e9 / (now - start), cpu / 1e3 / ops, (double) redisCpu / ops);
  }
}
