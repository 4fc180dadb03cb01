package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LockBackendException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for Redis replies on the backend's own clock, whatever the client's timeout and retry
 * settings, and turns every failure (timeout, lost connection, {@code READONLY}, {@code OOM},
 * script error) into a {@link LockBackendException} that carries the cause: a failure is never
 * reported as "someone else holds it".
 */
final class RedisReplies {

  private RedisReplies() {}

  /**
   * Waits at most {@code timeoutNanos} for {@code reply}.
   *
   * @param doing what the reply is for, for the message: "acquiring", "releasing"
   * @throws InterruptedException if interrupted while waiting; the command may still be applied
   * @throws LockBackendException if Redis failed or did not answer in time
   */
  static <T> T await(CompletableFuture<T> reply, long timeoutNanos, String doing, List<String> keys)
      throws InterruptedException {
    try {
      return reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw failure(doing, keys, e.getCause() != null ? e.getCause() : e);
    } catch (TimeoutException e) {
      // A call whose deadline had already passed still asks once; "within -305 ms" would read as
      // a bug, so that case names the deadline instead.
      String limit =
          timeoutNanos > 0
              ? "within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"
              : "before the call's deadline";
      throw new LockBackendException(
          "Redis did not answer " + limit + " while " + doing + ' ' + keys, keys, e);
    }
  }

  /**
   * Returns the {@link System#nanoTime()} by which replies must have come: {@code waitNanos} plus
   * {@code timeoutNanos} from now, capped so that the sum cannot overflow (the longest wait is
   * {@code Long.MAX_VALUE} nanoseconds).
   */
  static long endAfter(long waitNanos, long timeoutNanos) {
    long cap = Long.MAX_VALUE / 2;
    return System.nanoTime() + (waitNanos >= cap - timeoutNanos ? cap : waitNanos + timeoutNanos);
  }

  /**
   * Like {@link #await}, but an interrupt does not cut the wait short: used where the work must be
   * finished, such as a release. The interrupt flag is restored before returning.
   */
  static <T> T awaitUninterruptibly(
      CompletableFuture<T> reply, long timeoutNanos, String doing, List<String> keys) {
    boolean interrupted = false;
    long end = System.nanoTime() + timeoutNanos;
    try {
      while (true) {
        try {
          return await(reply, Math.max(0, end - System.nanoTime()), doing, keys);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Wraps a failed reply, unwrapping the future's own wrappers so the Redis error is the cause. */
  static LockBackendException failure(String doing, List<String> keys, Throwable cause) {
    Throwable root =
        (cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null
            ? cause.getCause()
            : cause;
    if (root instanceof LockBackendException backendFailure) {
      return backendFailure;
    }
    return new LockBackendException(
        "Redis failed while " + doing + ' ' + keys + ": " + root, keys, root);
  }
}
