package dev.holdfast.lock;

import java.time.Duration;
import java.util.List;

/**
 * The wait ended before every key could be taken: other holders kept at least one of them. Nothing
 * of the request is held when this is thrown.
 */
public final class LockNotAcquiredException extends LockException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // always a List.copyOf list, which is serializable
  private final List<String> blockingKeys;

  private final Duration waited;

  /**
   * Creates the exception.
   *
   * @param keys the keys of the request, in acquisition order
   * @param blockingKeys the keys that were held by others when the wait ended
   * @param waited how long the call waited
   */
  public LockNotAcquiredException(List<String> keys, List<String> blockingKeys, Duration waited) {
    super(
        "Could not acquire "
            + keys
            + " within "
            + waited.toMillis()
            + " ms: held by others: "
            + blockingKeys,
        keys,
        null,
        CallbackOutcome.NOT_RUN);
    this.blockingKeys = List.copyOf(blockingKeys);
    this.waited = waited;
  }

  /**
   * Returns the keys that other holders kept when the wait ended.
   *
   * @return an immutable, non-empty list
   */
  public List<String> blockingKeys() {
    return blockingKeys;
  }

  /**
   * Returns how long the call waited before giving up.
   *
   * @return the measured wait
   */
  public Duration waited() {
    return waited;
  }
}
