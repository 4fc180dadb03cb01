package dev.holdfast.lock;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Why a lock call did not run its callback, or why its result cannot be trusted. Each subtype is
 * one outcome and carries the keys it concerns, so that "someone else holds it" is never confused
 * with "the backend failed".
 */
public abstract sealed class LockException extends RuntimeException
    permits LockNotAcquiredException,
        LockInterruptedException,
        LockBackendException,
        LockLostException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // always a List.copyOf list, which is serializable
  private final List<String> keys;

  LockException(String message, List<String> keys, @Nullable Throwable cause) {
    super(message, cause);
    this.keys = List.copyOf(keys);
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
