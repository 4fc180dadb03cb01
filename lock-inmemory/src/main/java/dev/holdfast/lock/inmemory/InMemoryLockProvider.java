package dev.holdfast.lock.inmemory;

import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.HeldKey;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.spi.OrderedAcquisition;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Locks for one JVM, one {@link ReentrantLock} per key in use, for tests, single-instance services
 * and as the reference a distributed backend is compared with.
 *
 * <pre>{@code
 * LockTemplate locks = LockTemplate.of(InMemoryLockProvider.create());
 * }</pre>
 *
 * <p>What it does and does not do, as declared by {@link #capabilities()}:
 *
 * <ul>
 *   <li>{@link LockCapability#FENCING_TOKENS fencing tokens}: one counter for all keys, so each
 *       acquisition of a key gets a token greater than every earlier one, even after the key's
 *       entry was reclaimed.
 *   <li>No lease: a key is held until released. A JVM thread cannot die holding it without the
 *       template's {@code finally} releasing it, short of the JVM itself dying, which frees
 *       everything. The lease time is validated and otherwise ignored; nothing is ever lost.
 *   <li>Keys are taken one at a time in order, with rollback ({@link OrderedAcquisition}); for a
 *       moment another thread can see part of a set held.
 *   <li>Separate instances do not exclude each other: share one per JVM.
 * </ul>
 *
 * <p>A key's entry exists only while some thread holds or waits for it, so locking millions of
 * distinct keys leaves the table empty. Waiting parks the thread ({@code ReentrantLock}, never
 * {@code synchronized}), so virtual threads are not pinned. A {@code ReentrantLock} is owned by a
 * thread: keys are released on the thread that acquired them, which is what {@link
 * dev.holdfast.lock.LockTemplate} does.
 *
 * <p>Thread-safe.
 */
public final class InMemoryLockProvider implements LockProvider {

  private static final Set<LockCapability> CAPABILITIES =
      Set.copyOf(EnumSet.of(LockCapability.FENCING_TOKENS));

  private final ConcurrentHashMap<String, KeyLock> table = new ConcurrentHashMap<>();
  private final AtomicLong fencingTokens = new AtomicLong();

  private InMemoryLockProvider() {}

  /**
   * Creates a provider with an empty lock table.
   *
   * @return a new provider
   */
  public static InMemoryLockProvider create() {
    return new InMemoryLockProvider();
  }

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline)
      throws InterruptedException {
    return OrderedAcquisition.acquire(request, deadline, this::tryLock);
  }

  @Override
  public Set<LockCapability> capabilities() {
    return CAPABILITIES;
  }

  /** The number of keys some thread holds or waits for. */
  int tableSize() {
    return table.size();
  }

  private Optional<HeldKey> tryLock(String key, LockRequest request, long timeoutNanos)
      throws InterruptedException {
    KeyLock entry =
        table.compute(key, (k, existing) -> (existing == null ? new KeyLock() : existing).use());
    boolean locked = false;
    try {
      locked = entry.lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
    } finally {
      if (!locked) {
        unuse(key, entry);
      }
    }
    return locked
        ? Optional.of(new HeldEntry(key, entry, fencingTokens.incrementAndGet()))
        : Optional.empty();
  }

  /** Drops the entry once no thread holds or waits for it; counting happens under the map's lock. */
  private void unuse(String key, KeyLock entry) {
    table.computeIfPresent(key, (k, existing) -> existing == entry ? entry.unuse() : existing);
  }

  @Override
  public String toString() {
    return "InMemoryLockProvider{keysInUse=" + table.size() + '}';
  }

  /** A key's lock and the number of threads holding or waiting for it. */
  private static final class KeyLock {
    final ReentrantLock lock = new ReentrantLock();
    /** Only read and written inside the table's compute functions for this key. */
    private int users;

    KeyLock use() {
      users++;
      return this;
    }

    /** Returns this entry while others still use it, else null to remove it from the table. */
    @Nullable KeyLock unuse() {
      return --users == 0 ? null : this;
    }
  }

  private final class HeldEntry implements HeldKey {
    private final String key;
    private final KeyLock entry;
    private final long fencingToken;

    HeldEntry(String key, KeyLock entry, long fencingToken) {
      this.key = key;
      this.entry = entry;
      this.fencingToken = fencingToken;
    }

    @Override
    public OptionalLong fencingToken() {
      return OptionalLong.of(fencingToken);
    }

    @Override
    public boolean isLost() {
      return false;
    }

    @Override
    public boolean release() {
      entry.lock.unlock();
      unuse(key, entry);
      return true;
    }
  }
}
