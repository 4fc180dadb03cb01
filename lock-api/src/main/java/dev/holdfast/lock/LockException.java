package dev.holdfast.lock;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Why a lock call did not run its callback, or why its result cannot be trusted. Each subtype is
 * one outcome and carries the keys it concerns, so that "someone else holds it" is never confused
 * with "the backend failed"; {@link #callbackOutcome()} says whether the callback had run, which is
 * what decides whether the call may be retried.
 */
public abstract sealed class LockException extends RuntimeException
    permits LockNotAcquiredException,
        LockInterruptedException,
        LockBackendException,
        LockLostException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // always a List.copyOf list, which is serializable
  private final List<String> keys;

  /** Set by the template where the exception passes it; only the template knows where it arose. */
  private CallbackOutcome callbackOutcome;

  LockException(
      String message,
      List<String> keys,
      @Nullable Throwable cause,
      CallbackOutcome callbackOutcome) {
    super(message, cause);
    this.keys = List.copyOf(keys);
    this.callbackOutcome = callbackOutcome;
  }

  /**
   * Returns what had happened to the callback of the call that failed: {@link
   * CallbackOutcome#NOT_RUN} if it never started (safe to retry), {@link CallbackOutcome#THREW} if
   * it started and did not return normally, {@link CallbackOutcome#COMPLETED} if it returned
   * normally and its work is done. An exception that no template call has passed says what its
   * constructor documents.
   *
   * @return the callback's outcome
   */
  public CallbackOutcome callbackOutcome() {
    return callbackOutcome;
  }

  /** Records where the exception arose; the template calls it before anyone sees the exception. */
  LockException withCallbackOutcome(CallbackOutcome outcome) {
    this.callbackOutcome = outcome;
    return this;
  }

  /**
   * Returns the keys of the request that failed, in acquisition order.
   *
   * @return an immutable list
   */
  public List<String> keys() {
    return keys;
  }
}
