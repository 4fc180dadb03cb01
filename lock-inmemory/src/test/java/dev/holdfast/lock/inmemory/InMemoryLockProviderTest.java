package dev.holdfast.lock.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockAction;
import dev.holdfast.lock.LockCallback;
import dev.holdfast.lock.LockInterruptedException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.spi.LockCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the in-memory backend promises beyond the generic contract: its table stays small however
 * many distinct keys pass through it, and a key's fencing tokens keep increasing even when its
 * entry is reclaimed and made anew.
 */
@Timeout(60)
final class InMemoryLockProviderTest {

  private static final String KEY = "lock:product:7";
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration LONG_WAIT = Duration.ofSeconds(30);

  private final InMemoryLockProvider provider = InMemoryLockProvider.create();
  private final LockTemplate locks = LockTemplate.of(provider);

  @Test
  void lockingAMillionDistinctKeysOnceEachLeavesTheTableSmall() {
    int keys = 1_000_000;
    int[] largestTableSeen = {0};

    for (int i = 0; i < keys; i++) {
      locks.runWithLock(
          "lock:order:" + i,
          Duration.ZERO,
          LEASE,
          held -> largestTableSeen[0] = Math.max(largestTableSeen[0], provider.tableSize()));
    }

    assertThat(largestTableSeen[0]).isLessThanOrEqualTo(InMemoryLockProvider.SWEEP_THRESHOLD);
    assertThat(provider.tableSize()).isLessThan(InMemoryLockProvider.SWEEP_THRESHOLD);
    assertThat(provider.keysInUse()).isZero();
  }

  /**
   * The regression: the entries other threads added while one thread swept counted as "left by the
   * sweep", so each sweep could double the threshold. A million distinct keys from four threads
   * left about 400,000 idle entries; eight threads lose the race in nine runs of ten on two cores,
   * and two runs make a pass without the fix unlikely.
   */
  @Test
  void lockingAMillionDistinctKeysFromEightThreadsLeavesTheTableSmall() throws Exception {
    List<Integer> tableSizes = new ArrayList<>();

    for (int run = 0; run < 2; run++) {
      InMemoryLockProvider fresh = InMemoryLockProvider.create();
      lockDistinctKeysOnceEach(LockTemplate.of(fresh), 8, 125_000);
      tableSizes.add(fresh.tableSize());
      assertThat(fresh.keysInUse()).isZero();
    }

    assertThat(tableSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(1_024));
  }

  private static void lockDistinctKeysOnceEach(LockTemplate template, int threads, int perThread)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String prefix = "lock:order:" + t + ":";
      workers.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  template.runWithLock(prefix + i, Duration.ZERO, LEASE, nothing());
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void reclaimsTheEntryOfAnAttemptThatFoundTheKeyTaken() throws Exception {
    KeyHolder holder = KeyHolder.hold(locks, KEY);

    Throwable thrown =
        catchThrowable(() -> locks.runWithLock(KEY, Duration.ZERO, LEASE, nothing()));
    int sizeWhileHeld = provider.keysInUse();
    holder.release();

    assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
    assertThat(sizeWhileHeld).isEqualTo(1);
    assertThatNoEntryIsLeftInUse();
  }

