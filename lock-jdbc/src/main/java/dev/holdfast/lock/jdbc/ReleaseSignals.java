package dev.holdfast.lock.jdbc;

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
   * Waits until {@code key} is released or {@code timeoutNanos} have passed.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  void await(String key, long timeoutNanos) throws InterruptedException {
    CountDownLatch released = new CountDownLatch(1);
    waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(released);
    try {
      // A release between the failed attempt and the line above is missed: the wait is bounded.
      boolean unused = released.await(timeoutNanos, TimeUnit.NANOSECONDS);
    } finally {
      waiters.computeIfPresent(
          key,
          (k, latches) -> {
            latches.remove(released);
            return latches.isEmpty() ? null : latches;
          });
    }
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
