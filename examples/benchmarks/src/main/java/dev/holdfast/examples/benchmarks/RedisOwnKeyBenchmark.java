package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.THREADS;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/** Sixteen threads, each on a key of its own: throughput of one client, no contention. */
@Threads(THREADS)
public class RedisOwnKeyBenchmark {

  private static final String[] HOLDFAST = Workloads.keys("own-key", "holdfast", THREADS);
  private static final String[] REDISSON = Workloads.keys("own-key", "redisson", THREADS);

  /** Creates the benchmark; JMH calls it. */
  public RedisOwnKeyBenchmark() {}

  /**
   * {@code runWithLock} over the {@code ATOMIC} Redis backend.
   *
   * @param holdfast the template
   * @param thread which key is this thread's
   */
  @Benchmark
  public void holdfast(RedisStates.Atomic holdfast, ThreadIndex thread) {
    holdfast.template().runWithLock(thread.keyOf(HOLDFAST), WAIT, LEASE, NOTHING);
  }

  /**
   * Redisson's {@code RLock}: {@code tryLock(wait, lease)}, then {@code unlock}.
   *
   * @param client the Redisson client
   * @param thread which key is this thread's
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void redisson(RedisStates.Client client, ThreadIndex thread) throws InterruptedException {
    Workloads.redissonLockOnce(client.redisson(), thread.keyOf(REDISSON));
  }
}
