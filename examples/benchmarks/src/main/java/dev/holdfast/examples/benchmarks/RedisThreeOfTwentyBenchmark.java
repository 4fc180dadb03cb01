package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.THREADS;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/**
 * Sixteen threads, each operation three random keys of twenty: contended multi-key locking, in both
 * Holdfast modes, the threads sharing one client; and, in the atomic mode, each on a client of its
 * own.
 */
@Threads(THREADS)
public class RedisThreeOfTwentyBenchmark {

  private static final String[] ATOMIC = Workloads.keys("three-of-twenty", "holdfast", 20);
  private static final String[] COMPATIBLE = Workloads.keys("three-of-twenty", "compatible", 20);
  private static final String[] REDISSON = Workloads.keys("three-of-twenty", "redisson", 20);
  private static final String[] OWN_ATOMIC = Workloads.keys("three-of-twenty", "own-holdfast", 20);
  private static final String[] OWN_REDISSON =
      Workloads.keys("three-of-twenty", "own-redisson", 20);

  /** Creates the benchmark; JMH calls it. */
  public RedisThreeOfTwentyBenchmark() {}

  /**
   * {@code runWithLocks} over the {@code ATOMIC} Redis backend.
   *
   * @param holdfast the template
   */
  @Benchmark
  public void holdfast(RedisStates.Atomic holdfast) {
    holdfast.template().runWithLocks(Workloads.threeOf(ATOMIC), WAIT, LEASE, NOTHING);
  }

  /**
   * {@code runWithLocks} over the {@code REDISSON_COMPATIBLE} Redis backend.
   *
   * @param holdfast the template
   */
  @Benchmark
  public void holdfastCompatible(RedisStates.Compatible holdfast) {
    holdfast.template().runWithLocks(Workloads.threeOf(COMPATIBLE), WAIT, LEASE, NOTHING);
  }

  /**
   * A {@code RedissonMultiLock} over the sorted {@code RLock}s.
   *
   * @param client the Redisson client
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void redissonMultiLock(RedisStates.Client client) throws InterruptedException {
    Workloads.multiLockOnce(client.redisson(), Workloads.threeOf(REDISSON));
  }

  /**
   * {@code runWithLocks} over the {@code ATOMIC} Redis backend, each thread with a client and a
   * provider of its own.
   *
   * @param holdfast the thread's template
   */
  @Benchmark
  public void holdfastOwnClients(RedisStates.OwnAtomic holdfast) {
    holdfast.template().runWithLocks(Workloads.threeOf(OWN_ATOMIC), WAIT, LEASE, NOTHING);
  }

  /**
   * A {@code RedissonMultiLock} over the sorted {@code RLock}s, each thread with a client of its
   * own.
   *
   * @param client the thread's Redisson client
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void redissonMultiLockOwnClients(RedisStates.OwnClient client)
      throws InterruptedException {
    Workloads.multiLockOnce(client.redisson(), Workloads.threeOf(OWN_REDISSON));
  }
}
