package dev.holdfast.lock;

import java.util.List;

/**
 * The backend failed (a timeout, a lost connection, a refused command): the outcome is not known to
 * be "held by someone else". When thrown from an acquisition, the backend has released whatever it
 * might have taken; when thrown from a release, the keys free themselves when their leases end.
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
    super(message, keys, cause);
  }
}
