package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LockAction;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.RedissonMultiLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * Acquire+release rate, latency and Redis commands per acquisition of {@link LockTemplate} over
 * {@link RedissonLockProvider} in {@link Mode#ATOMIC} and {@link Mode#REDISSON_COMPATIBLE}, next to
 * what a Redisson user writes by hand: {@code RLock.tryLock(wait, lease, unit)} and {@code
 * unlock()}, and for several keys a {@link RedissonMultiLock} of the sorted {@code RLock}s. Every
 * contender waits up to 10 s, holds a fixed 30 s lease (no watchdog) and runs an empty callback.
 * For each workload the three take turns every round, the one going first rotating, after one
 * warm-up round each that is not counted.
 *
 * <p>Reported per contender: the median of the rounds' rates, counting the operations that ended
 * inside the round; p50 and p99 of the time from calling to having released, pooled over the
 * measured rounds; for contended workloads also p99 of the wait, from calling to holding every key;
 * and Redis commands per acquisition, from {@code INFO commandstats} after a {@code CONFIG
 * RESETSTAT} before each measured round (every command but {@code INFO} and {@code CONFIG}, the
 * ones Lua scripts call included, over every acquisition of the round, also those that ended after
 * it).
 *
 * <p>Not a test and not JMH: a quick, honest comparison on one machine. Each contender has its own
 * Redisson client from {@link TestRedisson#connect}, so all three have the same connection pools
 * and none inherits another's subscriptions.
 *
 * <p>Run it from the repository root (the {@code -D} options are optional and show the defaults:
 * measured rounds, round length, warm-up length per contender, which workloads):
 *
 * <pre>
 * ./mvnw -B -ntp -pl lock-redisson -am install -DskipTests \
 *   && ./mvnw -B -ntp -pl lock-redisson test-compile dependency:build-classpath \
 *        -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test \
 *   && java -XX:+UseParallelGC \
 *        -Dharness.rounds=5 -Dharness.roundMillis=3000 -Dharness.warmupMillis=2000 \
 *        -Dharness.workloads=1,2,3,4,5 \
 *        -cp "lock-redisson/target/test-classes:lock-redisson/target/classes:$(cat lock-redisson/target/cp.txt)" \
 *        dev.holdfast.lock.redisson.RedisThroughputHarness
 * </pre>
 *
 * <p>About four and a half minutes with the defaults on two cores. It needs {@code redis-server} on
 * the {@code PATH} (or Docker) and starts its own server on a free loopback port; it never touches
 * another one.
 */
final class RedisThroughputHarness {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final int THREADS = 16;
  private static final String REDISSON = "Redisson RLock";

  /** Time for asynchronous unsubscribes that an acquisition started to reach the server. */
  private static final long SETTLE_MILLIS = 200;

  private static final Pattern COMMAND_STAT = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+),");

  private RedisThroughputHarness() {}

  /** Takes and releases a set of keys once; one instance per worker thread. */
  private interface Locker {

    /**
     * Takes every key, runs the (empty) work and releases them.
     *
     * @return the {@link System#nanoTime()} at which every key was held
     * @throws NotAcquired if the wait ended first
     */
    long lockOnce(List<String> keys) throws InterruptedException;
  }

  /** One way of locking, with its own key names so that no two contenders share a key. */
  private record Contender(String name, String keyPrefix, Supplier<Locker> lockers) {}

  /** Picks the keys of the next operation of one worker thread. */
  private interface KeyChooser {
    Supplier<List<String>> forThread(String[] keys, int thread);
  }

  private record Workload(
      int number, String title, int threads, int keyCount, boolean contended, KeyChooser chooser) {}

  /** A lock the wait ended for; thrown by the Redisson locker, where tryLock says false. */
  private static final class NotAcquired extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAcquired(List<String> keys) {
      super("Not acquired within " + WAIT + ": " + keys, null, false, false);
    }
  }

  /** The program's entry point; takes no arguments, only the {@code harness.*} properties. */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int rounds = Integer.getInteger("harness.rounds", 5);
    long roundNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("harness.roundMillis", 3000));
    long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("harness.warmupMillis", 2000));
    List<Integer> selected =
        Arrays.stream(System.getProperty("harness.workloads", "1,2,3,4,5").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    if (rounds < 1 || roundNanos <= 0 || warmupNanos < 0) {
      throw new IllegalArgumentException(
          "harness.rounds must be at least 1, was "
              + rounds
              + "; harness.roundMillis positive, was "
              + TimeUnit.NANOSECONDS.toMillis(roundNanos)
              + "; harness.warmupMillis not negative, was "
              + TimeUnit.NANOSECONDS.toMillis(warmupNanos));
    }

    try (RedisServer server = RedisServer.start()) {
      RedissonClient atomicClient = TestRedisson.connect(server);
      RedissonClient compatibleClient = TestRedisson.connect(server);
      RedissonClient redissonClient = TestRedisson.connect(server);
      try (RedissonLockProvider atomic =
              RedissonLockProvider.builder(atomicClient).mode(Mode.ATOMIC).build();
          RedissonLockProvider compatible =
              RedissonLockProvider.builder(compatibleClient)
                  .mode(Mode.REDISSON_COMPATIBLE)
                  .build()) {
        List<Contender> contenders =
            List.of(
                new Contender("Holdfast ATOMIC", "atomic", holdfast(LockTemplate.of(atomic))),
                new Contender(
                    "Holdfast REDISSON_COMPATIBLE",
                    "compatible",
                    holdfast(LockTemplate.of(compatible))),
                new Contender(REDISSON, "redisson", redisson(redissonClient)));

        printSetup(server, redissonClient, rounds, roundNanos, warmupNanos);
        for (Workload workload : workloads()) {
          if (selected.contains(workload.number())) {
            measure(server, workload, contenders, rounds, roundNanos, warmupNanos);
          }
        }
      } finally {
        TestRedisson.shutdown(atomicClient);
        TestRedisson.shutdown(compatibleClient);
        TestRedisson.shutdown(redissonClient);
      }
    }
  }

  private static List<Workload> workloads() {
    KeyChooser first = (keys, thread) -> fixed(keys[0]);
    return List.of(
        new Workload(1, "1 key, 1 thread", 1, 1, false, first),
        new Workload(
            2,
            "1 key each, 16 threads, 16 keys (thread i uses key i)",
            THREADS,
            THREADS,
            false,
            (keys, thread) -> fixed(keys[thread])),
        new Workload(
            3,
            "3 fixed keys, 1 thread",
            1,
            3,
            false,
            (keys, thread) -> fixed(keys[0], keys[1], keys[2])),
        new Workload(
            4,
            "3 of 20 random keys, 16 threads (contended)",
            THREADS,
            20,
            true,
            (keys, thread) -> () -> threeOf(keys)),
        new Workload(5, "one hot key, 16 threads (contended)", THREADS, 1, true, first));
  }

  private static Supplier<List<String>> fixed(String... keys) {
    List<String> list = List.of(keys);
    return () -> list;
  }

  /** Three distinct keys in random order: each contender puts them in its own order. */
  private static List<String> threeOf(String[] keys) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int a = random.nextInt(keys.length);
    int b;
    do {
      b = random.nextInt(keys.length);
    } while (b == a);
    int c;
    do {
      c = random.nextInt(keys.length);
    } while (c == a || c == b);
    return List.of(keys[a], keys[b], keys[c]);
  }

  private static Supplier<Locker> holdfast(LockTemplate template) {
    return () -> {
      long[] heldAt = new long[1];
      LockAction<RuntimeException> recordTime = held -> heldAt[0] = System.nanoTime();
      return keys -> {
        if (keys.size() == 1) {
          template.runWithLock(keys.get(0), WAIT, LEASE, recordTime);
        } else {
          template.runWithLocks(keys, WAIT, LEASE, recordTime);
        }
        return heldAt[0];
      };
    };
  }

  /** What a Redisson user writes: one RLock, or a multi-lock over the RLocks in sorted order. */
  private static Supplier<Locker> redisson(RedissonClient client) {
    long waitMillis = WAIT.toMillis();
    long leaseMillis = LEASE.toMillis();
    return () ->
        keys -> {
          RLock lock;
          if (keys.size() == 1) {
            lock = client.getLock(keys.get(0));
          } else {
            String[] sorted = keys.toArray(new String[0]);
            Arrays.sort(sorted);
            RLock[] locks = new RLock[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
              locks[i] = client.getLock(sorted[i]);
            }
            lock = new RedissonMultiLock(locks);
          }
          if (!lock.tryLock(waitMillis, leaseMillis, TimeUnit.MILLISECONDS)) {
            throw new NotAcquired(keys);
          }
          long heldAt = System.nanoTime();
          lock.unlock();
          return heldAt;
        };
  }

  private static void printSetup(
      RedisServer server, RedissonClient client, int rounds, long roundNanos, long warmupNanos) {
    String redisVersion = infoField(server.call("INFO", "server"), "redis_version");
    System.out.printf(
        Locale.ROOT,
        "# Redis lock throughput: Holdfast on Redisson vs plain Redisson%n%n"
            + "- JDK %s (%s), %d cores available, GC %s%n"
            + "- Redis %s: a redis-server of this run's own on %s:%d%n"
            + "- Redisson %s: one client per contender, each from TestRedisson.connect (%s)%n"
            + "- RedissonLockProvider defaults: responseTimeout %d ms, pollInterval %d ms%n"
            + "- wait %d s, fixed lease %d s (no watchdog), empty callback%n"
            + "- per contender and workload: 1 warm-up round of %d ms, then %d measured rounds of"
            + " %d ms, contenders taking turns, the first rotating every round%n"
            + "- ops/s: median of the measured rounds; latency (call to released) and wait (call"
            + " to held): pooled over them; Redis commands: INFO commandstats after CONFIG"
            + " RESETSTAT, all but INFO and CONFIG, Lua-called ones included%n",
        Runtime.version(),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        gcNames(),
        redisVersion,
        server.host(),
        server.port(),
        Redisson.class.getPackage().getImplementationVersion(),
        poolSettings(client),
        RedissonLockProvider.DEFAULT_RESPONSE_TIMEOUT.toMillis(),
        RedissonLockProvider.DEFAULT_POLL_INTERVAL.toMillis(),
        WAIT.toSeconds(),
        LEASE.toSeconds(),
        TimeUnit.NANOSECONDS.toMillis(warmupNanos),
        rounds,
        TimeUnit.NANOSECONDS.toMillis(roundNanos));
  }

  private static String gcNames() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining(", "));
  }

  /** The client's pool settings, read back from its configuration rather than restated. */
  private static String poolSettings(RedissonClient client) {
    String yaml;
    try {
      yaml = client.getConfig().toYAML();
    } catch (IOException | RuntimeException e) {
      return "settings unreadable: " + e;
    }
    List<String> settings = new ArrayList<>();
    for (String name :
        List.of(
            "connectionPoolSize",
            "connectionMinimumIdleSize",
            "subscriptionConnectionPoolSize",
            "subscriptionConnectionMinimumIdleSize",
            "subscriptionsPerConnection",
            "timeout",
            "retryAttempts",
            "pingConnectionInterval",
            "threads",
            "nettyThreads")) {
      Matcher value = Pattern.compile("(?m)^\\s*" + name + ": *(\\S+)").matcher(yaml);
      if (value.find()) {
        settings.add(name + " " + value.group(1));
      }
    }
    return String.join(", ", settings);
  }

  private static void measure(
      RedisServer server,
      Workload workload,
      List<Contender> contenders,
      int rounds,
      long roundNanos,
      long warmupNanos)
      throws InterruptedException {
    System.err.printf(Locale.ROOT, "workload %d: %s%n", workload.number(), workload.title());
    Map<Contender, Tally> tallies = new LinkedHashMap<>();
    Map<Contender, String[]> keys = new HashMap<>();
    for (Contender contender : contenders) {
      tallies.put(contender, new Tally(workload.threads()));
      String[] names = new String[workload.keyCount()];
      for (int i = 0; i < names.length; i++) {
        names[i] =
            String.format(
                Locale.ROOT, "bench:w%d:%s:k%02d", workload.number(), contender.keyPrefix(), i);
      }
      keys.put(contender, names);
    }

    for (int round = -1; round < rounds; round++) {
      boolean warmup = round < 0;
      for (int turn = 0; turn < contenders.size(); turn++) {
        Contender contender = contenders.get(Math.floorMod(round + 1 + turn, contenders.size()));
        if (warmup) {
          runRound(contender, workload, keys.get(contender), warmupNanos);
          continue;
        }
        server.call("CONFIG", "RESETSTAT");
        Round result = runRound(contender, workload, keys.get(contender), roundNanos);
        Thread.sleep(SETTLE_MILLIS);
        Map<String, Long> commands = commandStats(server.call("INFO", "commandstats"));
        tallies.get(contender).add(result, roundNanos, commands);
        System.err.printf(
            Locale.ROOT,
            "  round %d %-28s %,10.0f ops/s%n",
            round + 1,
            contender.name(),
            result.windowOps * 1e9 / roundNanos);
      }
    }
    print(workload, tallies);
  }

  /** Runs one contender on the workload's threads for one round. */
  private static Round runRound(Contender contender, Workload workload, String[] keys, long nanos)
      throws InterruptedException {
    int threads = workload.threads();
    Worker[] workers = new Worker[threads];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] end = new long[1];
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Supplier<List<String>> chooser = workload.chooser().forThread(keys, t);
      Worker worker = new Worker(contender.lockers().get(), chooser, ready, go, end);
      workers[t] = worker;
      Thread thread = new Thread(worker, "bench-" + contender.keyPrefix() + "-" + t);
      started.add(thread);
      thread.start();
    }
    ready.await();
    end[0] = System.nanoTime() + nanos;
    go.countDown();
    for (Thread thread : started) {
      thread.join();
    }
    return new Round(workers);
  }

  /** One worker thread of a round: takes and releases keys until the round's end. */
  private static final class Worker implements Runnable {

    private final Locker locker;
    private final Supplier<List<String>> keys;
    private final CountDownLatch ready;
    private final CountDownLatch go;
    private final long[] end;

    final LongList latencies = new LongList();
    final LongList waits = new LongList();
    long windowOps;
    long allOps;
    long timeouts;
    long errors;
    @Nullable Throwable firstError;

    Worker(
        Locker locker,
        Supplier<List<String>> keys,
        CountDownLatch ready,
        CountDownLatch go,
        long[] end) {
      this.locker = locker;
      this.keys = keys;
      this.ready = ready;
      this.go = go;
      this.end = end;
    }

    @Override
    public void run() {
      ready.countDown();
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      // The latch publishes end[0], written before go.countDown().
      long endNanos = end[0];
      while (true) {
        List<String> next = keys.get();
        long start = System.nanoTime();
        if (start - endNanos >= 0) {
          return;
        }
        try {
          long heldAt = locker.lockOnce(next);
          long done = System.nanoTime();
          allOps++;
          // Operations that end after the round ran partly alone: not counted in rate or latency.
          if (done - endNanos < 0) {
            windowOps++;
            latencies.add(done - start);
            waits.add(heldAt - start);
          }
        } catch (LockNotAcquiredException | NotAcquired e) {
          timeouts++;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          errors++;
          if (firstError == null) {
            firstError = e;
          }
        }
      }
    }
  }

  /** What the workers of one round did. */
  private static final class Round {

    final long windowOps;
    final long allOps;
    final long timeouts;
    final long errors;
    final @Nullable Throwable firstError;
    final long[] threadOps;
    final LongList latencies = new LongList();
    final LongList waits = new LongList();

    Round(Worker[] workers) {
      long window = 0;
      long all = 0;
      long timedOut = 0;
      long failed = 0;
      Throwable first = null;
      threadOps = new long[workers.length];
      for (int t = 0; t < workers.length; t++) {
        Worker worker = workers[t];
        window += worker.windowOps;
        all += worker.allOps;
        timedOut += worker.timeouts;
        failed += worker.errors;
        if (first == null) {
          first = worker.firstError;
        }
        threadOps[t] = worker.windowOps;
        latencies.addAll(worker.latencies);
        waits.addAll(worker.waits);
      }
      windowOps = window;
      allOps = all;
      timeouts = timedOut;
      errors = failed;
      firstError = first;
    }
  }

  /** One contender's measured rounds of one workload. */
  private static final class Tally {

    final List<Double> rates = new ArrayList<>();
    final LongList latencies = new LongList();
    final LongList waits = new LongList();
    final Map<String, Long> commands = new TreeMap<>();
    final long[] threadOps;
    long allOps;
    long timeouts;
    long errors;
    @Nullable Throwable firstError;

    Tally(int threads) {
      threadOps = new long[threads];
    }

    void add(Round round, long roundNanos, Map<String, Long> roundCommands) {
      rates.add(round.windowOps * 1e9 / roundNanos);
      latencies.addAll(round.latencies);
      waits.addAll(round.waits);
      roundCommands.forEach((name, calls) -> commands.merge(name, calls, Long::sum));
      for (int t = 0; t < threadOps.length; t++) {
        threadOps[t] += round.threadOps[t];
      }
      allOps += round.allOps;
      timeouts += round.timeouts;
      errors += round.errors;
      if (firstError == null) {
        firstError = round.firstError;
      }
    }

    double medianRate() {
      double[] sorted = rates.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      int middle = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    double commandsPerOp() {
      long total = commands.values().stream().mapToLong(Long::longValue).sum();
      return allOps == 0 ? Double.NaN : (double) total / allOps;
    }
  }

  private static void print(Workload workload, Map<Contender, Tally> tallies) {
    Tally peer =
        tallies.entrySet().stream()
            .filter(entry -> entry.getKey().name().equals(REDISSON))
            .findFirst()
            .orElseThrow()
            .getValue();
    double peerRate = peer.medianRate();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n## %d. %s%n%n", workload.number(), workload.title()));
    out.append("| contender | ops/s | vs Redisson | p50 µs | p99 µs |");
    out.append(workload.contended() ? " p99 wait µs |" : "");
    out.append(" Redis commands/op |\n");
    out.append("| --- | ---: | ---: | ---: | ---: |");
    out.append(workload.contended() ? " ---: |" : "");
    out.append(" ---: |\n");
    tallies.forEach(
        (contender, tally) -> {
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %,.0f | %.2fx | %,d | %,d |",
                  contender.name(),
                  tally.medianRate(),
                  tally.medianRate() / peerRate,
                  micros(tally.latencies.percentile(0.50)),
                  micros(tally.latencies.percentile(0.99))));
          if (workload.contended()) {
            out.append(String.format(Locale.ROOT, " %,d |", micros(tally.waits.percentile(0.99))));
          }
          out.append(String.format(Locale.ROOT, " %.2f |%n", tally.commandsPerOp()));
        });
    out.append('\n');
    tallies.forEach(
        (contender, tally) -> {
          out.append(String.format(Locale.ROOT, "- %s: ", contender.name()));
          out.append(
              String.format(
                  Locale.ROOT,
                  "rounds %s ops/s",
                  tally.rates.stream()
                      .map(rate -> String.format(Locale.ROOT, "%,.0f", rate))
                      .collect(Collectors.joining(" / "))));
          if (workload.threads() > 1) {
            long min = Arrays.stream(tally.threadOps).min().orElse(0);
            long max = Arrays.stream(tally.threadOps).max().orElse(0);
            out.append(String.format(Locale.ROOT, "; ops per thread %,d to %,d", min, max));
          }
          out.append("; commands/op ");
          out.append(
              tally.commands.entrySet().stream()
                  .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                  .map(
                      entry ->
                          String.format(
                              Locale.ROOT,
                              "%s %.2f",
                              entry.getKey(),
                              (double) entry.getValue() / Math.max(1, tally.allOps)))
                  .collect(Collectors.joining(", ")));
          if (tally.timeouts > 0 || tally.errors > 0) {
            out.append(
                String.format(
                    Locale.ROOT,
                    "; NOT ACQUIRED within %d s: %d, errors: %d%s",
                    WAIT.toSeconds(),
                    tally.timeouts,
                    tally.errors,
                    tally.firstError == null ? "" : " (first: " + tally.firstError + ")"));
          }
          out.append('\n');
        });
    System.out.print(out);
    System.out.flush();
  }

  private static long micros(long nanos) {
    return TimeUnit.NANOSECONDS.toMicros(nanos);
  }

  /** Calls per command since the last CONFIG RESETSTAT, but the harness's own INFO and CONFIG. */
  private static Map<String, Long> commandStats(@Nullable Object info) {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : String.valueOf(info).split("\r?\n")) {
      Matcher stat = COMMAND_STAT.matcher(line);
      if (stat.find()) {
        String name = stat.group(1);
        if (!name.startsWith("info") && !name.startsWith("config")) {
          calls.put(name, Long.parseLong(stat.group(2)));
        }
      }
    }
    return calls;
  }

  private static String infoField(@Nullable Object info, String field) {
    for (String line : String.valueOf(info).split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return "unknown";
  }

  /** A growable array of longs, so that samples are not boxed. */
  private static final class LongList {

    private long[] values = new long[1024];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    void addAll(LongList other) {
      if (size + other.size > values.length) {
        values = Arrays.copyOf(values, Math.max(size + other.size, size * 2));
      }
      System.arraycopy(other.values, 0, values, size, other.size);
      size += other.size;
    }

    /** Nearest-rank percentile; sorts in place. Zero when empty. */
    long percentile(double fraction) {
      if (size == 0) {
        return 0;
      }
      Arrays.sort(values, 0, size);
      int rank = (int) Math.ceil(fraction * size);
      return values[Math.max(0, rank - 1)];
    }
  }
}
