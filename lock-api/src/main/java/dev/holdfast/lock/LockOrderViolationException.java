package dev.holdfast.lock;

import java.util.List;

/**
 * A nested call asked for a key that sorts before a key the thread already holds. Taking it would
 * break the one canonical order that keeps callers from deadlocking, so the call fails at once,
 * before waiting for anything. Fix the caller: take all keys in the outer call.
 *
 * <p>This is a programming error, like {@link IllegalStateException}, not a lock outcome.
 */
public final class LockOrderViolationException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // always a List.copyOf list, which is serializable
  private final List<String> heldKeys;

  private final String requestedKey;

  /**
   * Creates the exception.
   *
   * @param heldKeys the keys the thread holds, in acquisition order
   * @param requestedKey the key the nested call asked for
   */
  public LockOrderViolationException(List<String> heldKeys, String requestedKey) {
    super(
        "Nested lock call asks for '"
            + requestedKey
            + "', which sorts before keys already held "
            + heldKeys
            + "; taking it could deadlock. Acquire all keys in the outer call.");
    this.heldKeys = List.copyOf(heldKeys);
    this.requestedKey = requestedKey;
  }

  /**
   * Returns the keys the thread already held.
   *
   * @return an immutable list, in acquisition order
   */
  public List<String> heldKeys() {
    return heldKeys;
  }

  /**
   * Returns the out-of-order key the nested call asked for.
   *
   * @return the key
   */
  public String requestedKey() {
    return requestedKey;
  }
}
