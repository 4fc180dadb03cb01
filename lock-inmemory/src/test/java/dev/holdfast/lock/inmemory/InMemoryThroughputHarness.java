package dev.holdfast.lock.inmemory;

import dev.holdfast.lock.LockAction;
import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rerun it from {@code /work/main} (the {@code -D} options are optional: round length, measured and
 * warm-up rounds):
 *
 * <pre>
 * mvn -B -ntp test-compile dependency:build-classpath -pl lock-inmemory -DincludeScope=runtime -Dmdep.outputFile=target/runtime.classpath \
 *   && java -Dharness.roundMillis=500 -Dharness.rounds=8 -Dharness.warmupRounds=4 \
 *   -cp "lock-inmemory/target/test-classes:lock-inmemory/target/classes:$(cat lock-inmemory/target/runtime.classpath)" \
 *   dev.holdfast.lock.inmemory.InMemoryThroughputHarness
 * </pre>
 *
 * <p>Acquire+release rate of {@code LockTemplate.runWithLock} over {@link InMemoryLockProvider}
 * next to the lock map a user would write by hand ({@code ConcurrentHashMap<String,
 * ReentrantLock>}, {@code computeIfAbsent} + {@code tryLock} + {@code unlock}), measured in one
 * run: the two take turns every round, the one going first alternating, after warm-up rounds that
 * are not counted.
 *
 * <p>Not a test and not JMH: a quick, honest ratio for the closing note. Single-threaded rounds
 * wait zero, as the issue asks; with 16 threads both sides wait up to ten seconds instead, since a
 * zero wait under contention would mostly measure refusals. The hand-rolled map never forgets a
 * key, where the provider removes the entry of every key nobody holds or waits for.
 */
final class InMemoryThroughputHarness {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final LockAction<RuntimeException> NOTHING = held -> {};

  private InMemoryThroughputHarness() {}

  /** One way of taking and releasing a key once. */
  private interface Locker {
    void lockOnce(String key);
  }

  /** The program's entry point; takes no arguments, only the {@code harness.*} properties. */
  public static void main(String[] args) throws Exception {
    long roundNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("harness.roundMillis", 500));
    int rounds = Integer.getInteger("harness.rounds", 8);
    int warmupRounds = Integer.getInteger("harness.warmupRounds", 4);
    System.out.printf(
        Locale.ROOT,
        "Java %s (%s), %d CPUs, rounds of %d ms: %d warm-up + %d measured, median reported%n%n",
        Runtime.version(),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        TimeUnit.NANOSECONDS.toMillis(roundNanos),
        warmupRounds,
        rounds);
    System.out.printf(
        Locale.ROOT,
        "%-20s %16s %18s %8s%n",
        "threads x keys",
        "Holdfast ops/s",
        "hand-rolled ops/s",
        "ratio");
    for (int threads : new int[] {1, 16}) {
      for (int keyCount : new int[] {1, 16}) {
        measure(threads, keyCount, roundNanos, rounds, warmupRounds);
      }
    }
  }

  private static void measure(
      int threads, int keyCount, long roundNanos, int rounds, int warmupRounds)
      throws InterruptedException {
    String[] keys = new String[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = "lock:product:" + i;
    }
    Duration wait = threads == 1 ? Duration.ZERO : Duration.ofSeconds(10);
    long waitNanos = wait.toNanos();

    LockTemplate template = LockTemplate.of(InMemoryLockProvider.create());
    Locker holdfast = key -> template.runWithLock(key, wait, LEASE, NOTHING);

    ConcurrentHashMap<String, ReentrantLock> map = new ConcurrentHashMap<>();
    Locker handRolled =
        key -> {
          ReentrantLock lock = map.computeIfAbsent(key, k -> new ReentrantLock());
          boolean locked;
          try {
            locked =
                waitNanos == 0 ? lock.tryLock() : lock.tryLock(waitNanos, TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
          if (!locked) {
            throw new IllegalStateException("not acquired: " + key);
          }
          lock.unlock();
        };

    List<Double> holdfastRates = new ArrayList<>();
    List<Double> handRolledRates = new ArrayList<>();
    for (int round = 0; round < warmupRounds + rounds; round++) {
      boolean holdfastFirst = round % 2 == 0;
      double first = opsPerSecond(holdfastFirst ? holdfast : handRolled, threads, keys, roundNanos);
      double second =
          opsPerSecond(holdfastFirst ? handRolled : holdfast, threads, keys, roundNanos);
      if (round >= warmupRounds) {
        holdfastRates.add(holdfastFirst ? first : second);
        handRolledRates.add(holdfastFirst ? second : first);
      }
    }
    double holdfastMedian = median(holdfastRates);
    double handRolledMedian = median(handRolledRates);
    System.out.printf(
        Locale.ROOT,
        "%-20s %,16.0f %,18.0f %7.2fx%n",
        threads + " x " + keyCount,
        holdfastMedian,
        handRolledMedian,
        holdfastMedian / handRolledMedian);
  }

  /** Runs {@code locker} on {@code threads} threads for one round; returns the total rate. */
  private static double opsPerSecond(Locker locker, int threads, String[] keys, long roundNanos)
      throws InterruptedException {
    LongAdder operations = new LongAdder();
    List<Throwable> failures = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] endNanos = new long[1];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  ready.countDown();
                  go.await();
                  long end = endNanos[0];
                  long done = 0;
                  int mask = keys.length - 1;
                  // The clock is read once per 256 operations so that it costs little.
                  for (int i = offset; ; i++) {
                    locker.lockOnce(keys[i & mask]);
                    done++;
                    if ((done & 0xFF) == 0 && System.nanoTime() >= end) {
                      break;
                    }
                  }
                  operations.add(done);
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      workers.add(worker);
      worker.start();
    }
    ready.await();
    long start = System.nanoTime();
    endNanos[0] = start + roundNanos;
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    long elapsed = System.nanoTime() - start;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a worker failed", failures.get(0));
    }
    return operations.sum() * 1e9 / elapsed;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
