package dev.holdfast.lock;

import org.jspecify.annotations.Nullable;

/**
 * Work without a result to run while a set of locks is held: the {@code void} twin of {@link
 * LockCallback}.
 *
 * <p>It is a {@link LockCallback} whose value is {@code null}, so that the template runs it as it
 * runs a callback, without wrapping it in an adapter object on every call. Its value is typed
 * {@code Object}, not {@code Void}: then {@link #doWithLocks} needs no bridge method, one call more
 * that the JIT may decline to inline (it does while {@code Void} is not loaded).
 *
 * @param <X> the checked exception the action may throw ({@link RuntimeException} if none)
 */
@FunctionalInterface
public interface LockAction<X extends Exception> extends LockCallback<@Nullable Object, X> {

  /**
   * Runs while every key of the call is held.
   *
   * @param held the keys held for this call, their fencing tokens and a liveness check
   * @throws X whatever the work throws; it is rethrown to the caller unchanged
   */
  void run(HeldLocks held) throws X;

  /**
   * Runs {@link #run} and returns {@code null}.
   *
   * @param held the keys held for this call
   * @return {@code null}
   * @throws X whatever {@link #run} throws
   */
  // NullAway's standard mode ignores the @Nullable type argument and reads the null return as
  // breaking a non-null T; JSpecify mode would accept it, but needs JDK 17.0.19+ or 22+.
  // FunctionalInterfaceMethodChanged warns that a lambda cast to the superinterface would not run
  // this method; nothing here depends on that: both ways, the lambda's body is the work.
  @SuppressWarnings({"NullAway", "FunctionalInterfaceMethodChanged"})
  @Override
  default @Nullable Object doWithLocks(HeldLocks held) throws X {
    run(held);
    return null;
  }
}
