package dev.holdfast.lock.redisson;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the threads of this provider whose keys a release handed to them.
 *
 * <p>The queue of waiters lives in Redis, one list per lock key: a failed try appends its owner
 * ({@code acquire.lua}), and the release of a key a waiter marked reserves the keys of the first
 * waiter whose keys are all free for it, and names it ({@code release.lua}). A release by this
 * provider wakes its own waiters directly from the script's reply; one by another provider
 * publishes the waiter's owner token on this provider's channel, {@value #CHANNEL_PREFIX} followed
 * by the provider id: one subscription per provider, whichever keys its threads wait for. So a
 * release wakes one waiter, the one whose next try takes the keys, and no other.
 *
 * <p>A waiter registers under its owner token before its first try, so that a hand-off that comes
 * between the failed try and the thread's parking is not lost. A hand-off that is lost all the same
 * (a message published before the subscription was in place, a queue lost to a failover) only
 * delays the waiter until the fallback poll or the end of the lease that blocked it: it then tries
 * again, and takes a key reserved for it as its own.
 */
final class HandOffs {

  /** The channel of a provider's hand-offs is this prefix followed by the provider id. */
  static final String CHANNEL_PREFIX = "holdfast:granted:";

  private static final Logger log = LoggerFactory.getLogger(HandOffs.class);

  private final RedissonClient redisson;
  private final String providerId;
  private final ConcurrentHashMap<String, Waiter> waiters = new ConcurrentHashMap<>();

  /** The subscription's listener id once subscribed; null before the first wait or after close. */
  private volatile @Nullable CompletableFuture<Integer> listenerId;

  HandOffs(RedissonClient redisson, String providerId) {
    this.redisson = redisson;
    this.providerId = providerId;
  }

  /**
   * Registers the calling thread as the waiter of {@code owner}, before its first try.
   *
   * @return the waiter, to {@linkplain Waiter#await await} and finally to {@linkplain #leave leave}
   */
  Waiter register(String owner) {
    Waiter waiter = new Waiter(owner, Thread.currentThread());
    waiters.put(owner, waiter);
    return waiter;
  }

  /** Forgets {@code waiter}: a hand-off to its owner from now on wakes nobody. */
  void leave(Waiter waiter) {
    waiters.remove(waiter.owner, waiter);
  }

  /** Wakes the waiter of {@code owner}, if it still waits: a release handed its keys to it. */
  void handedOff(String owner) {
    Waiter waiter = waiters.get(owner);
    if (waiter != null) {
      waiter.signal();
    }
  }

  /**
   * Subscribes to this provider's channel unless it is subscribed or subscribing already, or a
   * subscription failed (a new one is tried then).
   *
   * @return whether the subscription is not yet known to be in place: a hand-off published before
   *     it is goes unheard, so the caller waits for it ({@link #awaitSubscribed}) and tries again
   */
  boolean subscribe() {
    CompletableFuture<Integer> subscribed = listenerId;
    if (subscribed != null && subscribed.isDone() && !subscribed.isCompletedExceptionally()) {
      return false; // every wait but the first few: no lock taken
    }
    return subscribeAgain();
  }

  private synchronized boolean subscribeAgain() {
    CompletableFuture<Integer> current = listenerId;
    if (current == null || current.isCompletedExceptionally()) {
      current =
          topic()
              .addListenerAsync(String.class, (channel, owner) -> handedOff(owner))
              .toCompletableFuture();
      listenerId = current;
    }
    return !current.isDone();
  }

  /** Waits until the subscription is in place, or {@code timeoutNanos} has passed. */
  void awaitSubscribed(long timeoutNanos) throws InterruptedException {
    CompletableFuture<Integer> current = listenerId;
    if (current == null) {
      return;
    }
    try {
      current.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // The fallback poll covers a missing subscription; the next try goes ahead regardless.
      log.debug("No hand-off subscription for {} yet: {}", providerId, e.toString());
    }
  }

  /** Drops the subscription; a later wait subscribes again. */
  synchronized void unsubscribe() {
    CompletableFuture<Integer> current = listenerId;
    listenerId = null;
    if (current != null) {
      // A failed unsubscribe only leaves a listener that wakes nobody; there is no one to tell.
      var unused = current.thenCompose(id -> topic().removeListenerAsync(id));
    }
  }

  /** Tells whether the provider has a subscription, or one on its way. For tests. */
  boolean isSubscribed() {
    return listenerId != null;
  }

  private RTopic topic() {
    return redisson.getTopic(CHANNEL_PREFIX + providerId, StringCodec.INSTANCE);
  }

  /** A thread waiting for the keys of one owner token. */
  static final class Waiter {

    private final String owner;
    private final Thread thread;
    private volatile boolean handedOff;

    private Waiter(String owner, Thread thread) {
      this.owner = owner;
      this.thread = thread;
    }

    private void signal() {
      handedOff = true;
      LockSupport.unpark(thread);
    }

    /**
     * Parks until a release hands the keys over or {@code timeoutNanos} has passed, then clears the
     * hand-off.
     *
     * @return whether a release handed the keys over, rather than the time passing
     * @throws InterruptedException if interrupted; the flag is cleared
     */
    boolean await(long timeoutNanos) throws InterruptedException {
      long end = System.nanoTime() + timeoutNanos;
      long left = timeoutNanos;
      while (!handedOff && left > 0) {
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        left = end - System.nanoTime();
      }
      boolean woken = handedOff;
      handedOff = false;
      return woken;
    }
  }
}
