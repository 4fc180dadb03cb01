package dev.holdfast.lock.spi;

import java.util.OptionalLong;

/** One key held through a {@link SingleKeyLocker}. */
public interface HeldKey {

  /**
   * Returns the fencing token issued when the key was locked.
   *
   * @return the token, or empty if the store issues none
   */
  OptionalLong fencingToken();

  /**
   * Tells whether the key is known to be lost; may ask the store.
   *
   * @return {@code true} if the key's lease has ended
   */
  boolean isLost();

  /**
   * Releases the key. Called once, on the thread that released the whole request.
   *
   * @return {@code true} if the key was still held, {@code false} if it had been lost
   */
  boolean release();
}
