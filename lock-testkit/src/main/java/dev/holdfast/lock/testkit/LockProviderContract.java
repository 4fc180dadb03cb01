package dev.holdfast.lock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockInterruptedException;
import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockOrderViolationException;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.Ticker;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every Holdfast backend keeps. A backend's test extends this class once and
 * implements {@link #createProvider()}:
 *
 * <pre>{@code
 * final class InMemoryLockProviderContractTest extends LockProviderContract {
 *   @Override
 *   protected LockProvider createProvider() {
 *     return InMemoryLockProvider.create();
 *   }
 * }
 * }</pre>
 *
 * <p>The tests are grouped in {@link Nested} classes. The groups for a {@link LockCapability} run
 * only when the provider declares it, and are reported as skipped otherwise; every other group runs
 * for every backend. The groups that need two independent clients run when {@link
 * #createSecondClient()} supplies one, and fail when the provider declares {@link
 * LockCapability#CROSS_CLIENT_EXCLUSION} without supplying one.
 *
 * <p><b>Timing.</b> Waits are checked against a stated tolerance: a call that gives up must end
 * between its wait time and its wait time plus {@value #WAIT_TOLERANCE_MILLIS} ms. Every duration
 * the kit uses, tolerance included, is multiplied by {@link #timingScale()}, which a backend whose
 * round trips are slow may raise. No test is retried: a lock library must not hide races.
 *
 * <p>Keys are prefixed with a random string per test, so tests never see each other's keys, even on
 * a shared server.
 */
public abstract class LockProviderContract {

  /** How far past its wait time a call that gives up may end, before scaling. */
  protected static final long WAIT_TOLERANCE_MILLIS = 300;

  private static final long LONG_WAIT_MILLIS = 10_000;
  private static final Duration LEASE = Duration.ofSeconds(30);

  private LockProvider provider;
  private LockTemplate template;
  private LockTemplate quietTemplate;
  private RecordingListener events;
  private @Nullable LockProvider secondClient;
  private ExecutorService threads;
  private final List<HeldElsewhere> holders = new ArrayList<>();
  private String keyPrefix;

  /**
   * For subclasses, one per backend; each test gets a fresh provider from {@link
   * #createProvider()}.
   */
  protected LockProviderContract() {}

  /**
   * Creates the provider under test; called before every test. It is closed after the test if it
   * implements {@link AutoCloseable}.
   *
   * @return a new, working provider
   * @throws Exception if it cannot be created; the test fails
   */
  protected abstract LockProvider createProvider() throws Exception;

  /**
   * Creates a second provider that shares the first one's store but is otherwise independent (its
   * own client and connections), to prove exclusion between clients. Called at most once per test,
   * after {@link #createProvider()}.
   *
   * @return the second client, or empty if the backend has no such notion
   * @throws Exception if it cannot be created; the test fails
   */
  protected Optional<LockProvider> createSecondClient() throws Exception {
    return Optional.empty();
  }

  /**
   * Returns the factor applied to every duration of the kit: raise it for a backend with slow round
   * trips. 1.0 by default.
   *
   * @return a factor of at least 1.0
   */
  protected double timingScale() {
    return 1.0;
  }

  @BeforeEach
  final void contractSetUp() throws Exception {
    if (timingScale() < 1.0) {
      throw new IllegalStateException("timingScale() must be at least 1.0, was " + timingScale());
    }
    keyPrefix = "holdfast-contract:" + UUID.randomUUID() + ":";
    threads = Executors.newCachedThreadPool();
    provider = createProvider();
    events = new RecordingListener();
    template = LockTemplate.builder(provider).listener(events).build();
    quietTemplate = LockTemplate.of(provider);
  }

  @AfterEach
  final void contractTearDown() throws Exception {
    for (HeldElsewhere holder : holders) {
      holder.close();
    }
    threads.shutdownNow();
    boolean stopped =
        threads.awaitTermination(scaled(LONG_WAIT_MILLIS).toMillis(), TimeUnit.MILLISECONDS);
    close(secondClient);
    close(provider);
    assertThat(stopped).as("every thread the test started has ended").isTrue();
  }

  private static void close(@Nullable LockProvider provider) throws Exception {
    if (provider instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The groups

  /** Ownership belongs to the acquisition, not to a thread: any thread may release a handle. */
  @Nested
  class ThreadIndependence {

    @Test
    void aHandleAcquiredOnOneThreadIsReleasedOnAnother() throws Exception {
      List<String> k = keys("a", "b");
      LockRequest request = LockRequest.of(k, Duration.ZERO, LEASE, LeaseMode.FIXED, "contract");
      Acquisition acquisition =
          provider.acquire(request, Deadline.after(Duration.ZERO, Ticker.systemTicker()));
      LockHandle handle = ((Acquisition.Acquired) acquisition).handle();

      List<String> lost = onAnotherThread(handle::release);

      assertThat(lost).isEmpty();
      assertThat(isFree(k)).isTrue();
    }
  }

  /** A call takes its keys, runs the callback and gives them back. */
  @Nested
  class RoundTrip {

    @Test
    void runsTheCallbackWithItsKeysDeduplicatedInTheBackendsOrder() {
      List<String> asked = keys("c", "a", "b", "a");

      List<String> seen = template.executeWithLocks(asked, longWait(), LEASE, held -> held.keys());

      List<String> expected = new ArrayList<>(keys("a", "b", "c"));
      expected.sort(provider.keyOrder());
      assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void returnsTheCallbacksValue() {
      Object value = new Object();

      Object returned = template.executeWithLock(key("k"), longWait(), LEASE, held -> value);

      assertThat(returned).isSameAs(value);
    }

    @Test
    void releasesEveryKeyAfterTheCallbackReturns() throws Exception {
      template.runWithLocks(keys("a", "b"), longWait(), LEASE, held -> {});

      assertThat(isFree(keys("a", "b"))).isTrue();
    }

    @Test
    void takesTheSameKeyAgainAndAgain() {
      AtomicInteger runs = new AtomicInteger();

      for (int i = 0; i < 200; i++) {
        template.runWithLock(key("k"), Duration.ZERO, LEASE, held -> runs.incrementAndGet());
      }

      assertThat(runs).hasValue(200);
    }
  }

  /** While a key is held, nobody else gets it. */
  @Nested
  class Exclusion {

    @Test
    void anotherThreadCannotTakeAHeldKey() throws Exception {
      holdElsewhere(quietTemplate, keys("k"));

      Throwable thrown = onAnotherThread(() -> attempt(keys("k"), Duration.ZERO));

      assertThat(thrown)
          .isInstanceOfSatisfying(
              LockNotAcquiredException.class,
              e -> assertThat(e.blockingKeys()).containsExactly(key("k")));
    }

    @Test
    void aWaitingThreadGetsTheKeyOnceItIsReleased() throws Exception {
      HeldElsewhere holder = holdElsewhere(quietTemplate, keys("k"));
      Future<Long> waiter =
          threads.submit(
              () ->
                  template.executeWithLock(key("k"), longWait(), LEASE, held -> System.nanoTime()));
      sleep(scaled(50));

      long releasedAt = System.nanoTime();
      holder.close();
      long acquiredAt = waiter.get(scaled(LONG_WAIT_MILLIS).toMillis(), TimeUnit.MILLISECONDS);

      assertThat(acquiredAt).isGreaterThan(releasedAt);
    }

    @Test
    void aSecondClientCannotTakeAKeyTheFirstHolds() throws Exception {
      LockTemplate second = LockTemplate.of(requireSecondClient());
      holdElsewhere(quietTemplate, keys("k"));

      Throwable thrown =
          onAnotherThread(
              () -> catching(() -> second.runWithLock(key("k"), Duration.ZERO, LEASE, held -> {})));

      assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
    }

    @Test
    void theFirstClientCannotTakeAKeyTheSecondHolds() throws Exception {
      LockTemplate second = LockTemplate.of(requireSecondClient());
      holdElsewhere(second, keys("k"));

      Throwable thrown = onAnotherThread(() -> attempt(keys("k"), Duration.ZERO));

      assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
    }
  }

  /** Callers listing overlapping keys in any order never wait for each other forever. */
  @Nested
  class DeadlockFreedom {

    @Test
    void overlappingKeySetsInReversedOrdersNeverDeadlock() throws Exception {
      List<String> pool = keys("a", "b", "c", "d", "e");
      Duration wait = longWait();
      int callers = 8;
      int callsEach = 100;
      AtomicLong slowest = new AtomicLong();
      List<Callable<Integer>> work = new ArrayList<>();
      for (int caller = 0; caller < callers; caller++) {
        Random random = new Random(caller);
        boolean reversed = caller % 2 == 1;
        work.add(
            () -> {
              int done = 0;
              for (int call = 0; call < callsEach; call++) {
                List<String> chosen = new ArrayList<>(pool);
                Collections.shuffle(chosen, random);
                chosen = new ArrayList<>(chosen.subList(0, 2 + random.nextInt(pool.size() - 1)));
                chosen.sort(reversed ? Collections.reverseOrder() : null);
                long start = System.nanoTime();
                template.runWithLocks(chosen, wait, LEASE, held -> Thread.yield());
                slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                done++;
              }
              return done;
            });
      }

      int completed = 0;
      for (Future<Integer> result : threads.invokeAll(work)) {
        completed += result.get();
      }

      assertThat(completed).isEqualTo(callers * callsEach);
      assertThat(Duration.ofNanos(slowest.get())).isLessThanOrEqualTo(wait.plus(tolerance()));
    }
  }

  /** A call takes every key or none, and waits for the whole set no longer than its wait time. */
  @Nested
  class AllOrNothing {

    @Test
    void aTimedOutCallHoldsNoneOfItsKeysAndNamesTheBlockingOne() throws Exception {
      holdElsewhere(quietTemplate, keys("b"));

      Throwable thrown = attempt(keys("a", "b", "c"), scaled(100));

      assertThat(thrown)
          .isInstanceOfSatisfying(
              LockNotAcquiredException.class,
              e -> assertThat(e.blockingKeys()).containsExactly(key("b")));
      assertThat(isFree(keys("a"))).as("a is free").isTrue();
      assertThat(isFree(keys("c"))).as("c is free").isTrue();
    }

    @Test
    void aCallThatGivesUpEndsWithinItsWaitPlusTheTolerance() throws Exception {
      Duration wait = scaled(300);
      holdElsewhere(quietTemplate, keys("k"));

      long start = System.nanoTime();
      Throwable thrown = attempt(keys("k"), wait);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
      assertThat(elapsed).isBetween(wait, wait.plus(tolerance()));
      assertThat(((LockNotAcquiredException) thrown).waited()).isGreaterThanOrEqualTo(wait);
    }

    @Test
    void oneDeadlineBoundsTheWholeSetNotEachKey() throws Exception {
      Duration wait = scaled(1_000);
      HeldElsewhere holdsA = holdElsewhere(quietTemplate, keys("a"));
      holdElsewhere(quietTemplate, keys("b"));
      Future<?> releaseOfA =
          threads.submit(
              () -> {
                sleep(wait.multipliedBy(6).dividedBy(10));
                holdsA.close();
                return null;
              });

      long start = System.nanoTime();
      Throwable thrown = attempt(keys("a", "b"), wait);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
      assertThat(elapsed).isLessThanOrEqualTo(wait.plus(tolerance()));
      releaseOfA.get();
    }

    @Test
    void aZeroWaitTriesOnceWithoutWaiting() throws Exception {
      holdElsewhere(quietTemplate, keys("k"));

      long start = System.nanoTime();
      Throwable thrown = attempt(keys("k"), Duration.ZERO);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

      assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
      assertThat(elapsed).isLessThanOrEqualTo(tolerance());
    }
  }

  /** A blocked request of an atomic backend holds none of its keys even while it waits. */
  @Nested
  class AtomicMultiKey {

    @BeforeEach
    void requiresAtomicMultiKey() {
      requireCapability(LockCapability.ATOMIC_MULTI_KEY);
    }

    @Test
    void aWaitingRequestHoldsNoneOfItsKeys() throws Exception {
      holdElsewhere(quietTemplate, keys("c"));
      Future<Throwable> waiting = threads.submit(() -> attempt(keys("a", "b", "c"), scaled(1_000)));
      sleep(scaled(200));

      boolean aFreeWhileWaiting = isFree(keys("a"));
      boolean bFreeWhileWaiting = isFree(keys("b"));

      assertThat(aFreeWhileWaiting).isTrue();
      assertThat(bFreeWhileWaiting).isTrue();
      assertThat(waiting.get()).isInstanceOf(LockNotAcquiredException.class);
    }
  }

  /** Whatever the callback does, its keys are released and its outcome reaches the caller as is. */
  @Nested
  class Release {

    @Test
    void aCheckedExceptionPassesThroughUnchangedAndTheKeysAreReleased() throws Exception {
      assertPassesThroughAndReleases(new Exception("checked, thrown on purpose"));
    }

    @Test
    void aRuntimeExceptionPassesThroughUnchangedAndTheKeysAreReleased() throws Exception {
      assertPassesThroughAndReleases(new IllegalStateException("thrown on purpose"));
    }

    @Test
    void anErrorPassesThroughUnchangedAndTheKeysAreReleased() throws Exception {
      assertPassesThroughAndReleases(new AssertionError("thrown on purpose"));
    }

    private void assertPassesThroughAndReleases(Throwable failure) throws Exception {
      List<String> k = keys("a", "b");

      Throwable thrown =
          catching(
              () ->
                  template.runWithLocks(
                      k,
                      longWait(),
                      LEASE,
                      held -> {
                        if (failure instanceof Error error) {
                          throw error;
                        }
                        throw (Exception) failure;
                      }));

      assertThat(thrown).isNotNull().isSameAs(failure);
      assertThat(thrown.getSuppressed()).isEmpty();
      assertThat(isFree(k)).isTrue();
    }
  }

  /** A nested call on the same thread reuses what the thread holds, and keeps the one order. */
  @Nested
  class Reentry {

    @Test
    void aNestedCallOnHeldKeysRunsWithoutWaiting() {
      String result =
          template.executeWithLocks(
              keys("a", "b"),
              longWait(),
              LEASE,
              outer ->
                  template.executeWithLock(key("b"), Duration.ZERO, LEASE, inner -> "nested ran"));

      assertThat(result).isEqualTo("nested ran");
    }

    @Test
    void aNestedCallTakesLaterKeysAndReleasesOnlyThoseWhenItEnds() throws Exception {
      List<Boolean> observed = new ArrayList<>();
      // Later in the backend's order, which need not be string order (Redis Cluster: by slot).
      List<String> ordered = sorted(keys("a", "c"));
      List<String> outerKey = ordered.subList(0, 1);
      List<String> laterKey = ordered.subList(1, 2);

      template.runWithLocks(
          outerKey,
          longWait(),
          LEASE,
          outer -> {
            template.runWithLocks(
                ordered, longWait(), LEASE, inner -> observed.add(isFree(laterKey)));
            observed.add(isFree(laterKey));
            observed.add(isFree(outerKey));
          });

      assertThat(observed)
          .as("the later key held inside and free after the nested call, the outer one still held")
          .containsExactly(false, true, false);
      assertThat(isFree(keys("a", "c"))).isTrue();
    }

    @Test
    void aNestedCallOnAnEarlierKeyFailsFastAndTheOuterKeysStayHeld() throws Exception {
      AtomicReference<Throwable> nested = new AtomicReference<>();
      AtomicLong nestedNanos = new AtomicLong();
      List<String> ordered = new ArrayList<>(keys("a", "b"));
      ordered.sort(provider.keyOrder());
      String early = ordered.get(0);
      String late = ordered.get(1);

      boolean lateFreeInside =
          template.executeWithLock(
              late,
              longWait(),
              LEASE,
              outer -> {
                long start = System.nanoTime();
                nested.set(catching(() -> template.runWithLock(early, longWait(), LEASE, h -> {})));
                nestedNanos.set(System.nanoTime() - start);
                return isFree(List.of(late));
              });

      assertThat(nested.get())
          .isInstanceOfSatisfying(
              LockOrderViolationException.class,
              e -> {
                assertThat(e.requestedKey()).isEqualTo(early);
                assertThat(e.heldKeys()).containsExactly(late);
              });
      assertThat(Duration.ofNanos(nestedNanos.get())).isLessThan(tolerance());
      assertThat(lateFreeInside).as("the outer key stays held").isFalse();
      assertThat(isFree(keys("a", "b"))).isTrue();
    }
  }

  /** An interrupted caller stops waiting, keeps its interrupt flag, and holds nothing. */
  @Nested
  class Interruption {

    @Test
    void anInterruptWhileWaitingThrowsRestoresTheFlagAndHoldsNothing() throws Exception {
      holdElsewhere(quietTemplate, keys("k"));
      AtomicReference<String> outcome = new AtomicReference<>("still waiting");
      Thread waiter =
          new Thread(
              () -> {
                try {
                  template.runWithLocks(keys("a", "k"), longWait(), LEASE, held -> {});
                  outcome.set("acquired");
                } catch (LockInterruptedException e) {
                  outcome.set("interrupted, flag set: " + Thread.currentThread().isInterrupted());
                }
              });
      waiter.start();
      sleep(scaled(100));

      waiter.interrupt();
      waiter.join(tolerance().toMillis());

      assertThat(outcome.get()).isEqualTo("interrupted, flag set: true");
      assertThat(isFree(keys("a"))).isTrue();
    }

    @Test
    void aCallerAlreadyInterruptedAcquiresNothing() throws Exception {
      Thread.currentThread().interrupt();

      Throwable thrown = attempt(keys("k"), longWait());
      boolean flagKept = Thread.interrupted();

      assertThat(thrown).isInstanceOf(LockInterruptedException.class);
      assertThat(flagKept).isTrue();
      assertThat(isFree(keys("k"))).isTrue();
    }
  }

  /** A key whose lease ends is free again, and its holder learns it lost the key. */
  @Nested
  class LeaseExpiry {

    @BeforeEach
    void requiresLeaseExpiry() {
      requireCapability(LockCapability.LEASE_EXPIRY);
    }

    @Test
    void aKeyWhoseHolderNeverReleasesIsFreedWhenItsLeaseEnds() throws Exception {
      Duration lease = scaled(300);
      LockRequest request =
          LockRequest.of(keys("k"), Duration.ZERO, lease, LeaseMode.FIXED, "contract");
      Acquisition abandoned =
          provider.acquire(request, Deadline.after(Duration.ZERO, Ticker.systemTicker()));
      assertThat(abandoned).isInstanceOf(Acquisition.Acquired.class);
      assertThat(isFree(keys("k"))).as("held before the lease ends").isFalse();

      String ran = template.executeWithLock(key("k"), longWait(), LEASE, held -> "ran");

      assertThat(ran).isEqualTo("ran");
      LockHandle handle = ((Acquisition.Acquired) abandoned).handle();
      assertThat(handle.lostKeys()).containsExactly(key("k"));
      assertThat(handle.release()).containsExactly(key("k"));
    }

    @Test
    void aCallbackThatOutlivesItsFixedLeaseIsToldItLostTheKey() {
      Duration lease = scaled(200);
      List<String> k = keys("k");

      Throwable thrown =
          catching(
              () ->
                  template.runWithLocks(
                      k,
                      longWait(),
                      lease,
                      held -> {
                        awaitCondition(() -> !held.isHeld());
                        assertThat(isFree(k)).as("another caller gets the key").isTrue();
                        assertThatThrownBy(held::checkHeld).isInstanceOf(LockLostException.class);
                      }));

      assertThat(thrown)
          .isInstanceOfSatisfying(
              LockLostException.class, e -> assertThat(e.lostKeys()).containsExactlyElementsOf(k));
      assertThat(events.events()).contains("lost " + k);
    }
  }

  /** A renewing lease keeps a slow callback's keys, and renewal stops at release. */
  @Nested
  class LeaseRenewal {

    @BeforeEach
    void requiresLeaseRenewal() {
      requireCapability(LockCapability.LEASE_RENEWAL);
    }

    @Test
    void aRenewingLeaseOutlivesThreeLeasesAndEndsAtRelease() throws Exception {
      LockTemplate renewing =
          LockTemplate.builder(provider)
              .policies(
                  LockPolicies.builder()
                      .defaultPolicy(
                          LockPolicy.custom("renewing").leaseMode(LeaseMode.RENEWING).build())
                      .build())
              .listener(events)
              .build();
      // Long enough that a renewal a third of the way in still lands when a loaded two-core
      // machine delays it by a whole scheduler tick or a GC pause.
      Duration lease = scaled(600);
      List<String> k = keys("k");
      List<Boolean> freeWhileHeld = new ArrayList<>();

      boolean heldAtEnd =
          renewing.executeWithLocks(
              k,
              longWait(),
              lease,
              held -> {
                long end = System.nanoTime() + lease.multipliedBy(3).toNanos();
                while (System.nanoTime() < end) {
                  freeWhileHeld.add(isFree(k));
                  sleep(lease.dividedBy(4));
                }
                return held.isHeld();
              });

      assertThat(freeWhileHeld).isNotEmpty().containsOnly(false);
      assertThat(heldAtEnd).isTrue();
      assertThat(isFree(k)).as("free right after release").isTrue();
      assertThat(events.events()).noneMatch(event -> event.startsWith("lost"));
    }
  }

  /** Each acquisition of a key gets a token greater than every earlier one of that key. */
  @Nested
  class FencingTokens {

    @BeforeEach
    void requiresFencingTokens() {
      requireCapability(LockCapability.FENCING_TOKENS);
    }

    @Test
    void everyKeyOfACallHasAToken() {
      List<Boolean> present =
          template.executeWithLocks(
              keys("a", "b"),
              longWait(),
              LEASE,
              held ->
                  List.of(
                      held.fencingToken(key("a")).isPresent(),
                      held.fencingToken(key("b")).isPresent()));

      assertThat(present).containsOnly(true);
    }

    @Test
    void tokensStrictlyIncreaseForEachAcquisitionOfAKey() {
      List<Long> tokensOfA = new ArrayList<>();
      List<Long> tokensOfB = new ArrayList<>();

      for (int i = 0; i < 20; i++) {
        template.runWithLocks(
            keys("a", "b"),
            longWait(),
            LEASE,
            held -> {
              tokensOfA.add(held.fencingToken(key("a")).orElseThrow());
              tokensOfB.add(held.fencingToken(key("b")).orElseThrow());
            });
      }

      assertStrictlyIncreasing(tokensOfA);
      assertStrictlyIncreasing(tokensOfB);
    }

    @Test
    void tokensIncreaseInAcquisitionOrderAcrossThreads() throws Exception {
      List<Long> tokens = new ArrayList<>();

      runConcurrently(
          4, 50, caller -> template, held -> tokens.add(held.fencingToken(key("k")).orElseThrow()));

      assertThat(tokens).hasSize(200);
      assertStrictlyIncreasing(tokens);
    }

    @Test
    void tokensIncreaseInAcquisitionOrderAcrossClients() throws Exception {
      LockTemplate second = LockTemplate.of(requireSecondClient());
      List<Long> tokens = new ArrayList<>();

      runConcurrently(
          4,
          50,
          caller -> caller % 2 == 0 ? template : second,
          held -> tokens.add(held.fencingToken(key("k")).orElseThrow()));

      assertThat(tokens).hasSize(200);
      assertStrictlyIncreasing(tokens);
    }
  }

  /** A backend that does not declare fencing tokens issues none. */
  @Nested
  class NoFencingTokens {

    @BeforeEach
    void requiresNoFencingTokens() {
      assumeFalse(
          provider.capabilities().contains(LockCapability.FENCING_TOKENS),
          "the backend declares FENCING_TOKENS");
    }

    @Test
    void aBackendWithoutFencingTokensReportsNone() {
      boolean present =
          template.executeWithLock(
              key("k"), longWait(), LEASE, held -> held.fencingToken(key("k")).isPresent());

      assertThat(present).isFalse();
    }
  }

  /**
   * Unsynchronised read-modify-write under the lock from many threads loses no update: the final
   * count is exact, and no two callbacks ever overlap.
   */
  @Nested
  class FuzzCounter {

    @Test
    void threadsIncrementingUnderTheLockLoseNoUpdate() throws Exception {
      Counter counter = new Counter();

      runConcurrently(8, 250, caller -> template, counter::incrementRacily);

      assertThat(counter.value).isEqualTo(8 * 250);
      assertThat(counter.mostInside.get()).isEqualTo(1);
    }

    @Test
    void twoClientsIncrementingUnderTheLockLoseNoUpdate() throws Exception {
      LockTemplate second = LockTemplate.of(requireSecondClient());
      Counter counter = new Counter();

      runConcurrently(
          8, 250, caller -> caller % 2 == 0 ? template : second, counter::incrementRacily);

      assertThat(counter.value).isEqualTo(8 * 250);
      assertThat(counter.mostInside.get()).isEqualTo(1);
    }
  }

  /** Listeners see every outcome, and one that throws changes nothing. */
  @Nested
  class Listeners {

    @Test
    void reportsAttemptAcquisitionAndReleaseInOrder() {
      List<String> k = sorted(keys("a", "b"));

      template.runWithLocks(k, longWait(), LEASE, held -> {});

      assertThat(events.events()).containsExactly("attempt " + k, "acquired " + k, "released " + k);
    }

    @Test
    void reportsATimeoutWithTheBlockingKey() throws Exception {
      List<String> k = sorted(keys("a", "b"));
      holdElsewhere(quietTemplate, keys("b"));

      attempt(k, scaled(50));

      assertThat(events.events())
          .containsExactly("attempt " + k, "not acquired " + k + " blocked by " + keys("b"));
    }

    @Test
    void aThrowingListenerNeitherChangesTheResultNorBlocksRelease() throws Exception {
      LockTemplate withThrowingListener =
          LockTemplate.builder(provider).listener(new ThrowingListener()).listener(events).build();

      String result =
          withThrowingListener.executeWithLocks(keys("a", "b"), longWait(), LEASE, held -> "done");

      assertThat(result).isEqualTo("done");
      assertThat(isFree(keys("a", "b"))).isTrue();
      assertThat(events.events()).hasSize(3);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Prefixes {@code name} with this test's random key prefix. */
  private String key(String name) {
    return keyPrefix + name;
  }

  private List<String> keys(String... names) {
    List<String> keys = new ArrayList<>(names.length);
    for (String name : names) {
      keys.add(key(name));
    }
    return keys;
  }

  private List<String> sorted(List<String> keys) {
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(provider.keyOrder());
    return sorted;
  }

  private Duration scaled(long millis) {
    return Duration.ofMillis(Math.round(millis * timingScale()));
  }

  private Duration longWait() {
    return scaled(LONG_WAIT_MILLIS);
  }

  private Duration tolerance() {
    return scaled(WAIT_TOLERANCE_MILLIS);
  }

  private void requireCapability(LockCapability capability) {
    assumeTrue(
        provider.capabilities().contains(capability),
        () -> "the backend does not declare " + capability);
  }

  private LockProvider requireSecondClient() throws Exception {
    if (secondClient == null) {
      Optional<LockProvider> created = createSecondClient();
      if (created.isEmpty()) {
        if (provider.capabilities().contains(LockCapability.CROSS_CLIENT_EXCLUSION)) {
          fail("The backend declares CROSS_CLIENT_EXCLUSION: override createSecondClient()");
        }
        assumeTrue(false, "no second client (createSecondClient() is empty)");
      }
      secondClient = created.get();
    }
    return secondClient;
  }

  /** Makes one attempt on {@code keys} from this thread and returns what it threw, or null. */
  private @Nullable Throwable attempt(List<String> keys, Duration wait) {
    return catching(() -> template.runWithLocks(keys, wait, LEASE, held -> {}));
  }

  /** Tells, from another thread and without waiting, whether every one of {@code keys} is free. */
  private boolean isFree(List<String> keys) throws Exception {
    Throwable thrown =
        onAnotherThread(
            () ->
                catching(() -> quietTemplate.runWithLocks(keys, Duration.ZERO, LEASE, held -> {})));
    if (thrown == null) {
      return true;
    }
    if (thrown instanceof LockNotAcquiredException) {
      return false;
    }
    throw new AssertionError("checking whether " + keys + " is free failed", thrown);
  }

  private <T> T onAnotherThread(Callable<T> work) throws Exception {
    return threads.submit(work).get(scaled(LONG_WAIT_MILLIS).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code callers} threads making {@code calls} calls each, all on key {@code k}. */
  private void runConcurrently(
      int callers,
      int calls,
      java.util.function.IntFunction<LockTemplate> templateOfCaller,
      dev.holdfast.lock.LockAction<RuntimeException> underLock)
      throws Exception {
    List<String> pool = keys("x", "y", "z");
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Void>> running = new ArrayList<>();
    for (int caller = 0; caller < callers; caller++) {
      LockTemplate callerTemplate = templateOfCaller.apply(caller);
      Random random = new Random(caller);
      running.add(
          threads.submit(
              () -> {
                start.await();
                for (int call = 0; call < calls; call++) {
                  List<String> callKeys =
                      new ArrayList<>(pool.subList(0, random.nextInt(pool.size() + 1)));
                  callKeys.add(key("k"));
                  Collections.shuffle(callKeys, random);
                  callerTemplate.runWithLocks(callKeys, longWait(), LEASE, underLock);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<Void> caller : running) {
      caller.get();
    }
  }

  private static void assertStrictlyIncreasing(List<Long> tokens) {
    for (int i = 1; i < tokens.size(); i++) {
      if (tokens.get(i) <= tokens.get(i - 1)) {
        fail(
            "fencing token "
                + i
                + " ("
                + tokens.get(i)
                + ") is not greater than token "
                + (i - 1)
                + " ("
                + tokens.get(i - 1)
                + "): "
                + tokens);
      }
    }
  }

  private void awaitCondition(BooleanSupplier condition) {
    long deadline = System.nanoTime() + longWait().toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within " + longWait());
      }
      sleep(scaled(10));
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while sleeping", e);
    }
  }

  private static @Nullable Throwable catching(ThrowingRunnable work) {
    try {
      work.run();
      return null;
    } catch (Throwable thrown) {
      return thrown;
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Throwable;
  }

  private HeldElsewhere holdElsewhere(LockTemplate holderTemplate, List<String> keys)
      throws InterruptedException {
    HeldElsewhere holder = new HeldElsewhere(holderTemplate, keys);
    holders.add(holder);
    if (!holder.acquired.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
      holder.close();
      fail("a holder on another thread could not take " + keys);
    }
    return holder;
  }

  /** Keys held by a call on another thread until {@link #close()}, or until the test ends. */
  private final class HeldElsewhere implements AutoCloseable {

    final CountDownLatch acquired = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Future<?> call;

    HeldElsewhere(LockTemplate holderTemplate, List<String> keys) {
      call =
          threads.submit(
              () -> {
                holderTemplate.runWithLocks(
                    keys,
                    longWait(),
                    LEASE,
                    held -> {
                      acquired.countDown();
                      release.await();
                    });
                return null;
              });
    }

    @Override
    public void close() {
      release.countDown();
      try {
        call.get(scaled(LONG_WAIT_MILLIS).toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("the holder on another thread failed", e);
      }
    }
  }

  /** Deliberately unsynchronised: only the lock protects it. */
  private static final class Counter {
    long value;
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();

    void incrementRacily(dev.holdfast.lock.HeldLocks held) {
      mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      long read = value;
      Thread.yield();
      value = read + 1;
      inside.decrementAndGet();
    }
  }
}
