package dev.holdfast.lock.spi;

import dev.holdfast.lock.LockRequest;
import java.util.Comparator;
import java.util.Set;

/**
 * A lock store: takes a whole ordered key set at once, or reports which keys blocked it.
 *
 * <p>The template has already validated, de-duplicated and sorted the keys by {@link #keyOrder()},
 * and handles re-entry, listeners and the callback. A provider only acquires and hands out a {@link
 * LockHandle} that releases. Implementations must be thread-safe, and must not tie ownership to a
 * thread: the same handle may be released or checked from another thread.
 */
public interface LockProvider {

  /**
   * Acquires every key of {@code request} or none of them, waiting no longer than {@code deadline}.
   * A deadline that has already expired still makes one attempt. The template's deadline may start
   * when first asked ({@link Deadline#startingAtFirstUse}): ask it before anything that can wait.
   *
   * @param request the keys in {@link #keyOrder()}, with lease time and mode
   * @param deadline when to stop waiting
   * @return {@link Acquisition.Acquired} with a handle, or {@link Acquisition.Blocked} naming the
   *     keys held by others when the deadline passed; in that case nothing of the request is held
   * @throws InterruptedException if the thread was interrupted while waiting; nothing is held
   * @throws dev.holdfast.lock.LockBackendException if the store failed; the provider has released,
   *     or will release, whatever the failed attempt might have taken. Any other runtime exception
   *     is reported to the caller as a backend failure too.
   */
  Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException;

  /**
   * Returns what this backend can do; the contract test kit checks each declared capability.
   *
   * @return an immutable set
   */
  Set<LockCapability> capabilities();

  /**
   * Returns the one total order in which every caller of this backend takes keys. It must call two
   * keys equal only if they are equal strings. String order by default; a sharded store may order
   * by shard first (Redis Cluster: hash slot, then key).
   *
   * @return the key order
   */
  default Comparator<String> keyOrder() {
    return Comparator.naturalOrder();
  }
}
