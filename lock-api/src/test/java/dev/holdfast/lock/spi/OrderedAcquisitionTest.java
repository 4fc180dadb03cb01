package dev.holdfast.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class OrderedAcquisitionTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ScriptedLocker locker = new ScriptedLocker(ticker);

  @Test
  void locksTheKeysInOrderEachWithWhatIsLeftOfOneSharedDeadline() throws InterruptedException {
    locker
        .takes("a", Duration.ofMillis(300))
        .takes("b", Duration.ofMillis(300))
        .takes("c", Duration.ofMillis(300));

    Acquisition acquisition = acquire(Duration.ofSeconds(1), "a", "b", "c");

    assertThat(acquisition).isInstanceOf(Acquisition.Acquired.class);
    assertThat(locker.log()).containsExactly("lock a", "lock b", "lock c");
    assertThat(locker.timeouts())
        .containsExactly(
            Duration.ofMillis(1_000).toNanos(),
            Duration.ofMillis(700).toNanos(),
            Duration.ofMillis(400).toNanos());
  }

  @Test
  void triesEveryKeyOnceWithZeroTimeoutAfterTheDeadlinePassed() throws InterruptedException {
    locker.takes("a", Duration.ofMillis(150));

    Acquisition acquisition = acquire(Duration.ofMillis(100), "a", "b", "c");

    assertThat(acquisition).isInstanceOf(Acquisition.Acquired.class);
    assertThat(locker.timeouts()).containsExactly(Duration.ofMillis(100).toNanos(), 0L, 0L);
  }

  @Test
  void rollsBackInReverseOrderWhenAKeyIsBlockedAndNamesThatKey() throws InterruptedException {
    locker.blocks("c");

    Acquisition acquisition = acquire(Duration.ofSeconds(1), "a", "b", "c", "d");

    assertThat(acquisition)
        .isInstanceOfSatisfying(
            Acquisition.Blocked.class,
            blocked -> assertThat(blocked.blockingKeys()).containsExactly("c"));
    assertThat(locker.log())
        .containsExactly("lock a", "lock b", "blocked c", "release b", "release a");
  }

  @Test
  void releasesNothingWhenTheFirstKeyIsBlocked() throws InterruptedException {
    locker.blocks("a");

    Acquisition acquisition = acquire(Duration.ofSeconds(1), "a", "b");

    assertThat(acquisition).isInstanceOf(Acquisition.Blocked.class);
    assertThat(locker.log()).containsExactly("blocked a");
  }

  @Test
  void rollsBackAndRethrowsAnInterruption() {
    InterruptedException interruption = new InterruptedException("shutdown");
    locker.interrupts("c", interruption);

    Throwable thrown = catchThrowable(() -> acquire(Duration.ofSeconds(1), "a", "b", "c"));

    assertThat(thrown).isSameAs(interruption);
    assertThat(locker.log())
        .containsExactly("lock a", "lock b", "interrupted c", "release b", "release a");
  }

  @Test
  void rollsBackAndRethrowsARuntimeFailure() {
    LockBackendException storeDown =
        new LockBackendException("store down", List.of("c"), new IOException("reset"));
    locker.fails("c", storeDown);

    Throwable thrown = catchThrowable(() -> acquire(Duration.ofSeconds(1), "a", "b", "c"));

    assertThat(thrown).isSameAs(storeDown);
    assertThat(locker.log())
        .containsExactly("lock a", "lock b", "failed c", "release b", "release a");
  }

  @Test
  void suppressesARollbackReleaseFailureIntoTheOriginalFailure() {
    IllegalStateException original = new IllegalStateException("store down");
    IllegalStateException releaseFailure = new IllegalStateException("release refused");
    locker.fails("c", original).failsRelease("a", releaseFailure);

    Throwable thrown = catchThrowable(() -> acquire(Duration.ofSeconds(1), "a", "b", "c"));

    assertThat(thrown).isSameAs(original);
    assertThat(thrown.getSuppressed()).containsExactly(releaseFailure);
    assertThat(locker.taken("a").releases()).isEqualTo(1);
    assertThat(locker.taken("b").releases()).isEqualTo(1);
  }

  @Test
  void goesOnReleasingPastARollbackFailure() {
    IllegalStateException original = new IllegalStateException("store down");
    IllegalStateException releaseFailure = new IllegalStateException("release refused");
    locker.fails("c", original).failsRelease("b", releaseFailure);

    Throwable thrown = catchThrowable(() -> acquire(Duration.ofSeconds(1), "a", "b", "c"));

    assertThat(thrown).isSameAs(original);
    assertThat(locker.log())
        .containsExactly("lock a", "lock b", "failed c", "release b", "release a");
  }

  @Test
  void rollbackFailureAfterABlockedKeyIsABackendFailureAndReleasesEachKeyOnce() {
    IllegalStateException releaseFailure = new IllegalStateException("release refused");
    locker.blocks("c").failsRelease("b", releaseFailure);

    Throwable thrown = catchThrowable(() -> acquire(Duration.ofSeconds(1), "a", "b", "c"));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockBackendException.class,
            backend -> {
              assertThat(backend.getCause()).isSameAs(releaseFailure);
              assertThat(backend.keys()).containsExactly("a", "b", "c");
            });
    assertThat(locker.log())
        .containsExactly("lock a", "lock b", "blocked c", "release b", "release a");
  }

  @Test
  void handleReleasesInReverseOrderOnlyOnceAndGivesTheSameAnswerAgain()
      throws InterruptedException {
    LockHandle handle = acquired(acquire(Duration.ofSeconds(1), "a", "b", "c"));
    locker.taken("b").lose();

    List<String> first = handle.release();
    List<String> second = handle.release();

    assertThat(first).containsExactly("b");
    assertThat(second).isEqualTo(first);
    assertThat(locker.log())
        .containsExactly("lock a", "lock b", "lock c", "release c", "release b", "release a");
  }

  @Test
  void handleReportsKeysLostAtReleaseInAcquisitionOrder() throws InterruptedException {
    LockHandle handle = acquired(acquire(Duration.ofSeconds(1), "a", "b", "c"));
    locker.taken("c").lose();
    locker.taken("a").lose();

    List<String> lost = handle.release();

    assertThat(lost).containsExactly("a", "c");
    assertThat(handle.lostKeys()).containsExactly("a", "c");
  }

  @Test
  void handleAsksEachHeldKeyWhetherItWasLost() throws InterruptedException {
    LockHandle handle = acquired(acquire(Duration.ofSeconds(1), "a", "b", "c"));
    List<String> before = handle.lostKeys();

    locker.taken("b").lose();

    assertThat(before).isEmpty();
    assertThat(handle.lostKeys()).containsExactly("b");
  }

  @Test
  void handleGivesTheFencingTokenOfEachHeldKey() throws InterruptedException {
    LockHandle handle = acquired(acquire(Duration.ofSeconds(1), "a", "b"));

    OptionalLong tokenOfB = handle.fencingToken("b");
    OptionalLong tokenOfUnknown = handle.fencingToken("z");

    assertThat(tokenOfB).hasValue(locker.taken("b").token());
    assertThat(tokenOfUnknown).isEmpty();
  }

  @Test
  void handleReportsAReleaseFailureAsBackendFailureAfterReleasingTheOthers()
      throws InterruptedException {
    LockHandle handle = acquired(acquire(Duration.ofSeconds(1), "a", "b", "c"));
    IllegalStateException releaseFailure = new IllegalStateException("release refused");
    locker.taken("b").failReleaseWith(releaseFailure);

    Throwable thrown = catchThrowable(handle::release);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockBackendException.class,
            backend -> {
              assertThat(backend.getCause()).isSameAs(releaseFailure);
              assertThat(backend.keys()).containsExactly("a", "b", "c");
            });
    assertThat(locker.taken("a").releases()).isEqualTo(1);
    assertThat(locker.taken("c").releases()).isEqualTo(1);
  }

  @Test
  void handlePassesABackendFailureOfAReleaseThroughUnwrapped() throws InterruptedException {
    LockHandle handle = acquired(acquire(Duration.ofSeconds(1), "a", "b"));
    LockBackendException releaseFailure =
        new LockBackendException("refused", List.of("a"), new IOException("reset"));
    locker.taken("a").failReleaseWith(releaseFailure);

    Throwable thrown = catchThrowable(handle::release);

    assertThat(thrown).isSameAs(releaseFailure);
  }

  /** The regression: an Error was not caught, so the keys taken before it stayed held. */
  @Test
  void rollsBackAndRethrowsAnErrorThrownAfterKeysWereTaken() {
    StackOverflowError error = new StackOverflowError("deep");
    locker.throwsError("c", error);

    Throwable thrown = catchThrowable(() -> acquire(Duration.ofSeconds(1), "a", "b", "c"));

    assertThat(thrown).isSameAs(error);
    assertThat(locker.log())
        .containsExactly("lock a", "lock b", "error c", "release b", "release a");
  }

  /**
   * The regression: a second release while the first was still releasing returned "nothing lost" at
   * once, before the first had found a key lost.
   */
  @Test
  void aSecondReleaseWhileTheFirstIsUnderWayGetsTheFirstsAnswer() throws Exception {
    LockHandle handle = acquired(acquire(Duration.ofSeconds(1), "a", "b"));
    locker.taken("a").lose();
    CountDownLatch firstIsReleasing = new CountDownLatch(1);
    CountDownLatch letItFinish = new CountDownLatch(1);
    locker.taken("b").holdReleaseUntil(firstIsReleasing, letItFinish);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    Future<List<String>> first = threads.submit(handle::release);
    firstIsReleasing.await();

    Future<List<String>> second = threads.submit(handle::release);
    letItFinish.countDown();
    List<String> secondAnswer = second.get(10, TimeUnit.SECONDS);
    threads.shutdown();

    assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("a");
    assertThat(secondAnswer).containsExactly("a");
    assertThat(locker.taken("a").releases()).isEqualTo(1);
  }

  private Acquisition acquire(Duration waitTime, String... keys) throws InterruptedException {
    LockRequest request =
        LockRequest.of(List.of(keys), waitTime, Duration.ofSeconds(10), LeaseMode.FIXED, "test");
    return OrderedAcquisition.acquire(request, Deadline.after(waitTime, ticker), locker);
  }

  private static LockHandle acquired(Acquisition acquisition) {
    assertThat(acquisition).isInstanceOf(Acquisition.Acquired.class);
    return ((Acquisition.Acquired) acquisition).handle();
  }
}
