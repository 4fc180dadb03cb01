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
 * <p>A key is marked lost when the script finds it gone or owned by someone else, and every key is
 * marked lost when no renewal has succeeded for a whole lease: another client may hold them.
 */
final class LeaseRenewal implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

  private final ScheduledExecutorService scheduler;
  private final List<String> keys;
  private final Supplier<CompletableFuture<List<String>>> renew;
  private final Consumer<List<String>> markLost;
  private final long leaseNanos;
  private final long intervalNanos;
  private final Set<LeaseRenewal> active;

  private volatile boolean cancelled;
  private volatile @Nullable ScheduledFuture<?> next;
  private long lastRenewedAt;

  /**
   * @param renew extends the keys still held, and returns those that are not
   * @param active the provider's running renewals, which this one joins until cancelled
   */
  LeaseRenewal(
      ScheduledExecutorService scheduler,
      List<String> keys,
      long leaseNanos,
      Supplier<CompletableFuture<List<String>>> renew,
      Consumer<List<String>> markLost,
      Set<LeaseRenewal> active) {
    this.scheduler = scheduler;
    this.keys = keys;
    this.leaseNanos = leaseNanos;
    this.intervalNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), leaseNanos / 3);
    this.renew = renew;
    this.markLost = markLost;
    this.active = active;
  }

  /** Schedules the first renewal a third of a lease from now. */
  void start() {
    lastRenewedAt = System.nanoTime();
    active.add(this);
    scheduleNext();
  }

  /** Stops renewing; a renewal already sent finishes, but its answer is ignored. */
  void cancel() {
    cancelled = true;
    active.remove(this);
    ScheduledFuture<?> scheduled = next;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  @Override
  public void run() {
    if (cancelled) {
      return;
    }
    CompletableFuture<List<String>> reply;
    try {
      reply = renew.get();
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    // renewed() handles every outcome and never throws, so the returned stage has nothing to tell.
    var unused = reply.whenComplete(this::renewed);
  }

  private void renewed(@Nullable List<String> lost, @Nullable Throwable failure) {
    if (cancelled) {
      return;
    }
    long now = System.nanoTime();
    if (failure == null && lost != null) {
      lastRenewedAt = now;
      if (!lost.isEmpty()) {
        markLost.accept(lost);
      }
    } else if (now - lastRenewedAt >= leaseNanos) {
      log.warn("Could not renew {} for a whole lease; treating them as lost", keys, failure);
      markLost.accept(keys);
    } else {
      log.debug("Renewal of {} failed; trying again", keys, failure);
    }
    scheduleNext();
  }

  private void scheduleNext() {
    try {
      next = scheduler.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      log.debug("Provider closed; {} are no longer renewed", keys);
      active.remove(this);
    }
    if (cancelled) {
      // A cancel that raced with the line above may have missed the new task.
      cancel();
    }
  }
}
