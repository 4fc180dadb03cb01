package dev.holdfast.lock;

/**
 * What had happened to the callback when a {@link LockException} arose: whether the work it guards
 * can have been done. {@link LockException#callbackOutcome()} gives it; the project's {@code
 * docs/outcomes.md} turns it into a table of what is safe to retry.
 */
public enum CallbackOutcome {

  /**
   * The callback never started: the keys could not be had (timeout, interruption, backend failure
   * while acquiring). Nothing the callback guards was done; retrying the whole call is safe.
   */
  NOT_RUN,

  /**
   * The callback started and did not return normally: the exception came from inside it (such as
   * {@link HeldLocks#checkHeld()} finding a lease lost), or was attached, as suppressed, to what it
   * threw (a release that failed or found keys lost after it). Whether its work was done is the
   * callback's to say: a transaction it rolled back did nothing.
   */
  THREW,

  /**
   * The callback returned normally: its work is done, and retrying it would do it twice. Only
   * {@link LockLostException} is thrown after such a callback, and it carries the callback's
   * result; a failed release after it is reported to listeners, never thrown.
   */
  COMPLETED
}
