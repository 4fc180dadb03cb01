package dev.holdfast.lock.spi;

import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link SingleKeyLocker} told per key what to do: take it, report it blocked, or fail; each
 * after a given time on the ticker. It logs every lock and release, and remembers the timeouts it
 * was given.
 */
final class ScriptedLocker implements SingleKeyLocker {

  @FunctionalInterface
  private interface Step {
    Optional<HeldKey> run(String key) throws InterruptedException;
  }

  private final FakeTicker ticker;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<Long> timeouts = new ArrayList<>();
  private final Map<String, Step> steps = new HashMap<>();
  private final Map<String, ScriptedKey> taken = new HashMap<>();
  private final Map<String, RuntimeException> releaseFailures = new HashMap<>();
  private long lastToken;

  ScriptedLocker(FakeTicker ticker) {
    this.ticker = ticker;
  }

  /** {@code key} is taken after {@code after}; keys without a script are taken at once. */
  ScriptedLocker takes(String key, Duration after) {
    steps.put(
        key,
        k -> {
          ticker.advance(after);
          return Optional.of(take(k));
        });
    return this;
  }

  /** {@code key} is kept by another holder for the whole wait. */
  ScriptedLocker blocks(String key) {
    steps.put(
        key,
        k -> {
          log.add("blocked " + k);
          return Optional.empty();
        });
    return this;
  }

  /** Trying {@code key} is interrupted. */
  ScriptedLocker interrupts(String key, InterruptedException interruption) {
    steps.put(
        key,
        k -> {
          log.add("interrupted " + k);
          throw interruption;
        });
    return this;
  }

  /** Trying {@code key} fails with {@code failure}. */
  ScriptedLocker fails(String key, RuntimeException failure) {
    steps.put(
        key,
        k -> {
          log.add("failed " + k);
          throw failure;
        });
    return this;
  }

  /** Trying {@code key} throws {@code error}, as a bug or an exhausted JVM would. */
  ScriptedLocker throwsError(String key, Error error) {
    steps.put(
        key,
        k -> {
          log.add("error " + k);
          throw error;
        });
    return this;
  }

  /** Once taken, releasing {@code key} fails with {@code failure}. */
  ScriptedLocker failsRelease(String key, RuntimeException failure) {
    releaseFailures.put(key, failure);
    return this;
  }

  @Override
  public Optional<HeldKey> tryLock(String key, LockRequest request, long timeoutNanos)
      throws InterruptedException {
    timeouts.add(timeoutNanos);
    Step step = steps.get(key);
    return step == null ? Optional.of(take(key)) : step.run(key);
  }

  private ScriptedKey take(String key) {
    log.add("lock " + key);
    ScriptedKey held = new ScriptedKey(key, ++lastToken);
    RuntimeException releaseFailure = releaseFailures.get(key);
    if (releaseFailure != null) {
      held.failReleaseWith(releaseFailure);
    }
    taken.put(key, held);
    return held;
  }

  /** What happened, in order: {@code lock k}, {@code blocked k}, {@code release k}, ... */
  List<String> log() {
    return List.copyOf(log);
  }

  /** The timeout of every {@code tryLock}, in nanoseconds, in order. */
  List<Long> timeouts() {
    return List.copyOf(timeouts);
  }

  /** The held key handed out for {@code key}. */
  ScriptedKey taken(String key) {
    ScriptedKey held = taken.get(key);
    if (held == null) {
      throw new AssertionError(key + " was never taken");
    }
    return held;
  }

  /** A held key whose loss and release failure a test sets; it logs and counts its releases. */
  final class ScriptedKey implements HeldKey {

    private final String key;
    private final long token;
    private boolean lost;
    private RuntimeException releaseFailure;
    private volatile int releases;
    private CountDownLatch releaseStarted = new CountDownLatch(0);
    private CountDownLatch releaseMayProceed = new CountDownLatch(0);

    ScriptedKey(String key, long token) {
      this.key = key;
      this.token = token;
    }

    void lose() {
      lost = true;
    }

    void failReleaseWith(RuntimeException failure) {
      releaseFailure = failure;
    }

    /** Makes its release open {@code started}, then wait until {@code proceed} opens. */
    void holdReleaseUntil(CountDownLatch started, CountDownLatch proceed) {
      releaseStarted = started;
      releaseMayProceed = proceed;
    }

    int releases() {
      return releases;
    }

    long token() {
      return token;
    }

    @Override
    public OptionalLong fencingToken() {
      return OptionalLong.of(token);
    }

    @Override
    public boolean isLost() {
      return lost;
    }

    @Override
    public boolean release() {
      releaseStarted.countDown();
      try {
        releaseMayProceed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the test held the release", e);
      }
      releases++;
      log.add("release " + key);
      if (releaseFailure != null) {
        throw releaseFailure;
      }
      return !lost;
    }
  }
}
