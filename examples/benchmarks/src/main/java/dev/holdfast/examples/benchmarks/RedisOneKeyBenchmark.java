package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/** One key, one thread: the round trips of an uncontended lock and nothing else. */
@Threads(1)
public class RedisOneKeyBenchmark {

  private static final String HOLDFAST = Workloads.keys("one-key", "holdfast", 1)[0];
  private static final String REDISSON = Workloads.keys("one-key", "redisson", 1)[0];

  /** Creates the benchmark; JMH calls it. */
  public RedisOneKeyBenchmark() {}

  /**
   * {@code runWithLock} over the {@code ATOMIC} Redis backend.
   *
   * @param holdfast the template
   */
  @Benchmark
  public void holdfast(RedisStates.Atomic holdfast) {
    holdfast.template().runWithLock(HOLDFAST, WAIT, LEASE, NOTHING);
  }

  /**
   * Redisson's {@code RLock}: {@code tryLock(wait, lease)}, then {@code unlock}.
   *
   * @param client the Redisson client
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void redisson(RedisStates.Client client) throws InterruptedException {
    Workloads.redissonLockOnce(client.redisson(), REDISSON);
  }
}