  @Test
  void reclaimsTheEntryOfAnAttemptThatTimedOutWaiting() throws Exception {
    KeyHolder holder = KeyHolder.hold(locks, KEY);

    Throwable thrown =
        catchThrowable(() -> locks.runWithLock(KEY, Duration.ofMillis(20), LEASE, nothing()));
    int sizeWhileHeld = provider.keysInUse();
    holder.release();

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockNotAcquiredException.class, e -> assertThat(e.getMessage()).contains(KEY));
    assertThat(sizeWhileHeld).isEqualTo(1);
    assertThatNoEntryIsLeftInUse();
  }

  @Test
  void reclaimsEveryEntryOfAMultiKeyAttemptBlockedByItsLastKey() throws Exception {
    KeyHolder holder = KeyHolder.hold(locks, "lock:product:9");

    Throwable thrown =
        catchThrowable(
            () ->
                locks.runWithLocks(
                    List.of("lock:product:9", "lock:product:3", "lock:product:5"),
                    Duration.ofMillis(20),
                    LEASE,
                    nothing()));
    int sizeWhileHeld = provider.keysInUse();
    holder.release();

    assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
    assertThat(sizeWhileHeld).isEqualTo(1);
    assertThatNoEntryIsLeftInUse();
  }

  @Test
  void reclaimsTheEntryOfAnAttemptMadeWhileInterrupted() {
    Thread.currentThread().interrupt();

    Throwable thrown = catchThrowable(() -> locks.runWithLock(KEY, LONG_WAIT, LEASE, nothing()));
    boolean interruptRestored = Thread.interrupted();

    assertThat(thrown).isInstanceOf(LockInterruptedException.class);
    assertThat(interruptRestored).isTrue();
    assertThatNoEntryIsLeftInUse();
  }

  @Test
  void reclaimsTheEntryOfAWaiterInterruptedWhileParked() throws Exception {
    KeyHolder holder = KeyHolder.hold(locks, KEY);
    AtomicReference<Throwable> waiterOutcome = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () ->
                waiterOutcome.set(
                    catchThrowable(() -> locks.runWithLock(KEY, LONG_WAIT, LEASE, nothing()))),
            "waiter");
    waiter.setDaemon(true);
    waiter.start();
    awaitState(waiter, Thread.State.TIMED_WAITING);

    waiter.interrupt();
    waiter.join();
    int sizeWhileHeld = provider.keysInUse();
    holder.release();

    assertThat(waiterOutcome.get()).isInstanceOf(LockInterruptedException.class);
    assertThat(sizeWhileHeld).isEqualTo(1);
    assertThatNoEntryIsLeftInUse();
  }

  @Test
  void fencingTokensOfAKeyIncreaseEvenAfterItsEntryWasReclaimed() {
    List<Long> tokens = new ArrayList<>();
    List<Integer> tableSizesBetween = new ArrayList<>();

    for (int i = 0; i < 5; i++) {
      tokens.add(locks.executeWithLock(KEY, Duration.ZERO, LEASE, tokenOf(KEY)));
      locks.runWithLock("lock:product:" + i, Duration.ZERO, LEASE, nothing());
      provider.reclaimIdleEntries();
      tableSizesBetween.add(provider.tableSize());
    }

    assertThat(tableSizesBetween).containsOnly(0);
    assertStrictlyIncreasing(tokens);
  }

  @Test
  void fencingTokensOfAKeyIncreaseInTheOrderThreadsTookIt() throws Exception {
    int threads = 8;
    int rounds = 500;
    List<Long> tokensInLockOrder = new ArrayList<>(); // guarded by KEY itself
    LockCallback<Boolean, RuntimeException> recordToken =
        held -> tokensInLockOrder.add(held.fencingToken(KEY).orElseThrow());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          pool.submit(
              () -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                  locks.executeWithLock(KEY, LONG_WAIT, LEASE, recordToken);
                }
                return null;
              }));
    }

    start.countDown();
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();

    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(tokensInLockOrder).hasSize(threads * rounds);
    assertStrictlyIncreasing(tokensInLockOrder);
    assertThatNoEntryIsLeftInUse();
  }

  @Test
  void declaresFencingTokensAndNothingElse() {
    Set<LockCapability> capabilities = provider.capabilities();

    assertThat(capabilities).containsExactly(LockCapability.FENCING_TOKENS);
    assertThat(capabilities).isUnmodifiable();
  }

  /** A call made on a pool thread, which lives on, leaves the key free for every other thread. */
  @Test
  void aCallOnAPoolThreadReleasesTheKeyForOtherThreads() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Long> tokenOnPoolThread =
        pool.submit(() -> locks.executeWithLock(KEY, Duration.ZERO, LEASE, tokenOf(KEY)));
    tokenOnPoolThread.get();

    long tokenHere = locks.executeWithLock(KEY, Duration.ZERO, LEASE, tokenOf(KEY));
    pool.shutdown();

    assertThat(tokenHere).isGreaterThan(tokenOnPoolThread.get());
    assertThatNoEntryIsLeftInUse();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void separateInstancesDoNotExcludeEachOther() throws Exception {
    LockTemplate otherLocks = LockTemplate.of(InMemoryLockProvider.create());
    KeyHolder holder = KeyHolder.hold(locks, KEY);

    boolean tookItToo = otherLocks.executeWithLock(KEY, Duration.ZERO, LEASE, held -> true);
    holder.release();

    assertThat(tookItToo).isTrue();
  }

  static LockCallback<Long, RuntimeException> tokenOf(String key) {
    return held -> held.fencingToken(key).orElseThrow();
  }

  static LockAction<RuntimeException> nothing() {
    return held -> {};
  }

  /** Every entry is idle, so that a sweep leaves the table empty. */
  private void assertThatNoEntryIsLeftInUse() {
    assertThat(provider.keysInUse()).isZero();
    provider.reclaimIdleEntries();
    assertThat(provider.tableSize()).isZero();
  }

  static void assertStrictlyIncreasing(List<Long> tokens) {
    for (int i = 1; i < tokens.size(); i++) {
      assertThat(tokens.get(i))
          .as("token %d of %d", i, tokens.size())
          .isGreaterThan(tokens.get(i - 1));
    }
  }

  /** Spins until {@code thread} is in {@code state}; the test's timeout bounds the spin. */
  static void awaitState(Thread thread, Thread.State state) {
    while (thread.getState() != state) {
      if (thread.getState() == Thread.State.TERMINATED) {
        throw new AssertionError(thread + " ended before reaching " + state);
      }
      Thread.onSpinWait();
    }
  }
}
