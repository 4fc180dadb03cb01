package dev.holdfast.lock;

import java.util.List;

/**
 * The backend failed (a timeout, a lost connection, a refused command): the outcome is not known to
 * be "held by someone else". When thrown from an acquisition ({@link CallbackOutcome#NOT_RUN}), the
 * backend has released whatever it might have taken. A release that fails after a callback that
 * threw is attached to the callback's exception as suppressed ({@link CallbackOutcome#THREW}); one
 * that fails after a callback that returned normally is never thrown: the template returns the
 * callback's result and gives this exception, saying {@link CallbackOutcome#COMPLETED}, to the
 * listeners' {@link LockListener#onBackendFailure} and its log. Either way the keys not released
 * free themselves when their leases end, and the Redis backend gives them back in the background
 * before that.
 */
public final class LockBackendException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param keys the keys of the request, in acquisition order
   * @param cause the backend's error
   */
  public LockBackendException(String message, List<String> keys, Throwable cause) {
    super(message, keys, cause, CallbackOutcome.NOT_RUN);
  }
}
