package dev.holdfast.lock.jdbc;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Wakes this provider's waiters of a key when the key is released: by this provider (any database)
 * or, on PostgreSQL, by anyone (a notification on the table's channel). A waiter waits on its own
 * latch, so a wake-up never needs a database connection. Thread-safe.
 */
final class ReleaseSignals {

  private final ConcurrentHashMap<String, Set<CountDownLatch>> waiters = new ConcurrentHashMap<>();

  /**
   * Waits until one of {@code keys} is released or {@code timeoutNanos} have passed. While it
   * waits, the caller counts as a waiter of every one of {@code keys} (see {@link #anyWaiting}).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  void await(List<String> keys, long timeoutNanos) throws InterruptedException {
    CountDownLatch released = new CountDownLatch(1);
    for (String key : keys) {
      waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(released);
    }
    try {
      // A release between the failed attempt and the lines above is missed: the wait is bounded.
      boolean unused = released.await(timeoutNanos, TimeUnit.NANOSECONDS);
    } finally {
      for (String key : keys) {
        waiters.computeIfPresent(
            key,
            (k, latches) -> {
              latches.remove(released);
              return latches.isEmpty() ? null : latches;
            });
      }
    }
  }

  /**
   * Tells whether a caller of this provider waits for one of {@code keys}: a new caller then waits
   * its turn rather than take keys the waiter needs the moment they are released (a request for
   * many keys would otherwise starve behind requests for few).
   */
  boolean anyWaiting(List<String> keys) {
    for (String key : keys) {
      if (waiters.containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  /** Wakes every waiter of {@code key}; they try again. */
  void released(String key) {
    Set<CountDownLatch> latches = waiters.get(key);
    if (latches != null) {
      latches.forEach(CountDownLatch::countDown);
    }
  }

  /** Wakes every waiter: after a lost connection, notifications may have been missed. */
  void releasedAll() {
    waiters.values().forEach(latches -> latches.forEach(CountDownLatch::countDown));
  }
}
