package dev.holdfast.lock.spring;

/**
 * What is checked as a {@link DistributedLock} method is entered, before its keys are evaluated or
 * anything is acquired: with spring-tx present, that no transaction is active already.
 */
@FunctionalInterface
interface EntryCheck {

  /** Checks nothing: spring-tx is absent, or {@code holdfast.transaction-check=off}. */
  EntryCheck NONE = method -> {};

  /**
   * Checks that {@code method} may take its locks now.
   *
   * @throws RuntimeException to refuse the call
   */
  void beforeLocking(LockedMethod method);
}
