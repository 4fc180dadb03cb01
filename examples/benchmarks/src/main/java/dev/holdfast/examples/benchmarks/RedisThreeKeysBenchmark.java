package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/** Three fixed keys, one thread: one script against one round trip per key and step. */
@Threads(1)
public class RedisThreeKeysBenchmark {

  private static final List<String> HOLDFAST = List.of(Workloads.keys("three-keys", "holdfast", 3));
  private static final List<String> REDISSON = List.of(Workloads.keys("three-keys", "redisson", 3));

  /** Creates the benchmark; JMH calls it. */
  public RedisThreeKeysBenchmark() {}

  /**
   * {@code runWithLocks} over the {@code ATOMIC} Redis backend.
   *
   * @param holdfast the template
   */
  @Benchmark
  public void holdfast(RedisStates.Atomic holdfast) {
    holdfast.template().runWithLocks(HOLDFAST, WAIT, LEASE, NOTHING);
  }

  /**
   * A {@code RedissonMultiLock} over the sorted {@code RLock}s.
   *
   * @param client the Redisson client
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void redissonMultiLock(RedisStates.Client client) throws InterruptedException {
    Workloads.multiLockOnce(client.redisson(), REDISSON);
  }
}
