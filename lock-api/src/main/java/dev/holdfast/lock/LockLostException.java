package dev.holdfast.lock;

import java.util.List;

/**
 * A lease ended while its callback ran: for some time another caller may have held the key too.
 * Thrown by {@link HeldLocks#checkHeld()}, and by the template after a callback that returned
 * normally; after a callback that threw, it is attached to that exception as suppressed.
 *
 * <p>Work done under a lost lock must be treated as unprotected. Stores that check fencing tokens
 * have already refused the stale writes.
 */
public final class LockLostException extends LockException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // always a List.copyOf list, which is serializable
  private final List<String> lostKeys;

  /**
   * Creates the exception.
   *
   * @param keys the keys of the request, in acquisition order
   * @param lostKeys the keys whose lease ended while held
   */
  public LockLostException(List<String> keys, List<String> lostKeys) {
    super("Lease ended while held: " + lostKeys + " (of " + keys + ")", keys, null);
    this.lostKeys = List.copyOf(lostKeys);
  }

  /**
   * Returns the keys whose lease ended while held.
   *
   * @return an immutable, non-empty list
   */
  public List<String> lostKeys() {
    return lostKeys;
  }
}
