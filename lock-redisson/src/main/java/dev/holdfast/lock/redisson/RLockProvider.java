package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.HeldKey;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.spi.OrderedAcquisition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.CommonOptions;

/**
 * The compatible mode: Redisson's own per-key {@link RLock}s, so that holders of plain Redisson
 * locks on the same key names exclude and are excluded. Keys are taken one at a time in canonical
 * order under the one shared deadline, and rolled back when one cannot be had. See {@link
 * RedissonLockProvider}.
 */
final class RLockProvider implements LockProvider {

  private static final Set<LockCapability> CAPABILITIES =
      Set.of(
          LockCapability.LEASE_EXPIRY,
          LockCapability.LEASE_RENEWAL,
          LockCapability.CROSS_CLIENT_EXCLUSION);

  /**
   * Redisson names an {@link RLock}'s owner by client id and thread id. Each acquisition passes its
   * own id instead, counting down from -1 so it never equals a real thread's (positive) id: the
   * lock then belongs to the acquisition, and any thread may release it.
   */
  private static final AtomicLong LOCK_IDS = new AtomicLong();

  private final RedissonClient redisson;
  private final long responseTimeoutNanos;
  private final Duration watchdogTimeout;
  private final UncertainReleases uncertainReleases;
  private final CommandSender sender;

  RLockProvider(
      RedissonClient redisson,
      Duration responseTimeout,
      ScheduledExecutorService scheduler,
      CommandSender sender) {
    this.redisson = redisson;
    this.sender = sender;
    this.responseTimeoutNanos = responseTimeout.toNanos();
    this.watchdogTimeout = Duration.ofMillis(redisson.getConfig().getLockWatchdogTimeout());
    this.uncertainReleases = new UncertainReleases(scheduler);
  }

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Hold hold =
        new Hold(
            LOCK_IDS.decrementAndGet(),
            request,
            RedisReplies.endAfter(deadline.remainingNanos(), responseTimeoutNanos));
    return OrderedAcquisition.acquire(
        request, deadline, (key, req, timeoutNanos) -> hold.tryLock(lockOf(key), timeoutNanos));
  }

  /**
   * Redisson's lock of {@code key}, without the client's retries: an {@code RLock} is reentrant, so
   * a lock command resent after a slow reply would count the lock twice, and the one unlock of the
   * release would leave it held until its lease ends.
   */
  private RLock lockOf(String key) {
    return redisson.getLock(CommonOptions.name(key).retryAttempts(0));
  }

  /**
   * One acquisition's locks: its lock id, and the end that the replies of all its keys share, so
   * that a call ends within its wait plus one response timeout however many keys it takes.
   */
  private final class Hold {

    private final long lockId;
    private final LockRequest request;
    private final long acquireEnd;

    /** Set once an unlock has gone unanswered: Redis is not answering, so the rest do not wait. */
    private volatile boolean releaseUnanswered;

    Hold(long lockId, LockRequest request, long acquireEnd) {
      this.lockId = lockId;
      this.request = request;
      this.acquireEnd = acquireEnd;
    }

    Optional<HeldKey> tryLock(RLock lock, long timeoutNanos) throws InterruptedException {
      // Renewing mode is Redisson's watchdog (lease -1): it renews by the client's
      // lockWatchdogTimeout, not by the request's lease.
      long leaseMillis =
          request.leaseMode() == LeaseMode.RENEWING ? -1 : request.leaseTime().toMillis();
      CompletableFuture<Boolean> reply =
          sender.send(
              acquireEnd,
              () ->
                  lock.tryLockAsync(
                      TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                      leaseMillis,
                      TimeUnit.MILLISECONDS,
                      lockId));
      boolean locked;
      try {
        locked =
            RedisReplies.await(
                reply, acquireEnd - System.nanoTime(), "acquiring", List.of(lock.getName()));
      } catch (InterruptedException | LockBackendException e) {
        // Stop Redisson's own waiting; should it take the lock anyway, give it back. A failure of
        // that unlock needs no report: the background release below goes on regardless.
        reply.cancel(false);
        var unused =
            reply.thenCompose(
                lateLock ->
                    lateLock
                        ? unlock(lock, lockId, CommandSender.NO_SEND_LIMIT)
                        : CompletableFuture.completedFuture(false));
        releaseLater(lock);
        throw e;
      }
      return locked ? Optional.of(new HeldRLock(lock, this)) : Optional.empty();
    }

    /**
     * The end of one key's unlock. Each key is its own round trip, one after another: each gets a
     * whole response timeout while Redis answers, so that the release of many keys, or under load,
     * is no race against one response timeout; once one has gone unanswered, the others are sent
     * without waiting, so that a release ends within one response timeout when Redis stalls.
     */
    long unlockEnd() {
      return releaseUnanswered ? System.nanoTime() : RedisReplies.endAfter(0, responseTimeoutNanos);
    }

    void releaseLater(RLock lock) {
      uncertainReleases.releaseLater(
          List.of(lock.getName()),
          () -> unlock(lock, lockId, CommandSender.NO_SEND_LIMIT),
          leaseOf(request));
    }
  }

  /** The longest a lock taken for {@code request} can live without a release. */
  private Duration leaseOf(LockRequest request) {
    return request.leaseMode() == LeaseMode.RENEWING ? watchdogTimeout : request.leaseTime();
  }

  /**
   * Unlocks {@code lock} for {@code lockId}; completes normally once Redis has answered, also when
   * the lock was no longer held.
   *
   * @param sendBy when to give up sending, as for {@link CommandSender#send}
   * @return whether the lock was still held
   */
  private CompletableFuture<Boolean> unlock(RLock lock, long lockId, long sendBy) {
    return sender
        .send(sendBy, () -> lock.unlockAsync(lockId))
        .handle(
            (ignored, failure) -> {
              if (failure == null) {
                return true;
              }
              if (isNotHeld(failure)) {
                return false;
              }
              throw failure instanceof CompletionException completion
                  ? completion
                  : new CompletionException(failure);
            });
  }

  private static boolean isNotHeld(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IllegalMonitorStateException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Set<LockCapability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public String toString() {
    return "RedissonLockProvider{mode=REDISSON_COMPATIBLE}";
  }

  /** One Redisson lock held for one acquisition. */
  private final class HeldRLock implements HeldKey {

    private final RLock lock;
    private final Hold hold;

    HeldRLock(RLock lock, Hold hold) {
      this.lock = lock;
      this.hold = hold;
    }

    @Override
    public OptionalLong fencingToken() {
      return OptionalLong.empty();
    }

    @Override
    public boolean isLost() {
      long end = RedisReplies.endAfter(0, responseTimeoutNanos);
      return !RedisReplies.awaitUninterruptibly(
          sender.send(end, () -> lock.isHeldByThreadAsync(hold.lockId)),
          end - System.nanoTime(),
          "checking",
          List.of(lock.getName()));
    }

    @Override
    public boolean release() {
      long end = hold.unlockEnd();
      try {
        return RedisReplies.awaitUninterruptibly(
            unlock(lock, hold.lockId, end),
            end - System.nanoTime(),
            "releasing",
            List.of(lock.getName()));
      } catch (LockBackendException e) {
        if (e.getCause() instanceof TimeoutException) {
          hold.releaseUnanswered = true;
        }
        hold.releaseLater(lock);
        throw e;
      }
    }
  }
}
