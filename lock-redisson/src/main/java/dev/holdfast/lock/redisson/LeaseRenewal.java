package dev.holdfast.lock.redisson;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lease of one held slot group alive: every third of the lease, one script extends all of
 * the group's keys that the owner still holds and names those it no longer holds. The task never
 * blocks the scheduler (the script runs asynchronously) and is cancelled by the release.
 *
 * <p>Renewals are sent at a fixed rate, counted from the acquisition, not after the previous reply:
 * a slow reply must not push the next renewal past the lease. A tick that finds a renewal still in
 * flight skips it. A renewal extends the lease from when it was sent at the earliest, so the hold
 * is counted as renewed at the send time of the last successful renewal.
 *
 * <p>A key is marked lost as soon as a renewal finds it gone or owned by someone else, and every
 * key is marked lost once no renewal sent in the last lease has succeeded: another client may hold
 * them.
 */
final class LeaseRenewal implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

  /**
   * What one renewal found.
   *
   * @param lost the keys the owner no longer holds
   * @param renewed whether it counts as a renewal: false when too few replicas acknowledged it
   */
  record Outcome(List<String> lost, boolean renewed) {}

  private final ScheduledExecutorService scheduler;
  private final List<String> keys;
  private final Supplier<CompletableFuture<Outcome>> renew;
  private final Consumer<List<String>> markLost;
  private final long leaseNanos;
  private final long intervalNanos;
  private final Set<LeaseRenewal> active;

  private volatile boolean cancelled;
  private volatile boolean inFlight;
  private volatile boolean expired;
  private volatile @Nullable ScheduledFuture<?> ticks;
  private volatile long lastRenewedAt;

  /**
   * @param renew extends the keys still held, and names those that are not
   * @param active the provider's running renewals, which this one joins until cancelled
   */
  LeaseRenewal(
      ScheduledExecutorService scheduler,
      List<String> keys,
      long leaseNanos,
      Supplier<CompletableFuture<Outcome>> renew,
      Consumer<List<String>> markLost,
      Set<LeaseRenewal> active) {
    this.scheduler = scheduler;
    this.keys = keys;
    this.leaseNanos = leaseNanos;
    this.intervalNanos = intervalNanos(leaseNanos);
    this.renew = renew;
    this.markLost = markLost;
    this.active = active;
  }

  /** A third of the lease: two renewals in a row may fail before the lease runs out. */
  static long intervalNanos(long leaseNanos) {
    return Math.max(TimeUnit.MILLISECONDS.toNanos(1), leaseNanos / 3);
  }

  /**
   * The longest a renewal or an acquisition waits for its replicas: a quarter of the lease, so that
   * a renewal has its answer before the next is due, and an acquisition leaves most of its lease to
   * the caller.
   */
  static long longestAcknowledgementNanos(long leaseNanos) {
    return leaseNanos / 4;
  }

  /**
   * Renews every third of a lease from {@code acquiredAt}.
   *
   * @param acquiredAt the {@link System#nanoTime()} at which the acquisition was sent: where its
   *     lease began at the earliest
   */
  void start(long acquiredAt) {
    lastRenewedAt = acquiredAt;
    active.add(this);
    long firstDelay = Math.max(0, acquiredAt + intervalNanos - System.nanoTime());
    try {
      ticks = scheduler.scheduleAtFixedRate(this, firstDelay, intervalNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      log.debug("Provider closed; {} are no longer renewed", keys);
      active.remove(this);
    }
    if (cancelled) {
      // A cancel that raced with the lines above may have missed the task.
      cancel();
    }
  }

  /** Stops renewing; a renewal already sent finishes, but its answer is ignored. */
  void cancel() {
    cancelled = true;
    active.remove(this);
    ScheduledFuture<?> scheduled = ticks;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    if (cancelled) {
      return;
    }
    // Renewing goes on after a whole lease without success: a key still held stays out of others'
    // reach while the caller learns that it is lost.
    checkExpiry(now, null);
    if (inFlight) {
      return;
    }
    inFlight = true;
    CompletableFuture<Outcome> reply;
    try {
      reply = renew.get();
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    // renewed() handles every outcome and never throws, so the returned stage has nothing to tell.
    var unused = reply.whenComplete((outcome, failure) -> renewed(now, outcome, failure));
  }

  private void renewed(long sentAt, @Nullable Outcome outcome, @Nullable Throwable failure) {
    inFlight = false;
    if (cancelled) {
      return;
    }
    if (outcome != null) {
      if (!outcome.lost().isEmpty()) {
        markLost.accept(outcome.lost());
      }
      if (outcome.renewed()) {
        lastRenewedAt = Math.max(lastRenewedAt, sentAt);
        return;
      }
    }
    log.debug("Renewal of {} failed; trying again", keys, failure);
    checkExpiry(System.nanoTime(), failure);
  }

  /** Marks every key lost, once, when no renewal sent within the last lease has succeeded. */
  private void checkExpiry(long now, @Nullable Throwable failure) {
    if (now - lastRenewedAt >= leaseNanos && !expired) {
      expired = true;
      log.warn("Could not renew {} for a whole lease; treating them as lost", keys, failure);
      markLost.accept(keys);
    }
  }
}
