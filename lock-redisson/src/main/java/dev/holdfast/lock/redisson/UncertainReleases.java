package dev.holdfast.lock.redisson;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after an attempt whose outcome is unknown: an acquire that timed out, lost its
 * connection or was interrupted may still be applied by Redis later (a stalled server runs the
 * commands queued on its sockets when it resumes), and would leave a lock nobody knows it holds.
 * Such keys are released by their owner token in the background, again and again, until Redis has
 * answered at least once and the lease the attempt asked for has run out since it was given up:
 * after that the command can no longer take effect, or its lease has ended.
 */
final class UncertainReleases {

  private static final Logger log = LoggerFactory.getLogger(UncertainReleases.class);

  private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How long past the lease to go on when Redis never answers, before giving up with a warning. */
  private static final long GIVE_UP_AFTER_LEASE_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final ScheduledExecutorService scheduler;

  UncertainReleases(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Starts releasing {@code keys} in the background.
   *
   * @param release sends one release by owner token; completes normally once Redis has answered,
   *     whether or not the keys were still held
   * @param lease the lease the uncertain attempt asked for
   */
  void releaseLater(List<String> keys, Supplier<CompletableFuture<?>> release, Duration lease) {
    long givenUpAt = System.nanoTime();
    new Retry(keys, release, givenUpAt + lease.toNanos()).run();
  }

  private final class Retry implements Runnable {

    private final List<String> keys;
    private final Supplier<CompletableFuture<?>> release;
    private final long leaseEndNanos;
    private long delayNanos = FIRST_RETRY_NANOS;
    private boolean answered;

    Retry(List<String> keys, Supplier<CompletableFuture<?>> release, long leaseEndNanos) {
      this.keys = keys;
      this.release = release;
      this.leaseEndNanos = leaseEndNanos;
    }

    @Override
    public void run() {
      CompletableFuture<?> reply;
      try {
        reply = release.get();
      } catch (RuntimeException e) {
        reply = CompletableFuture.failedFuture(e);
      }
      // next() handles every outcome and never throws, so the returned stage has nothing to tell.
      var unused = reply.whenComplete((ignored, failure) -> next(failure == null));
    }

    private void next(boolean answeredNow) {
      answered |= answeredNow;
      long now = System.nanoTime();
      if (answered && now - leaseEndNanos >= 0) {
        log.debug("Released {} after an attempt with an unknown outcome", keys);
        return;
      }
      if (now - leaseEndNanos - GIVE_UP_AFTER_LEASE_NANOS >= 0) {
        log.warn(
            "Redis never answered a release of {} after an attempt with an unknown outcome; if it"
                + " applies that attempt later, the keys stay held until their lease ends",
            keys);
        return;
      }
      try {
        // Never cancelled one by one: closing the provider drops every pending retry.
        var unused = scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        delayNanos = Math.min(delayNanos * 2, MAX_RETRY_NANOS);
      } catch (RejectedExecutionException closed) {
        log.debug("Provider closed; {} free themselves when their lease ends", keys);
      }
    }
  }
}
