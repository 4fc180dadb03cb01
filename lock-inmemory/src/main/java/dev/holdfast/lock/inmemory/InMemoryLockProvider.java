package dev.holdfast.lock.inmemory;

import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.HeldKey;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.spi.OrderedAcquisition;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Locks for one JVM, one single-permit {@link Semaphore} per key, for tests, single-instance
 * services and as the reference a distributed backend is compared with.
 *
 * <pre>{@code
 * LockTemplate locks = LockTemplate.of(InMemoryLockProvider.create());
 * }</pre>
 *
 * <p>What it does and does not do, as declared by {@link #capabilities()}:
 *
 * <ul>
 *   <li>{@link LockCapability#FENCING_TOKENS Fencing tokens}: one counter for all keys, so each
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
 * <p>A held key belongs to its acquisition, not to a thread: a semaphore permit, unlike a {@code
 * ReentrantLock}, may be given back by any thread, so work handed to another thread can release it.
 * Re-entry is the template's job. Waiting parks the thread and nothing blocks inside {@code
 * synchronized}, so virtual threads are not pinned.
 *
 * <p>Entries of keys nobody holds or waits for stay in the table, so a hot key costs no map writes,
 * until the table outgrows {@value #SWEEP_THRESHOLD} entries and twice what the last sweep left:
 * then the thread adding an entry sweeps the idle ones out. Locking millions of distinct keys thus
 * leaves a small table, and the sweep's cost is constant per added key on average.
 *
 * <p>Thread-safe.
 */
public final class InMemoryLockProvider implements LockProvider {

  /** The table size below which idle entries are never swept. */
  static final int SWEEP_THRESHOLD = 1_024;

  private static final Set<LockCapability> CAPABILITIES =
      Set.copyOf(EnumSet.of(LockCapability.FENCING_TOKENS));

  private final ConcurrentHashMap<String, KeyLock> table = new ConcurrentHashMap<>();
  private final AtomicLong fencingTokens = new AtomicLong();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile int nextSweepAt = SWEEP_THRESHOLD;

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
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    List<String> keys = request.keys();
    if (keys.size() == 1) {
      // Most calls take one key: one handle object, no per-key holders, no clock read when free.
      String key = keys.get(0);
      KeyLock entry = lock(key, deadline, -1);
      return entry == null
          ? new Acquisition.Blocked(keys)
          : new Acquisition.Acquired(new SingleKeyHandle(key, entry, nextToken()));
    }
    return OrderedAcquisition.acquire(request, deadline, this::tryLock);
  }

  @Override
  public Set<LockCapability> capabilities() {
    return CAPABILITIES;
  }

  private Optional<HeldKey> tryLock(String key, LockRequest request, long timeoutNanos)
      throws InterruptedException {
    KeyLock entry = lock(key, null, timeoutNanos);
    return entry == null ? Optional.empty() : Optional.of(new HeldEntry(entry, nextToken()));
  }

  /**
   * Takes {@code key}'s permit, waiting until {@code deadline} or, without one, for {@code
   * timeoutNanos}. A free key is taken without reading the clock; an interrupted caller gets the
   * {@link InterruptedException} even then, as from a wait.
   *
   * @return the key's entry, counted as used, or null if the key stayed taken
   */
  private @Nullable KeyLock lock(String key, @Nullable Deadline deadline, long timeoutNanos)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    KeyLock entry = use(key);
    boolean locked = false;
    try {
      locked =
          entry.permit.tryAcquire()
              || entry.permit.tryAcquire(
                  deadline != null ? deadline.remainingNanos() : timeoutNanos,
                  TimeUnit.NANOSECONDS);
    } finally {
      if (!locked) {
        entry.unuse();
      }
    }
    return locked ? entry : null;
  }

  private long nextToken() {
    return fencingTokens.incrementAndGet();
  }

  /** Returns the live entry of {@code key}, counting this caller as one of its users. */
  private KeyLock use(String key) {
    while (true) {
      KeyLock entry = table.get(key);
      if (entry == null) {
        KeyLock fresh = new KeyLock();
        entry = table.putIfAbsent(key, fresh);
        if (entry == null) {
          sweepIfLarge();
          return fresh;
        }
      }
      if (entry.use()) {
        return entry;
      }
      table.remove(key, entry); // swept while we looked: help remove it, then start over
    }
  }

  private void sweepIfLarge() {
    if (table.size() >= nextSweepAt && sweeping.compareAndSet(false, true)) {
      try {
        reclaimIdleEntries();
        nextSweepAt = Math.max(SWEEP_THRESHOLD, 2 * table.size());
      } finally {
        sweeping.set(false);
      }
    }
  }

  /** Removes the entries of keys nobody holds or waits for. */
  void reclaimIdleEntries() {
    for (Map.Entry<String, KeyLock> mapping : table.entrySet()) {
      if (mapping.getValue().retireIfIdle()) {
        table.remove(mapping.getKey(), mapping.getValue());
      }
    }
  }

  /** The number of entries, idle ones included. */
  int tableSize() {
    return table.size();
  }

  /** The number of keys some caller holds or waits for. */
  int keysInUse() {
    int inUse = 0;
    for (KeyLock entry : table.values()) {
      if (entry.users.get() > 0) {
        inUse++;
      }
    }
    return inUse;
  }

  @Override
  public String toString() {
    return "InMemoryLockProvider{entries=" + table.size() + '}';
  }

  /** A key's permit and the number of callers holding or waiting for it. */
  private static final class KeyLock {
    /** {@link #users} of an entry that was swept out: it can never be used again. */
    private static final int RETIRED = -1;

    final Semaphore permit = new Semaphore(1);

    /** Starts at one: the caller that creates an entry uses it. */
    final AtomicInteger users = new AtomicInteger(1);

    /** Counts one more user, unless the entry was retired. */
    boolean use() {
      int current;
      do {
        current = users.get();
        if (current == RETIRED) {
          return false;
        }
      } while (!users.compareAndSet(current, current + 1));
      return true;
    }

    void unuse() {
      users.decrementAndGet();
    }

    /** Gives the permit back, and stops counting its holder as a user. */
    void unlock() {
      permit.release();
      unuse();
    }

    /** Retires the entry if nobody uses it; a retired entry is never used again. */
    boolean retireIfIdle() {
      return users.compareAndSet(0, RETIRED);
    }
  }

  private static final class HeldEntry implements HeldKey {
    private final KeyLock entry;
    private final long fencingToken;

    HeldEntry(KeyLock entry, long fencingToken) {
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

    /** Called once per acquisition ({@link OrderedAcquisition} guarantees it). */
    @Override
    public boolean release() {
      entry.unlock();
      return true;
    }
  }

  /**
   * One key held on its own: the handle and the held key in one object. It is its own released
   * flag, so that a call allocates no separate one.
   */
  @SuppressWarnings("serial") // never serialised
  private static final class SingleKeyHandle extends AtomicBoolean implements LockHandle {
    private final String key;
    private final KeyLock entry;
    private final long fencingToken;

    SingleKeyHandle(String key, KeyLock entry, long fencingToken) {
      this.key = key;
      this.entry = entry;
      this.fencingToken = fencingToken;
    }

    @Override
    public OptionalLong fencingToken(String asked) {
      return key.equals(asked) ? OptionalLong.of(fencingToken) : OptionalLong.empty();
    }

    /** Nothing is ever lost: there is no lease. */
    @Override
    public List<String> lostKeys() {
      return List.of();
    }

    @Override
    public List<String> release() {
      if (compareAndSet(false, true)) {
        entry.unlock();
      }
      return List.of();
    }
  }
}
