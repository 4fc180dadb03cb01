package dev.holdfast.lock.spi;

import java.util.List;

/**
 * The outcome of {@link LockProvider#acquire}: every key held, or blocked by other holders. A
 * backend failure is not an outcome but an exception, so the two can never be confused.
 */
public sealed interface Acquisition permits Acquisition.Acquired, Acquisition.Blocked {

  /**
   * Every key of the request is held.
   *
   * @param handle releases the keys and reports their tokens and liveness
   */
  record Acquired(LockHandle handle) implements Acquisition {

    /**
     * Creates the outcome.
     *
     * @param handle the handle of the held keys
     * @throws NullPointerException if {@code handle} is null
     */
    public Acquired {
      if (handle == null) {
        throw new NullPointerException("handle must not be null");
      }
    }
  }

  /**
   * The deadline passed while other holders kept some keys; nothing of the request is held.
   *
   * @param blockingKeys the keys other holders kept, at least one
   */
  record Blocked(List<String> blockingKeys) implements Acquisition {

    /**
     * Creates the outcome.
     *
     * @param blockingKeys the keys other holders kept
     * @throws NullPointerException if {@code blockingKeys} is null
     * @throws IllegalArgumentException if {@code blockingKeys} is empty
     */
    public Blocked {
      if (blockingKeys == null) {
        throw new NullPointerException("blockingKeys must not be null");
      }
      if (blockingKeys.isEmpty()) {
        throw new IllegalArgumentException("blockingKeys must not be empty, was []");
      }
      blockingKeys = List.copyOf(blockingKeys);
    }
  }
}
