package dev.holdfast.lock;

import org.jspecify.annotations.Nullable;

/**
 * Work to run while a set of locks is held, producing a value.
 *
 * <p>The callback runs on the thread that called the template. Whatever it throws, checked or not,
 * reaches the caller unchanged after the locks are released.
 *
 * @param <T> the result type
 * @param <X> the checked exception the callback may throw ({@link RuntimeException} if none)
 */
@FunctionalInterface
public interface LockCallback<T extends @Nullable Object, X extends Exception> {

  /**
   * Runs while every key of the call is held.
   *
   * @param held the keys held for this call, their fencing tokens and a liveness check
   * @return the value the template call returns
   * @throws X whatever the work throws; it is rethrown to the caller unchanged
   */
  T doWithLocks(HeldLocks held) throws X;
}
