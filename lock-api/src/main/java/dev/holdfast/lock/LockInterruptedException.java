package dev.holdfast.lock;

import java.util.List;

/**
 * The calling thread was interrupted while waiting for its keys. Nothing of the request is held,
 * and the thread's interrupt flag has been set again before this is thrown.
 */
public final class LockInterruptedException extends LockException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param keys the keys of the request, in acquisition order
   * @param cause the interruption
   */
  public LockInterruptedException(List<String> keys, InterruptedException cause) {
    super("Interrupted while acquiring " + keys, keys, cause, CallbackOutcome.NOT_RUN);
  }
}
