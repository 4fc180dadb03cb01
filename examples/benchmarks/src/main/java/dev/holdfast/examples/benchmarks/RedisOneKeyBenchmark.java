package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.THREADS;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/**
 * One key: on one thread, the round trips of an uncontended lock and nothing else; on sixteen, how
 * fast and how fairly a hot key changes hands.
 */
public class RedisOneKeyBenchmark {

  private static final String HOLDFAST = Workloads.keys("one-key", "holdfast", 1)[0];
  private static final String REDISSON = Workloads.keys("one-key", "redisson", 1)[0];
  private static final String FLOOR = Workloads.keys("one-key", "floor", 1)[0];
  private static final String HOT_HOLDFAST = Workloads.keys("hot-key", "holdfast", 1)[0];
  private static final String HOT_REDISSON = Workloads.keys("hot-key", "redisson", 1)[0];

  /** Creates the benchmark; JMH calls it. */
  public RedisOneKeyBenchmark() {}

  /**
   * {@code runWithLock} over the {@code ATOMIC} Redis backend, one thread.
   *
   * @param holdfast the template
   */
  @Benchmark
  @Threads(1)
  public void holdfast(RedisStates.Atomic holdfast) {
    holdfast.template().runWithLock(HOLDFAST, WAIT, LEASE, NOTHING);
  }

  /**
   * Redisson's {@code RLock}: {@code tryLock(wait, lease)}, then {@code unlock}, one thread.
   *
   * @param client the Redisson client
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  @Threads(1)
  public void redisson(RedisStates.Client client) throws InterruptedException {
    Workloads.redissonLockOnce(client.redisson(), REDISSON);
  }

  /**
   * The floor of the one-thread row: two round trips of a script that does nothing, what taking and
   * releasing a key by script costs at the least.
   *
   * @param roundTrips the loaded script, on the Redisson client
   */
  @Benchmark
  @Threads(1)
  public void twoRoundTrips(RedisStates.RoundTrips roundTrips) {
    roundTrips.evalSha(FLOOR);
    roundTrips.evalSha(FLOOR);
  }

  /**
   * {@code runWithLock} over the {@code ATOMIC} Redis backend, sixteen threads on the one key.
   *
   * @param holdfast the template
   */
  @Benchmark
  @Threads(THREADS)
  public void holdfastHotKey(RedisStates.Atomic holdfast) {
    holdfast.template().runWithLock(HOT_HOLDFAST, WAIT, LEASE, NOTHING);
  }

  /**
   * Redisson's {@code RLock}, sixteen threads on the one key.
   *
   * @param client the Redisson client
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  @Threads(THREADS)
  public void redissonHotKey(RedisStates.Client client) throws InterruptedException {
    Workloads.redissonLockOnce(client.redisson(), HOT_REDISSON);
  }
}
