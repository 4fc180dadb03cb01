package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.THREADS;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/**
 * Sixteen threads on keys of their own with renewed leases: the cost of starting and stopping
 * renewal on every operation (Holdfast's renewal task, Redisson's watchdog).
 */
@Threads(THREADS)
public class RedisRenewingBenchmark {

  private static final String[] HOLDFAST = Workloads.keys("renewing", "holdfast", THREADS);
  private static final String[] REDISSON = Workloads.keys("renewing", "redisson", THREADS);

  /** Creates the benchmark; JMH calls it. */
  public RedisRenewingBenchmark() {}

  /**
   * {@code runWithLock} without times: the renewing default policy applies.
   *
   * @param holdfast the template
   * @param thread which key is this thread's
   */
  @Benchmark
  public void holdfast(RedisStates.Renewing holdfast, ThreadIndex thread) {
    holdfast.template().runWithLock(thread.keyOf(HOLDFAST), NOTHING);
  }

  /**
   * Redisson's {@code RLock} with its watchdog: {@code tryLock(wait)}, then {@code unlock}.
   *
   * @param client the Redisson client
   * @param thread which key is this thread's
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void redissonWatchdog(RedisStates.Client client, ThreadIndex thread)
      throws InterruptedException {
    Workloads.watchdogLockOnce(client.redisson(), thread.keyOf(REDISSON));
  }
}
