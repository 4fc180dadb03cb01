package dev.holdfast.lock;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A lease ended while its callback ran: for some time another caller may have held the key too.
 * Thrown by {@link HeldLocks#checkHeld()} ({@link CallbackOutcome#THREW} once it leaves the
 * callback), and by the template after a callback that returned normally ({@link
 * CallbackOutcome#COMPLETED}), carrying the callback's result; after a callback that threw, it is
 * attached to that exception as suppressed.
 *
 * <p>Work done under a lost lock must be treated as unprotected, but after a completed callback it
 * was done: do not simply retry it. Stores that check fencing tokens have already refused the stale
 * writes; {@link #callbackResult()} tells what the callback made of that.
 */
public final class LockLostException extends LockException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // always a List.copyOf list, which is serializable
  private final List<String> lostKeys;

  /** The completed callback's value; not serialized, as it need not be serializable. */
  private final transient @Nullable Object callbackResult;

  /**
   * Creates the exception for a lease found lost while the callback had not returned (a check from
   * inside it, or a release after it threw).
   *
   * @param keys the keys of the request, in acquisition order
   * @param lostKeys the keys whose lease ended while held
   */
  public LockLostException(List<String> keys, List<String> lostKeys) {
    super(
        "Lease ended while held: " + lostKeys + " (of " + keys + ")",
        keys,
        null,
        CallbackOutcome.THREW);
    this.lostKeys = List.copyOf(lostKeys);
    this.callbackResult = null;
  }

  /**
   * Creates the exception for a lease found lost after the callback returned {@code callbackResult}
   * normally: {@link #callbackOutcome()} is {@link CallbackOutcome#COMPLETED}.
   *
   * @param keys the keys of the request, in acquisition order
   * @param lostKeys the keys whose lease ended while held
   * @param callbackResult what the callback returned, null included
   */
  public LockLostException(
      List<String> keys, List<String> lostKeys, @Nullable Object callbackResult) {
    super(
        "Lease ended while held: "
            + lostKeys
            + " (of "
            + keys
            + "); the callback had completed, its result is attached",
        keys,
        null,
        CallbackOutcome.COMPLETED);
    this.lostKeys = List.copyOf(lostKeys);
    this.callbackResult = callbackResult;
  }

  /**
   * Returns the keys whose lease ended while held.
   *
   * @return an immutable, non-empty list
   */
  public List<String> lostKeys() {
    return lostKeys;
  }

  /**
   * Returns what the callback returned, when it returned normally before the loss was found.
   *
   * @return the callback's value, which may be null
   * @throws IllegalStateException if the callback did not complete ({@link #callbackOutcome()} is
   *     not {@link CallbackOutcome#COMPLETED}): there is no result
   */
  public @Nullable Object callbackResult() {
    if (callbackOutcome() != CallbackOutcome.COMPLETED) {
      throw new IllegalStateException(
          "The callback did not complete (" + callbackOutcome() + "): there is no result");
    }
    return callbackResult;
  }

  /**
   * Returns what the callback returned, as {@code type}: {@code
   * lost.callbackResult(Receipt.class)}.
   *
   * @param type the callback's result type
   * @param <T> the callback's result type
   * @return the callback's value, which may be null
   * @throws IllegalStateException if the callback did not complete: there is no result
   * @throws ClassCastException if the result is not a {@code type}
   */
  public <T> @Nullable T callbackResult(Class<T> type) {
    return type.cast(callbackResult());
  }
}
