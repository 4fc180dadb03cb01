package dev.holdfast.lock.redisson;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after an attempt whose outcome is unknown: an acquire that timed out, lost its
 * connection or was interrupted may still be applied by Redis later (a stalled server runs the
 * commands queued on its sockets when it resumes), and would leave a lock nobody knows it holds.
 * Such keys are released by their owner token in the background, again and again, until the lease
 * the attempt asked for has run out since it was given up, and a release sent after Redis had
 * already answered an earlier one has been answered too. A resumed server runs what was queued on
 * all its sockets in one pass of its event loop, so by then the attempt has been applied and
 * undone, or will never be applied; and if it was applied late, its lease has ended.
 *
 * <p>An error reply (such as {@code WRONGTYPE}) is an answer too: only timeouts and connection
 * failures leave the question open.
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
    try {
      // Not on the caller's thread, even the first time: the caller has a deadline to keep.
      scheduler.execute(new Retry(keys, release, givenUpAt + lease.toNanos()));
    } catch (RejectedExecutionException closed) {
      log.debug("Provider closed; {} free themselves when their lease ends", keys);
    }
  }

  /** Tells whether {@code failure} is Redis's error reply, rather than no reply at all. */
  private static boolean isAnswer(Throwable failure) {
    Throwable root =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return root instanceof RedisException
        && !(root instanceof RedisTimeoutException
            || root instanceof RedisConnectionException
            || root instanceof RedisRetryException
            || root instanceof RedisNodeNotFoundException
            || root instanceof RedisReconnectedException);
  }

  private final class Retry implements Runnable {

    private final List<String> keys;
    private final Supplier<CompletableFuture<?>> release;
    private final long leaseEndNanos;
    private long delayNanos = FIRST_RETRY_NANOS;
    private boolean answered;
    private boolean confirmed;

    Retry(List<String> keys, Supplier<CompletableFuture<?>> release, long leaseEndNanos) {
      this.keys = keys;
      this.release = release;
      this.leaseEndNanos = leaseEndNanos;
    }

    @Override
    public void run() {
      boolean sentAfterAnAnswer = answered;
      CompletableFuture<?> reply;
      try {
        reply = release.get();
      } catch (RuntimeException e) {
        reply = CompletableFuture.failedFuture(e);
      }
      // next() handles every outcome and never throws, so the returned stage has nothing to tell.
      var unused =
          reply.whenComplete(
              (ignored, failure) -> next(failure == null || isAnswer(failure), sentAfterAnAnswer));
    }

    private void next(boolean answeredNow, boolean sentAfterAnAnswer) {
      answered |= answeredNow;
      confirmed |= answeredNow && sentAfterAnAnswer;
      long now = System.nanoTime();
      if (confirmed && now - leaseEndNanos >= 0) {
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
