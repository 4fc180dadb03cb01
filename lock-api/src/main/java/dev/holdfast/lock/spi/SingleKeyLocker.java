package dev.holdfast.lock.spi;

import dev.holdfast.lock.LockRequest;
import java.util.Optional;

/**
 * A store that can lock one key at a time; {@link OrderedAcquisition} turns it into a {@link
 * LockProvider}'s ordered, all-or-nothing acquisition.
 */
@FunctionalInterface
public interface SingleKeyLocker {

  /**
   * Tries to lock {@code key}, waiting at most {@code timeoutNanos}; zero tries once.
   *
   * @param key the key
   * @param request the whole request, for its lease time and mode
   * @param timeoutNanos the longest wait, zero or more
   * @return the held key, or empty if another holder kept it for the whole wait
   * @throws InterruptedException if interrupted while waiting; the key is not held
   * @throws dev.holdfast.lock.LockBackendException if the store failed; the key is not held
   */
  Optional<HeldKey> tryLock(String key, LockRequest request, long timeoutNanos)
      throws InterruptedException;
}
