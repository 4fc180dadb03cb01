package dev.holdfast.examples.shop;

import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Holds a lock key on a thread of its own, as an order on another instance would. */
final class LockHolder {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private LockHolder() {}

  /**
   * Takes {@code key} through {@code locks} on another thread, runs {@code work} on this one while
   * the key is held there, then gives the key back.
   */
  static <T> T whileHeld(LockTemplate locks, String key, Supplier<T> work) {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletableFuture<Void> acquired = new CompletableFuture<>();
    CompletableFuture<Void> holding =
        CompletableFuture.runAsync(
            () ->
                locks.runWithLock(
                    key,
                    TIMEOUT,
                    TIMEOUT.multipliedBy(3),
                    held -> {
                      acquired.complete(null);
                      release.join();
                    }),
            thread);
    holding.whenComplete(
        (done, failure) -> {
          if (failure != null) {
            acquired.completeExceptionally(failure);
          }
        });
    try {
      acquired.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
      return work.get();
    } finally {
      release.complete(null);
      try {
        holding.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
      } finally {
        thread.shutdown();
      }
    }
  }
}
