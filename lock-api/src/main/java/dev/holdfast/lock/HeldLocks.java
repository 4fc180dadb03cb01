package dev.holdfast.lock;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a callback sees of the locks held for it: the keys, their fencing tokens, and a check to
 * call right before committing work that the locks protect.
 *
 * <p>An instance is only meaningful while its callback runs. It may be read from any thread.
 */
public interface HeldLocks {

  /**
   * Returns the keys of this call, de-duplicated, in the order they were acquired.
   *
   * @return an immutable list of at least one key
   */
  List<String> keys();

  /**
   * Returns the fencing token issued for {@code key} when it was acquired, if the backend declares
   * {@link dev.holdfast.lock.spi.LockCapability#FENCING_TOKENS}. Each acquisition of a key gets a
   * token strictly greater than every earlier one of that key, so a store that remembers the
   * highest token it accepted can refuse writes from a holder whose lease has ended. Tokens of
   * different keys are not comparable, and are not consecutive: keep them in a 64-bit column.
   *
   * <p>How far "every earlier one" reaches is the backend's to say. The in-memory backend counts
   * each key's tokens from 1 within its JVM. The Redis backend issues the Redis server's clock in
   * microseconds (or one more than the key's last token, when that is greater), so its tokens keep
   * increasing after Redis lost its counters to a restart or a failover, as long as the clock of
   * the Redis node that issues them has not gone back by more than the outage lasted.
   *
   * @param key one of {@link #keys()}
   * @return the token, or empty when the backend issues none
   * @throws IllegalArgumentException if {@code key} is not one of {@link #keys()}
   */
  OptionalLong fencingToken(String key);

  /**
   * Tells whether every key is still held, that is no lease has ended. On a distributed backend
   * this may ask the store and so block for a round trip.
   *
   * @return {@code true} if no key of this call is known to be lost
   * @throws LockBackendException if the backend cannot tell; listeners get it through {@link
   *     LockListener#onBackendFailure}
   */
  boolean isHeld();

  /**
   * Throws if any key has been lost; call it right before committing the protected work.
   *
   * @throws LockLostException naming the keys whose lease has ended
   * @throws LockBackendException if the backend cannot tell; listeners get it through {@link
   *     LockListener#onBackendFailure}
   */
  void checkHeld();
}
