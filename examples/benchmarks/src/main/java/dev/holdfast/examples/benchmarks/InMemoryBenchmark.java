package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.THREADS;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One key, on one thread and on sixteen: {@code runWithLock} over {@link InMemoryLockProvider} next
 * to the lock map a user writes by hand, {@code ConcurrentHashMap<String, ReentrantLock>} with
 * {@code computeIfAbsent}, {@code tryLock(wait)} and {@code unlock}. Both wait up to {@link
 * Workloads#WAIT}. The hand-rolled map never forgets a key and has no fencing tokens, no re-entry
 * check across calls, no policies and no listeners: it is the floor Holdfast's overhead is measured
 * against.
 */
@State(Scope.Benchmark)
public class InMemoryBenchmark {

  private static final String HOLDFAST = Workloads.keys("in-memory", "holdfast", 1)[0];
  private static final String HAND_ROLLED = Workloads.keys("in-memory", "hand-rolled", 1)[0];
  private static final long WAIT_NANOS = WAIT.toNanos();

  private final LockTemplate template = LockTemplate.of(InMemoryLockProvider.create());
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** Creates the benchmark; JMH calls it. */
  public InMemoryBenchmark() {}

  /** {@code runWithLock} over {@link InMemoryLockProvider}, one thread. */
  @Benchmark
  @Threads(1)
  public void holdfastOneThread() {
    holdfastOnce();
  }

  /**
   * The hand-rolled lock map, one thread.
   *
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  @Threads(1)
  public void handRolledOneThread() throws InterruptedException {
    handRolledOnce();
  }

  /** {@code runWithLock} over {@link InMemoryLockProvider}, sixteen threads on the one key. */
  @Benchmark
  @Threads(THREADS)
  public void holdfastSixteenThreads() {
    holdfastOnce();
  }

  /**
   * The hand-rolled lock map, sixteen threads on the one key.
   *
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  @Threads(THREADS)
  public void handRolledSixteenThreads() throws InterruptedException {
    handRolledOnce();
  }

  private void holdfastOnce() {
    template.runWithLock(HOLDFAST, WAIT, LEASE, NOTHING);
  }

  private void handRolledOnce() throws InterruptedException {
    ReentrantLock lock = locks.computeIfAbsent(HAND_ROLLED, key -> new ReentrantLock());
    if (!lock.tryLock(WAIT_NANOS, TimeUnit.NANOSECONDS)) {
      throw Workloads.notAcquired(HAND_ROLLED);
    }
    lock.unlock();
  }
}
