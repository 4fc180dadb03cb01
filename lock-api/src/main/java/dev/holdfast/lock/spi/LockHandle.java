package dev.holdfast.lock.spi;

import java.util.List;
import java.util.OptionalLong;

/**
 * The keys one {@link LockProvider#acquire} call holds. Ownership belongs to the handle, not to a
 * thread. Implementations must be thread-safe.
 */
public interface LockHandle {

  /**
   * Returns the fencing token issued for {@code key}, if the backend declares {@link
   * LockCapability#FENCING_TOKENS}.
   *
   * @param key a key of the request
   * @return the token, or empty if the backend issues none
   */
  OptionalLong fencingToken(String key);

  /**
   * Returns the keys known to be lost (their lease ended, or another owner took them). A
   * distributed backend may ask its store, and so block.
   *
   * @return the lost keys in acquisition order, empty while every key is held
   * @throws dev.holdfast.lock.LockBackendException if the store cannot tell
   */
  List<String> lostKeys();

  /**
   * Releases every key still owned by this handle and stops any lease renewal. Calling it again,
   * from any thread and also while the first call is still releasing, releases nothing: it waits
   * for the first call to end and gives the same answer, or throws the same failure.
   *
   * @return the keys that were no longer owned by this handle when released (lost), in acquisition
   *     order; empty if all were still held
   * @throws dev.holdfast.lock.LockBackendException if the store failed; keys not released free
   *     themselves when their leases end
   */
  List<String> release();
}
