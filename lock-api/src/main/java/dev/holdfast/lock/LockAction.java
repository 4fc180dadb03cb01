package dev.holdfast.lock;

/**
 * Work without a result to run while a set of locks is held: the {@code void} twin of {@link
 * LockCallback}.
 *
 * @param <X> the checked exception the action may throw ({@link RuntimeException} if none)
 */
@FunctionalInterface
public interface LockAction<X extends Exception> {

  /**
   * Runs while every key of the call is held.
   *
   * @param held the keys held for this call, their fencing tokens and a liveness check
   * @throws X whatever the work throws; it is rethrown to the caller unchanged
   */
  void run(HeldLocks held) throws X;
}
