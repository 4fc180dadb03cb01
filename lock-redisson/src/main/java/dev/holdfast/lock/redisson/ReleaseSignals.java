package dev.holdfast.lock.redisson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the threads of this provider that wait for keys, when those keys are released.
 *
 * <p>Each waited-for key has a FIFO queue of this provider's waiters and, while the queue is not
 * empty and for one linger period after, a subscription to the key's release channel, on which the
 * release script publishes once this provider's waiters marked the key by a failed try ({@code
 * acquire.lua}). A release wakes one waiter: the first one not already woken. A release by this
 * provider wakes its waiter directly, and publishes nothing for waiters of this provider alone (the
 * provider ignores its own messages), so a hand-off costs one wake-up.
 *
 * <p>A newcomer whose keys have waiters queues behind them instead of trying first: without this,
 * the thread that just released a hot key would take it back before the woken waiter's try reaches
 * Redis, again and again. The first waiter of each key also tries again at every fallback poll, so
 * a lost message delays the queue but cannot strand it; the others wait for their turn.
 *
 * <p>A waiter that several keys blocked is woken once every one of them has been released since its
 * failed try: a try while one is still held would fail again. A release that finds the first waiter
 * of its key still waiting for another key goes on to the next waiter, so the key does not stand
 * idle while others could take it.
 *
 * <p>A release can come between a waiter's failed try and its joining the key's queue, or, for a
 * key it already waited for, its noting the keys the try found taken: the wake-up then finds nobody
 * to wake, or is forgotten. Every wake-up is numbered ({@link #releaseCount()}), each queue keeps
 * the number of its key's last one, and a waiter counts each key released after it read the count
 * (before its try) as released; with all of them released it tries again at once instead of
 * sleeping a whole poll interval.
 */
final class ReleaseSignals {

  /** The channel a key's release is published on is this prefix followed by the key. */
  static final String CHANNEL_PREFIX = "holdfast:released:";

  private static final Logger log = LoggerFactory.getLogger(ReleaseSignals.class);

  private final RedissonClient redisson;
  private final String providerId;
  private final ScheduledExecutorService scheduler;
  private final long lingerNanos;
  private final ConcurrentHashMap<String, KeyQueue> queues = new ConcurrentHashMap<>();

  /** Numbers the wake-ups: releases heard of, and wake-ups passed on. */
  private final AtomicLong releases = new AtomicLong();

  /**
   * @param lingerNanos how long a key's subscription outlives its last waiter
   */
  ReleaseSignals(
      RedissonClient redisson,
      String providerId,
      ScheduledExecutorService scheduler,
      long lingerNanos) {
    this.redisson = redisson;
    this.providerId = providerId;
    this.scheduler = scheduler;
    this.lingerNanos = lingerNanos;
  }

  /** Returns those of {@code keys} that have a waiter of this provider queued; usually none. */
  List<String> keysWithWaiters(List<String> keys) {
    List<String> queued = null;
    for (String key : keys) {
      KeyQueue queue = queues.get(key);
      if (queue != null && !queue.waiters.isEmpty()) {
        if (queued == null) {
          queued = new ArrayList<>(keys.size());
        }
        queued.add(key);
      }
    }
    return queued == null ? List.of() : queued;
  }

  /**
   * Creates a waiter for the calling thread, in no queue yet: the caller holds it before it joins
   * any queue, so that {@link #leave} always runs, even when joining fails half-way.
   *
   * @return the waiter, to {@linkplain #waitFor queue}, {@linkplain Waiter#await await} and finally
   *     {@linkplain #leave take off every queue}
   */
  Waiter newWaiter() {
    return new Waiter(Thread.currentThread());
  }

  /**
   * Returns the number of the latest wake-up; read it before a try, and pass it to {@link #waitFor}
   * after the try failed.
   *
   * @return a number that only grows
   */
  long releaseCount() {
    return releases.get();
  }

  /**
   * Moves {@code waiter} to the queues of {@code keys}: it keeps its place where it already waits
   * and goes to the back of the new ones. The keys it stops waiting for were free at its last try,
   * so the next waiter on each of them is woken.
   *
   * @param releasesBefore {@link #releaseCount()} as read before the try that found {@code keys}
   *     taken
   * @return whether to try again now rather than wait: a key's subscription is new, not yet known
   *     to be in place (a release published before it is goes unheard), or every key was released
   *     after {@code releasesBefore} was read, when the waiter may not have been ready to hear it
   */
  boolean waitFor(Waiter waiter, List<String> keys, long releasesBefore) {
    waiter.stillHeld.clear();
    waiter.stillHeld.addAll(keys);
    for (Iterator<String> waited = waiter.keys.iterator(); waited.hasNext(); ) {
      String key = waited.next();
      if (!keys.contains(key)) {
        dequeue(waiter, key);
        waited.remove();
        signal(key);
      }
    }
    boolean newSubscription = false;
    for (String key : keys) {
      if (!waiter.keys.contains(key)) {
        waiter.keys.add(key);
        newSubscription |= enqueue(waiter, key);
      }
    }
    // A release since the count was read may have come before the waiter was queued, or, where it
    // already waited, before its still-held keys were reset above: either way it went unnoted.
    for (String key : keys) {
      KeyQueue queue = queues.get(key);
      if (queue != null && queue.lastRelease > releasesBefore) {
        waiter.stillHeld.remove(key);
      }
    }
    return newSubscription || waiter.stillHeld.isEmpty();
  }

  /**
   * Takes {@code waiter} off every queue. A waiter that gives up or fails after being woken passes
   * the wake-up on, so the release it was told about is not wasted.
   *
   * @param acquired whether the waiter got its keys (and so used the wake-up)
   */
  void leave(Waiter waiter, boolean acquired) {
    boolean passOn = !acquired && waiter.signalled;
    for (String key : waiter.keys) {
      dequeue(waiter, key);
      if (passOn) {
        signal(key);
      }
    }
    waiter.keys.clear();
  }

  /** Tells whether {@code waiter} is the oldest waiter of any of the keys it waits for. */
  boolean isFirstInLine(Waiter waiter) {
    for (String key : waiter.keys) {
      if (isFirst(waiter, key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tells whether no waiter is ahead of {@code waiter} on any key it waits for: those it queued
   * behind have left.
   */
  boolean isFirstInEveryLine(Waiter waiter) {
    for (String key : waiter.keys) {
      if (!isFirst(waiter, key)) {
        return false;
      }
    }
    return true;
  }

  private boolean isFirst(Waiter waiter, String key) {
    KeyQueue queue = queues.get(key);
    return queue != null && queue.waiters.peekFirst() == waiter;
  }

  /** Waits until every key's subscription is in place, or {@code timeoutNanos} has passed. */
  void awaitSubscribed(Waiter waiter, long timeoutNanos) throws InterruptedException {
    long end = System.nanoTime() + timeoutNanos;
    for (String key : waiter.keys) {
      KeyQueue queue = queues.get(key);
      if (queue == null) {
        continue;
      }
      try {
        queue.listenerId.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // The fallback poll covers a missing subscription; the next try goes ahead regardless.
        log.debug("No release subscription for {} yet: {}", key, e.toString());
      }
    }
  }

  /**
   * Wakes the first waiter of {@code key} that is not already awake and waits for no other key; the
   * waiters it passes over note that {@code key} was released.
   */
  void signal(String key) {
    long release = releases.incrementAndGet();
    queues.computeIfPresent(
        key,
        (k, queue) -> {
          queue.lastRelease = release;
          for (Waiter waiter : queue.waiters) {
            if (!waiter.signalled && waiter.released(k)) {
              waiter.signal();
              break;
            }
          }
          return queue;
        });
  }

  /** Drops every queue without waiters, and its subscription, without waiting for its linger. */
  void unsubscribeIdle() {
    for (String key : queues.keySet()) {
      queues.computeIfPresent(
          key,
          (k, queue) -> {
            if (!queue.waiters.isEmpty()) {
              return queue;
            }
            unsubscribe(k, queue.listenerId);
            return null;
          });
    }
  }

  /**
   * Returns how many keys have a queue, and so a subscription. For tests: none once calls have
   * ended and the linger period has passed.
   */
  int subscribedKeys() {
    return queues.size();
  }

  /**
   * Appends {@code waiter} to {@code key}'s queue, creating it if needed; returns whether the
   * queue's subscription is new, not yet known to be in place. A release's {@link #signal} either
   * comes before this (and the queue shows its number) or finds the waiter queued: none goes
   * unnoticed.
   */
  private boolean enqueue(Waiter waiter, String key) {
    KeyQueue queue =
        queues.compute(
            key,
            (k, existing) -> {
              KeyQueue target = existing != null ? existing : new KeyQueue(subscribe(k));
              target.waiters.addLast(waiter);
              return target;
            });
    return !queue.listenerId.isDone();
  }

  /**
   * Takes {@code waiter} off {@code key}'s queue. A queue left empty keeps its subscription for one
   * linger period, so that a key contended again and again is not subscribed to anew each time.
   */
  private void dequeue(Waiter waiter, String key) {
    queues.computeIfPresent(
        key,
        (k, queue) -> {
          queue.waiters.remove(waiter);
          if (!queue.waiters.isEmpty() || queue.expiryScheduled) {
            return queue;
          }
          try {
            var unused =
                scheduler.schedule(() -> expire(k, queue), lingerNanos, TimeUnit.NANOSECONDS);
            queue.expiryScheduled = true;
            return queue;
          } catch (RejectedExecutionException closed) {
            unsubscribe(k, queue.listenerId);
            return null;
          }
        });
  }

  /** Drops {@code queue} and its subscription if it is still empty; else lets it empty again. */
  private void expire(String key, KeyQueue queue) {
    queues.computeIfPresent(
        key,
        (k, current) -> {
          if (current != queue) {
            return current;
          }
          if (!queue.waiters.isEmpty()) {
            queue.expiryScheduled = false;
            return queue;
          }
          unsubscribe(k, queue.listenerId);
          return null;
        });
  }

  private CompletableFuture<Integer> subscribe(String key) {
    return topic(key)
        .addListenerAsync(
            String.class,
            (channel, releasedBy) -> {
              if (!providerId.equals(releasedBy)) {
                signal(key);
              }
            })
        .toCompletableFuture();
  }

  private void unsubscribe(String key, CompletableFuture<Integer> listenerId) {
    // A failed unsubscribe only leaves a listener that wakes nobody; there is no one to tell.
    var unused = listenerId.thenCompose(id -> topic(key).removeListenerAsync(id));
  }

  private RTopic topic(String key) {
    return redisson.getTopic(CHANNEL_PREFIX + key, StringCodec.INSTANCE);
  }

  /** One key's waiters, oldest first, and its subscription's listener id once subscribed. */
  private static final class KeyQueue {

    final ConcurrentLinkedDeque<Waiter> waiters = new ConcurrentLinkedDeque<>();
    final CompletableFuture<Integer> listenerId;

    /** Whether an {@link #expire} check is pending; read and written inside the map's compute. */
    boolean expiryScheduled;

    /** The number of the key's latest wake-up; written inside the map's compute. */
    volatile long lastRelease;

    KeyQueue(CompletableFuture<Integer> listenerId) {
      this.listenerId = listenerId;
    }
  }

  /** A thread waiting for keys. Its key list is touched only by that thread. */
  static final class Waiter {

    private final Thread thread;
    private final List<String> keys = new ArrayList<>(2);

    /** The keys not released since the waiter's last try; releases come from other threads. */
    private final Set<String> stillHeld = ConcurrentHashMap.newKeySet(2);

    private volatile boolean signalled;

    private Waiter(Thread thread) {
      this.thread = thread;
    }

    /** Notes that {@code key} was released; returns whether no key it waits for is still held. */
    private boolean released(String key) {
      stillHeld.remove(key);
      return stillHeld.isEmpty();
    }

    private void signal() {
      signalled = true;
      LockSupport.unpark(thread);
    }

    /**
     * Parks until woken or {@code timeoutNanos} has passed, then clears the wake-up.
     *
     * @return whether it was woken by a release, rather than by the timeout
     * @throws InterruptedException if interrupted; the flag is cleared
     */
    boolean await(long timeoutNanos) throws InterruptedException {
      long end = System.nanoTime() + timeoutNanos;
      long left = timeoutNanos;
      while (!signalled && left > 0) {
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        left = end - System.nanoTime();
      }
      boolean woken = signalled;
      signalled = false;
      return woken;
    }
  }
}
