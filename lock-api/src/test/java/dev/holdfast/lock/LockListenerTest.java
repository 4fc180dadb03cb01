package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.testing.FakeLockProvider;
import dev.holdfast.lock.testing.FakeTicker;
import dev.holdfast.lock.testing.RecordingLockListener;
import dev.holdfast.lock.testing.ThrowingLockListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LockListenerTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final FakeTicker ticker = new FakeTicker();
  private final FakeLockProvider provider = FakeLockProvider.create();
  private final RecordingLockListener recorder = new RecordingLockListener();
  private final LockTemplate template =
      LockTemplate.builder(provider).ticker(ticker).listener(recorder).build();

  @Test
  void reportsAttemptAcquiredAndReleasedInOrderWithDurationsOfTheTicker() {
    acquireAfter(Duration.ofMillis(40));

    template.executeWithLocks(
        List.of("lock:b", "lock:a"),
        WAIT,
        LEASE,
        held -> {
          ticker.advance(Duration.ofMillis(100));
          return "done";
        });

    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a, lock:b] policy default",
            "acquired [lock:a, lock:b] waited PT0.04S",
            "released [lock:a, lock:b] held PT0.1S");
  }

  @Test
  void reportsReleaseAfterACallbackThatThrew() {
    catchThrowable(
        () ->
            template.executeWithLocks(
                List.of("lock:a"),
                WAIT,
                LEASE,
                held -> {
                  ticker.advance(Duration.ofMillis(7));
                  throw new IOException("failed");
                }));

    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a] policy default",
            "acquired [lock:a] waited PT0S",
            "released [lock:a] held PT0.007S");
  }

  @Test
  void reportsNotAcquiredWithTheBlockingKeysAndTheWait() {
    provider.answerNext(
        (request, deadline) -> {
          ticker.advance(Duration.ofMillis(300));
          return new Acquisition.Blocked(List.of("lock:b"));
        });

    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(List.of("lock:a", "lock:b"), WAIT, LEASE, held -> "ran"));

    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a, lock:b] policy default",
            "notAcquired [lock:a, lock:b] blocked by [lock:b] waited PT0.3S");
    assertThat(recorder.exceptions()).singleElement().isSameAs(thrown);
  }

  @Test
  void reportsInterruptedWithTheWait() {
    provider.answerNext(
        (request, deadline) -> {
          ticker.advance(Duration.ofMillis(15));
          throw new InterruptedException();
        });

    catchThrowable(() -> template.executeWithLock("lock:a", WAIT, LEASE, held -> "ran"));
    boolean interruptFlag = Thread.interrupted();

    assertThat(interruptFlag).isTrue();
    assertThat(recorder.events())
        .containsExactly("attempt [lock:a] policy default", "interrupted [lock:a] waited PT0.015S");
  }

  @Test
  void reportsBackendFailureWhileAcquiringWithTheExceptionTheCallerGets() {
    provider.answerNext(
        (request, deadline) -> {
          throw new IllegalStateException("redis down");
        });

    Throwable thrown =
        catchThrowable(() -> template.executeWithLock("lock:a", WAIT, LEASE, held -> "ran"));

    assertThat(recorder.events())
        .containsExactly("attempt [lock:a] policy default", "backendFailure [lock:a]");
    assertThat(recorder.exceptions()).singleElement().isSameAs(thrown);
  }

  @Test
  void reportsBackendFailureWhileReleasingAfterACompletedCallbackAndReturnsItsResult() {
    String result =
        template.executeWithLock(
            "lock:a",
            WAIT,
            LEASE,
            held -> {
              provider.lastHandle().failReleaseWith(new IllegalStateException("reset"));
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a] policy default",
            "acquired [lock:a] waited PT0S",
            "backendFailure [lock:a]");
    assertThat(recorder.exceptions())
        .singleElement()
        .isInstanceOfSatisfying(
            LockBackendException.class,
            failure -> assertThat(failure.callbackOutcome()).isEqualTo(CallbackOutcome.COMPLETED));
  }

  /**
   * The regression: the Javadocs said so, but a failed check reached neither listener nor metric.
   */
  @Test
  void reportsBackendFailureOfALivenessCheckWithTheExceptionTheCallbackGets() {
    IllegalStateException reset = new IllegalStateException("reset");
    List<Throwable> seenByCallback = new ArrayList<>();

    template.executeWithLocks(
        List.of("lock:a", "lock:b"),
        WAIT,
        LEASE,
        held -> {
          provider.lastHandle().failChecksWith(reset);
          seenByCallback.add(catchThrowable(held::isHeld));
          seenByCallback.add(catchThrowable(held::checkHeld));
          return "done";
        });

    assertThat(seenByCallback)
        .hasSize(2)
        .allSatisfy(
            thrown -> assertThat(thrown).isInstanceOf(LockBackendException.class).hasCause(reset));
    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a, lock:b] policy default",
            "acquired [lock:a, lock:b] waited PT0S",
            "backendFailure [lock:a, lock:b]",
            "backendFailure [lock:a, lock:b]",
            "released [lock:a, lock:b] held PT0S");
    assertThat(List.<Throwable>copyOf(recorder.exceptions())).isEqualTo(seenByCallback);
  }

  @Test
  void reportsBackendFailureOfALivenessCheckInAReentrantCall() {
    LockBackendException down =
        new LockBackendException("down", List.of("lock:a"), new IOException("reset"));

    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLock(
                    "lock:a",
                    WAIT,
                    LEASE,
                    outer ->
                        template.executeWithLock(
                            "lock:a",
                            WAIT,
                            LEASE,
                            nested -> {
                              provider.lastHandle().failChecksWith(down);
                              nested.checkHeld();
                              return "committed";
                            })));

    assertThat(thrown).isSameAs(down);
    assertThat(recorder.events()).contains("backendFailure [lock:a]");
    assertThat(recorder.exceptions()).containsExactly(down);
  }

  @Test
  void reportsLostKeysAfterTheRelease() {
    catchThrowable(
        () ->
            template.executeWithLocks(
                List.of("lock:a", "lock:b"),
                WAIT,
                LEASE,
                held -> {
                  provider.lastHandle().lose("lock:b");
                  return "done";
                }));

    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a, lock:b] policy default",
            "acquired [lock:a, lock:b] waited PT0S",
            "released [lock:a, lock:b] held PT0S",
            "lost [lock:b] of [lock:a, lock:b]");
  }

  @Test
  void reentrantCallOnHeldKeysReportsNothing() {
    template.executeWithLocks(
        List.of("lock:a", "lock:b"),
        WAIT,
        LEASE,
        outer -> template.executeWithLock("lock:a", WAIT, LEASE, nested -> "ran"));

    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a, lock:b] policy default",
            "acquired [lock:a, lock:b] waited PT0S",
            "released [lock:a, lock:b] held PT0S");
  }

  @Test
  void nestedCallReportsOnlyTheKeysItTakes() {
    template.executeWithLocks(
        List.of("lock:a"),
        WAIT,
        LEASE,
        outer ->
            template.executeWithLocks(List.of("lock:a", "lock:b"), WAIT, LEASE, nested -> "ran"));

    assertThat(recorder.events())
        .containsExactly(
            "attempt [lock:a] policy default",
            "acquired [lock:a] waited PT0S",
            "attempt [lock:b] policy default",
            "acquired [lock:b] waited PT0S",
            "released [lock:b] held PT0S",
            "released [lock:a] held PT0S");
  }

  @Test
  void aListenerThrowingFromEveryMethodChangesNeitherTheResultNorTheRelease() {
    ThrowingLockListener broken = new ThrowingLockListener();
    RecordingLockListener after = new RecordingLockListener();
    LockTemplate guarded =
        LockTemplate.builder(provider).ticker(ticker).listener(broken).listener(after).build();

    String result = guarded.executeWithLock("lock:a", WAIT, LEASE, held -> "done");

    assertThat(result).isEqualTo("done");
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
    assertThat(broken.calls()).isEqualTo(3);
    assertThat(after.events()).hasSize(3);
  }

  @Test
  void anErrorThrownByOnAcquiredStillReleasesTheKeysAndReachesTheCaller() {
    Error failure = new AssertionError("listener error, thrown on purpose");
    LockListener failing =
        new LockListener() {
          @Override
          public void onAcquired(LockRequest request, Duration waited) {
            throw failure;
          }
        };
    LockTemplate guarded = LockTemplate.builder(provider).listener(failing).build();

    Throwable thrown =
        catchThrowable(() -> guarded.executeWithLock("lock:a", WAIT, LEASE, held -> "ran"));

    assertThat(thrown).isSameAs(failure);
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  @Test
  void aThrowingListenerLeavesTheCallbacksExceptionUnchanged() {
    IOException failure = new IOException("failed");
    ThrowingLockListener broken = new ThrowingLockListener();
    LockTemplate guarded = LockTemplate.builder(provider).listener(broken).build();

    Throwable thrown =
        catchThrowable(
            () ->
                guarded.executeWithLock(
                    "lock:a",
                    WAIT,
                    LEASE,
                    held -> {
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(thrown.getSuppressed()).isEmpty();
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  @Test
  void aThrowingListenerLeavesNotAcquiredUnchanged() {
    provider.answerNext((request, deadline) -> new Acquisition.Blocked(List.of("lock:a")));
    ThrowingLockListener broken = new ThrowingLockListener();
    LockTemplate guarded = LockTemplate.builder(provider).listener(broken).build();

    Throwable thrown =
        catchThrowable(() -> guarded.executeWithLock("lock:a", WAIT, LEASE, held -> "ran"));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockNotAcquiredException.class,
            notAcquired -> assertThat(notAcquired.blockingKeys()).containsExactly("lock:a"));
    assertThat(broken.calls()).isEqualTo(2);
  }

  @Test
  void aThrowingListenerLeavesLockLostUnchanged() {
    ThrowingLockListener broken = new ThrowingLockListener();
    LockTemplate guarded = LockTemplate.builder(provider).listener(broken).build();

    Throwable thrown =
        catchThrowable(
            () ->
                guarded.executeWithLock(
                    "lock:a",
                    WAIT,
                    LEASE,
                    held -> {
                      provider.lastHandle().lose("lock:a");
                      return "done";
                    }));

    assertThat(thrown).isInstanceOf(LockLostException.class);
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
    assertThat(broken.calls()).isEqualTo(4);
  }

  @Test
  void compositeCallsEveryListenerInOrderEvenWhenOneThrows() {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    LockListener composite =
        LockListener.composite(
            new NamedListener("first", calls, false),
            new NamedListener("broken", calls, true),
            new NamedListener("last", calls, false));
    LockRequest request =
        LockRequest.of(List.of("lock:a"), WAIT, LEASE, LeaseMode.FIXED, "default");
    Duration waited = Duration.ofMillis(5);

    composite.onAttempt(request);
    composite.onAcquired(request, waited);
    composite.onNotAcquired(
        request, new LockNotAcquiredException(request.keys(), request.keys(), waited));
    composite.onInterrupted(request, waited);
    composite.onBackendFailure(
        request, new LockBackendException("down", request.keys(), new IOException("x")));
    composite.onReleased(request, waited);
    composite.onLost(request, request.keys());

    List<String> expected = new ArrayList<>();
    for (String event :
        List.of(
            "attempt",
            "acquired",
            "notAcquired",
            "interrupted",
            "backendFailure",
            "released",
            "lost")) {
      expected.addAll(List.of("first " + event, "broken " + event, "last " + event));
    }
    assertThat(calls).containsExactlyElementsOf(expected);
  }

  private void acquireAfter(Duration wait) {
    provider.answerNext(
        (request, deadline) -> {
          ticker.advance(wait);
          return provider.grant(request);
        });
  }

  /** Logs each event under its name, and optionally throws after logging it. */
  private static final class NamedListener implements LockListener {

    private final String name;
    private final List<String> calls;
    private final boolean throwing;

    NamedListener(String name, List<String> calls, boolean throwing) {
      this.name = name;
      this.calls = calls;
      this.throwing = throwing;
    }

    private void log(String event) {
      calls.add(name + " " + event);
      if (throwing) {
        throw new IllegalStateException(name + " failed in " + event);
      }
    }

    @Override
    public void onAttempt(LockRequest request) {
      log("attempt");
    }

    @Override
    public void onAcquired(LockRequest request, Duration waited) {
      log("acquired");
    }

    @Override
    public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
      log("notAcquired");
    }

    @Override
    public void onInterrupted(LockRequest request, Duration waited) {
      log("interrupted");
    }

    @Override
    public void onBackendFailure(LockRequest request, LockBackendException exception) {
      log("backendFailure");
    }

    @Override
    public void onReleased(LockRequest request, Duration held) {
      log("released");
    }

    @Override
    public void onLost(LockRequest request, List<String> lostKeys) {
      log("lost");
    }
  }
}
