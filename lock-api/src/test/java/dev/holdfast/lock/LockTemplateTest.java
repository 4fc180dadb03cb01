package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.testing.FakeLockProvider;
import dev.holdfast.lock.testing.FakeTicker;
import dev.holdfast.lock.testing.RecordingLockListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class LockTemplateTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final FakeTicker ticker = new FakeTicker();
  private final FakeLockProvider provider = FakeLockProvider.create();
  private final LockTemplate template = LockTemplate.builder(provider).ticker(ticker).build();

  @Test
  void deduplicatesAndSortsKeysBeforeAskingTheProvider() {
    List<String> keys =
        List.of("lock:product:7", "lock:product:3", "lock:product:7", "lock:product:10");

    List<String> seen = template.executeWithLocks(keys, WAIT, LEASE, HeldLocks::keys);

    assertThat(provider.requestedKeys())
        .containsExactly(List.of("lock:product:10", "lock:product:3", "lock:product:7"));
    assertThat(seen).containsExactly("lock:product:10", "lock:product:3", "lock:product:7");
  }

  @Test
  void sortsKeysByTheProvidersOwnKeyOrder() {
    FakeLockProvider byLength =
        FakeLockProvider.withKeyOrder(
            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    LockTemplate byLengthTemplate = LockTemplate.of(byLength);
    List<String> keys = List.of("lock:product:10", "lock:product:7", "lock:product:3");

    List<String> seen = byLengthTemplate.executeWithLocks(keys, WAIT, LEASE, HeldLocks::keys);

    assertThat(byLength.requestedKeys())
        .containsExactly(List.of("lock:product:3", "lock:product:7", "lock:product:10"));
    assertThat(seen).containsExactly("lock:product:3", "lock:product:7", "lock:product:10");
  }

  @Test
  void rejectsAKeyOrderThatRanksDifferentKeysEqual() {
    FakeLockProvider partial =
        FakeLockProvider.withKeyOrder(Comparator.comparingInt(String::length));
    LockTemplate partialTemplate = LockTemplate.of(partial);

    Throwable thrown =
        catchThrowable(
            () ->
                partialTemplate.executeWithLocks(
                    List.of("lock:a", "lock:b"), WAIT, LEASE, held -> "ran"));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageContainingAll("\"lock:a\"", "\"lock:b\"", "total");
    assertThat(partial.requests()).isEmpty();
  }

  @Test
  void returnsTheCallbacksValue() {
    Integer result = template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, held -> 42);

    assertThat(result).isEqualTo(42);
  }

  @Test
  void returnsNullWhenTheCallbackReturnsNull() {
    String result = template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, held -> null);

    assertThat(result).isNull();
  }

  @Test
  void singleKeyCallRunsTheCallbackHoldingThatKey() {
    List<String> seen = template.executeWithLock("lock:a", WAIT, LEASE, HeldLocks::keys);

    assertThat(seen).containsExactly("lock:a");
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:a"));
  }

  @Test
  void runWithLocksRunsTheActionWhileHoldingTheKeys() {
    List<Integer> releasesSeenInside = new ArrayList<>();

    template.runWithLocks(
        List.of("lock:b", "lock:a"),
        WAIT,
        LEASE,
        held -> releasesSeenInside.add(provider.lastHandle().releaseCount()));

    assertThat(releasesSeenInside).containsExactly(0);
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:a", "lock:b"));
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("callbackFailures")
  void rethrowsWhatTheCallbackThrowsAsTheSameInstance(Throwable failure) {
    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:a"),
                    WAIT,
                    LEASE,
                    held -> {
                      if (failure instanceof Error error) {
                        throw error;
                      }
                      throw (Exception) failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(thrown.getSuppressed()).isEmpty();
  }

  static Stream<Throwable> callbackFailures() {
    return Stream.of(
        new IOException("disk full"),
        new IllegalStateException("out of stock"),
        new StackOverflowError("deep"));
  }

  @Test
  void rethrowsACheckedExceptionOfAnActionAsTheSameInstance() {
    IOException failure = new IOException("disk full");

    Throwable thrown =
        catchThrowable(
            () ->
                template.runWithLock(
                    "lock:a",
                    WAIT,
                    LEASE,
                    held -> {
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
  }

  @Test
  void releasesTheKeysOnceAfterTheCallbackReturns() {
    template.executeWithLocks(List.of("lock:a", "lock:b"), WAIT, LEASE, held -> "done");

    assertThat(provider.handles())
        .singleElement()
        .satisfies(handle -> assertThat(handle.releaseCount()).isEqualTo(1));
  }

  @Test
  void releasesTheKeysOnceAfterTheCallbackThrows() {
    catchThrowable(
        () ->
            template.executeWithLocks(
                List.of("lock:a", "lock:b"),
                WAIT,
                LEASE,
                held -> {
                  throw new IOException("failed");
                }));

    assertThat(provider.handles())
        .singleElement()
        .satisfies(handle -> assertThat(handle.releaseCount()).isEqualTo(1));
  }

  @Test
  void releasesTheKeysAfterTheCallbackThrowsAnError() {
    catchThrowable(
        () ->
            template.executeWithLocks(
                List.of("lock:a"),
                WAIT,
                LEASE,
                held -> {
                  throw new AssertionError("bug");
                }));

    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  /**
   * The regression: the template read the ticker for the start of the hold outside the block that
   * releases, so a ticker that threw there left the keys held until their lease ended.
   */
  @Test
  void releasesTheKeysWhenTheTickerThrowsRightAfterTheyWereTaken() {
    IllegalStateException clockBroken = new IllegalStateException("clock broken");
    LockTemplate observed =
        LockTemplate.builder(provider)
            .ticker(ticker)
            .listener(
                new LockListener() {
                  @Override
                  public void onAcquired(LockRequest request, Duration waited) {
                    ticker.failReadsWith(clockBroken);
                  }
                })
            .build();
    AtomicInteger callbackRuns = new AtomicInteger();

    Throwable thrown =
        catchThrowable(
            () ->
                observed.executeWithLock(
                    "lock:a", WAIT, LEASE, held -> callbackRuns.incrementAndGet()));

    assertThat(thrown).isSameAs(clockBroken);
    assertThat(callbackRuns).hasValue(0);
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  @Test
  void attachesAReleaseFailureToTheCallbacksExceptionAsSuppressed() {
    IOException failure = new IOException("commit failed");
    IllegalStateException releaseFailure = new IllegalStateException("connection reset");

    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:a", "lock:b"),
                    WAIT,
                    LEASE,
                    held -> {
                      provider.lastHandle().failReleaseWith(releaseFailure);
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(thrown.getSuppressed())
        .singleElement()
        .isInstanceOfSatisfying(
            LockBackendException.class,
            suppressed -> {
              assertThat(suppressed).hasCause(releaseFailure);
              assertThat(suppressed.getCause()).isSameAs(releaseFailure);
              assertThat(suppressed.keys()).containsExactly("lock:a", "lock:b");
              assertThat(suppressed.callbackOutcome()).isEqualTo(CallbackOutcome.THREW);
            });
  }

  /**
   * A release that fails after the callback returned normally must not tell the caller to retry
   * work that is done: the result comes back, the failure goes to the listeners.
   */
  @Test
  void returnsTheResultWhenReleaseFailsAfterANormalReturnAndTellsTheListeners() {
    RecordingLockListener recorder = new RecordingLockListener();
    LockTemplate observed = LockTemplate.builder(provider).listener(recorder).build();
    IllegalStateException releaseFailure = new IllegalStateException("connection reset");

    String result =
        observed.executeWithLocks(
            List.of("lock:a"),
            WAIT,
            LEASE,
            held -> {
              provider.lastHandle().failReleaseWith(releaseFailure);
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(recorder.exceptions())
        .singleElement()
        .isInstanceOfSatisfying(
            LockBackendException.class,
            backend -> {
              assertThat(backend.getCause()).isSameAs(releaseFailure);
              assertThat(backend.keys()).containsExactly("lock:a");
              assertThat(backend.callbackOutcome()).isEqualTo(CallbackOutcome.COMPLETED);
            });
  }

  @Test
  void givesListenersABackendExceptionFromReleaseUnwrapped() {
    RecordingLockListener recorder = new RecordingLockListener();
    LockTemplate observed = LockTemplate.builder(provider).listener(recorder).build();
    LockBackendException releaseFailure =
        new LockBackendException("store down", List.of("lock:a"), new IOException("reset"));

    String result =
        observed.executeWithLocks(
            List.of("lock:a"),
            WAIT,
            LEASE,
            held -> {
              provider.lastHandle().failReleaseWith(releaseFailure);
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(recorder.exceptions()).singleElement().isSameAs(releaseFailure);
    assertThat(releaseFailure.callbackOutcome()).isEqualTo(CallbackOutcome.COMPLETED);
  }

  @Test
  void throwsLockLostAfterANormalReturnWhenReleaseReportsLostKeys() {
    AtomicBoolean callbackFinished = new AtomicBoolean();

    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:a", "lock:b", "lock:c"),
                    WAIT,
                    LEASE,
                    held -> {
                      provider.lastHandle().lose("lock:b");
                      callbackFinished.set(true);
                      return "done";
                    }));

    assertThat(callbackFinished).isTrue();
    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockLostException.class,
            lost -> {
              assertThat(lost.lostKeys()).containsExactly("lock:b");
              assertThat(lost.keys()).containsExactly("lock:a", "lock:b", "lock:c");
              assertThat(lost.callbackOutcome()).isEqualTo(CallbackOutcome.COMPLETED);
              assertThat(lost.callbackResult()).isEqualTo("done");
              assertThat(lost.callbackResult(String.class)).isEqualTo("done");
            });
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  @Test
  void carriesANullResultOfACompletedCallbackWhoseKeysWereLost() {
    Throwable thrown =
        catchThrowable(
            () ->
                template.runWithLock(
                    "lock:a", WAIT, LEASE, held -> provider.lastHandle().lose("lock:a")));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockLostException.class,
            lost -> {
              assertThat(lost.callbackOutcome()).isEqualTo(CallbackOutcome.COMPLETED);
              assertThat(lost.callbackResult()).isNull();
            });
  }

  @Test
  void aLeaseFoundLostByTheCallbacksOwnCheckSaysTheCallbackThrew() {
    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLock(
                    "lock:a",
                    WAIT,
                    LEASE,
                    held -> {
                      provider.lastHandle().lose("lock:a");
                      held.checkHeld();
                      return "committed";
                    }));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockLostException.class,
            lost -> assertThat(lost.callbackOutcome()).isEqualTo(CallbackOutcome.THREW));
  }

  @Test
  void attachesLostKeysAsSuppressedToTheCallbacksException() {
    IOException failure = new IOException("commit failed");

    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:a", "lock:b"),
                    WAIT,
                    LEASE,
                    held -> {
                      provider.lastHandle().lose("lock:a");
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(thrown.getSuppressed())
        .singleElement()
        .isInstanceOfSatisfying(
            LockLostException.class,
            lost -> {
              assertThat(lost.lostKeys()).containsExactly("lock:a");
              assertThat(lost.callbackOutcome()).isEqualTo(CallbackOutcome.THREW);
              assertThatThrownBy(lost::callbackResult).isInstanceOf(IllegalStateException.class);
            });
  }

  @Test
  void reportsABlockedAcquisitionAsNotAcquiredNamingBlockingKeysAndTheMeasuredWait() {
    provider.answerNext(
        (request, deadline) -> {
          deadline.remainingNanos(); // a provider asks before it waits
          ticker.advance(Duration.ofMillis(250));
          return new Acquisition.Blocked(List.of("lock:b"));
        });
    AtomicInteger callbackRuns = new AtomicInteger();

    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:c", "lock:a", "lock:b"),
                    WAIT,
                    LEASE,
                    held -> {
                      callbackRuns.incrementAndGet();
                      return "ran";
                    }));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockNotAcquiredException.class,
            notAcquired -> {
              assertThat(notAcquired.blockingKeys()).containsExactly("lock:b");
              assertThat(notAcquired.keys()).containsExactly("lock:a", "lock:b", "lock:c");
              assertThat(notAcquired.waited()).isEqualTo(Duration.ofMillis(250));
              assertThat(notAcquired).hasMessageContainingAll("lock:b", "250 ms");
              assertThat(notAcquired.callbackOutcome()).isEqualTo(CallbackOutcome.NOT_RUN);
            });
    assertThat(callbackRuns).hasValue(0);
  }

  @Test
  void givesTheProviderOneDeadlineOfTheWholeWaitStartedAtTheCall() {
    template.executeWithLocks(List.of("lock:a", "lock:b"), Duration.ofMillis(750), LEASE, h -> 1);

    assertThat(provider.deadlines())
        .singleElement()
        .satisfies(
            deadline -> {
              assertThat(deadline.waitTime()).isEqualTo(Duration.ofMillis(750));
              assertThat(deadline.elapsed()).isZero();
            });
  }

  @Test
  void startsTheWaitOfATemplateWithoutListenersWhenTheProviderFirstAsks() {
    AtomicLong remainingAtFirstQuestion = new AtomicLong();
    provider.answerNext(
        (request, deadline) -> {
          ticker.advance(Duration.ofMillis(100)); // e.g. trying a free key, which needs no clock
          remainingAtFirstQuestion.set(deadline.remainingNanos());
          ticker.advance(Duration.ofMillis(300));
          return new Acquisition.Blocked(List.of("lock:a"));
        });

    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:a"), Duration.ofMillis(750), LEASE, held -> "ran"));

    assertThat(remainingAtFirstQuestion).hasValue(Duration.ofMillis(750).toNanos());
    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockNotAcquiredException.class,
            notAcquired -> assertThat(notAcquired.waited()).isEqualTo(Duration.ofMillis(300)));
  }

  @Test
  void restoresTheInterruptFlagWhenTheProviderIsInterrupted() {
    InterruptedException interruption = new InterruptedException("shutdown");
    provider.answerNext(
        (request, deadline) -> {
          throw interruption;
        });

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, held -> "ran"));
    boolean interruptFlag = Thread.interrupted();

    assertThat(interruptFlag).isTrue();
    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockInterruptedException.class,
            interrupted -> {
              assertThat(interrupted.getCause()).isSameAs(interruption);
              assertThat(interrupted.keys()).containsExactly("lock:a");
              assertThat(interrupted.callbackOutcome()).isEqualTo(CallbackOutcome.NOT_RUN);
            });
  }

  @Test
  void reportsARuntimeExceptionOfTheProviderAsBackendFailureNeverAsNotAcquired() {
    IllegalStateException storeDown = new IllegalStateException("redis down");
    provider.answerNext(
        (request, deadline) -> {
          throw storeDown;
        });

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, held -> "ran"));

    assertThat(thrown)
        .isNotInstanceOf(LockNotAcquiredException.class)
        .isInstanceOfSatisfying(
            LockBackendException.class,
            backend -> {
              assertThat(backend.getCause()).isSameAs(storeDown);
              assertThat(backend.keys()).containsExactly("lock:a");
              assertThat(backend.callbackOutcome()).isEqualTo(CallbackOutcome.NOT_RUN);
            });
  }

  @Test
  void reportsAProviderThatReturnsNoAcquisitionAsBackendFailure() {
    provider.answerNext((request, deadline) -> null);

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, held -> "ran"));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockBackendException.class,
            backend ->
                assertThat(backend.getCause()).hasMessageContaining("returned no acquisition"));
  }

  @Test
  void passesABackendExceptionOfTheProviderThroughUnwrapped() {
    LockBackendException storeDown =
        new LockBackendException("redis down", List.of("lock:a"), new IOException("refused"));
    provider.answerNext(
        (request, deadline) -> {
          throw storeDown;
        });

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, held -> "ran"));

    assertThat(thrown).isSameAs(storeDown);
  }

  @Test
  void explicitWaitAndLeaseWinOverThePolicyWhoseLeaseModeAndNameStillApply() {
    LockTemplate withPolicies = templateWithProductPolicy();

    withPolicies.executeWithLocks(
        List.of("lock:product:1"), Duration.ofMillis(100), Duration.ofSeconds(2), held -> "done");

    assertThat(provider.requests())
        .singleElement()
        .satisfies(
            request ->
                assertRequest(
                    request,
                    Duration.ofMillis(100),
                    Duration.ofSeconds(2),
                    LeaseMode.RENEWING,
                    "product"));
  }

  @Test
  void everyPolicyOnlyOverloadUsesThePolicysValues() {
    LockTemplate withPolicies = templateWithProductPolicy();

    withPolicies.executeWithLocks(List.of("lock:product:1"), held -> "done");
    withPolicies.runWithLocks(List.of("lock:product:2"), held -> {});
    withPolicies.executeWithLock("lock:product:3", held -> "done");
    withPolicies.runWithLock("lock:product:4", held -> {});

    assertThat(provider.requests())
        .hasSize(4)
        .allSatisfy(
            request ->
                assertRequest(
                    request,
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(60),
                    LeaseMode.RENEWING,
                    "product"));
  }

  @Test
  void policyOnlyCallOnKeysWithoutAPatternUsesTheDefaultPolicy() {
    LockTemplate withPolicies = templateWithProductPolicy();

    withPolicies.executeWithLock("lock:order:1", held -> "done");

    assertThat(provider.requests())
        .singleElement()
        .satisfies(
            request ->
                assertRequest(
                    request,
                    LockPolicy.DEFAULT_WAIT_TIME,
                    LockPolicy.DEFAULT_LEASE_TIME,
                    LockPolicy.DEFAULT_LEASE_MODE,
                    LockPolicy.DEFAULT_NAME));
  }

  @Test
  void policyOnlyCallOnKeysOfTwoPoliciesUsesTheirMerge() {
    LockTemplate withPolicies = templateWithProductPolicy();

    withPolicies.executeWithLocks(List.of("lock:product:1", "lock:order:1"), held -> "done");

    assertThat(provider.requests())
        .singleElement()
        .satisfies(
            request ->
                assertRequest(
                    request,
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(60),
                    LeaseMode.RENEWING,
                    "default+product"));
  }

  @Test
  void optionsOverrideOnlyTheValuesTheySetAndKeepThePolicysName() {
    LockTemplate withPolicies = templateWithProductPolicy();

    withPolicies.executeWithLocks(
        List.of("lock:product:1"),
        LockOptions.builder().waitTime(Duration.ofMillis(100)).build(),
        held -> "done");
    withPolicies.executeWithLocks(
        List.of("lock:product:2"),
        LockOptions.builder().leaseTime(Duration.ofSeconds(2)).build(),
        held -> "done");
    withPolicies.executeWithLocks(
        List.of("lock:product:3"),
        LockOptions.builder().leaseMode(LeaseMode.FIXED).build(),
        held -> "done");

    List<LockRequest> requests = provider.requests();
    assertThat(requests).hasSize(3);
    assertRequest(
        requests.get(0),
        Duration.ofMillis(100),
        Duration.ofSeconds(60),
        LeaseMode.RENEWING,
        "product");
    assertRequest(
        requests.get(1),
        Duration.ofSeconds(3),
        Duration.ofSeconds(2),
        LeaseMode.RENEWING,
        "product");
    assertRequest(
        requests.get(2), Duration.ofSeconds(3), Duration.ofSeconds(60), LeaseMode.FIXED, "product");
  }

  @Test
  void optionsFromPolicyUseEveryValueOfThePolicy() {
    LockTemplate withPolicies = templateWithProductPolicy();

    withPolicies.executeWithLocks(
        List.of("lock:product:1", "lock:product:1"), LockOptions.fromPolicy(), held -> "done");

    assertThat(provider.requests())
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.keys()).containsExactly("lock:product:1");
              assertRequest(
                  request,
                  Duration.ofSeconds(3),
                  Duration.ofSeconds(60),
                  LeaseMode.RENEWING,
                  "product");
            });
  }

  @Test
  void aNestedCallTakesItsMissingKeysWithItsOwnOptions() {
    LockTemplate withPolicies = templateWithProductPolicy();
    LockOptions fixed = LockOptions.builder().leaseMode(LeaseMode.FIXED).build();

    withPolicies.executeWithLock(
        "lock:product:1",
        outer ->
            withPolicies.executeWithLocks(
                List.of("lock:product:1", "lock:product:2"), fixed, inner -> "done"));

    assertThat(provider.requests()).hasSize(2);
    assertThat(provider.requests().get(1).keys()).containsExactly("lock:product:2");
    assertThat(provider.requests().get(1).leaseMode()).isEqualTo(LeaseMode.FIXED);
  }

  private LockTemplate templateWithProductPolicy() {
    LockPolicy product =
        LockPolicy.custom("product")
            .waitTime(Duration.ofSeconds(3))
            .leaseTime(Duration.ofSeconds(60))
            .leaseMode(LeaseMode.RENEWING)
            .build();
    return LockTemplate.builder(provider)
        .ticker(ticker)
        .policies(LockPolicies.builder().policy("lock:product:*", product).build())
        .build();
  }

  private static void assertRequest(
      LockRequest request, Duration waitTime, Duration leaseTime, LeaseMode mode, String policy) {
    assertThat(request.waitTime()).isEqualTo(waitTime);
    assertThat(request.leaseTime()).isEqualTo(leaseTime);
    assertThat(request.leaseMode()).isEqualTo(mode);
    assertThat(request.policyName()).isEqualTo(policy);
  }
}
