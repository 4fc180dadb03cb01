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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import org.jspecify.annotations.Nullable;

/**
 * Locks for one JVM, one lock word per key, for tests, single-instance services and as the
 * reference a distributed backend is compared with.
 *
 * <pre>{@code
 * LockTemplate locks = LockTemplate.of(InMemoryLockProvider.create());
 * }</pre>
 *
 * <p>What it does and does not do, as declared by {@link #capabilities()}:
 *
 * <ul>
 *   <li>{@link LockCapability#FENCING_TOKENS Fencing tokens}: a counter per key, counted up by the
 *       key's holder, so each acquisition of a key gets a token greater than every earlier one of
 *       that key; an entry created after the key's old one was reclaimed goes on from the greatest
 *       token any reclaimed entry issued. Tokens of different keys are not comparable. They start
 *       at 1 in each provider, so they order nothing across providers or JVM restarts: a store that
 *       outlives the JVM, or is shared by several, needs the Redis backend's tokens.
 *   <li>No lease: a key is held until released. A JVM thread cannot die holding it without the
 *       template's {@code finally} releasing it, short of the JVM itself dying, which frees
 *       everything. The lease time is validated and otherwise ignored; nothing is ever lost.
 *   <li>Keys are taken one at a time in order, with rollback ({@link OrderedAcquisition}); for a
 *       moment another thread can see part of a set held.
 *   <li>Separate instances do not exclude each other: share one per JVM.
 * </ul>
 *
 * <p>A held key belongs to its acquisition, not to a thread: unlike a {@code ReentrantLock}, the
 * lock word records no owner thread, so work handed to another thread can release it. Re-entry is
 * the template's job. Waiting parks the thread and nothing blocks inside {@code synchronized}, so
 * virtual threads are not pinned.
 *
 * <p>Entries of keys nobody holds or waits for stay in the table, so a hot key costs no map writes,
 * until the table outgrows {@value #SWEEP_THRESHOLD} entries and twice the entries in use that the
 * last sweep kept: then the thread adding an entry sweeps the idle ones out. Locking millions of
 * distinct keys, from any number of threads, thus leaves a small table (at most {@value
 * #SWEEP_THRESHOLD} entries once no key is in use, as far as two passes of the sweeper catch what
 * other threads added meanwhile), and the sweep's cost is constant per added key on average.
 *
 * <p>Thread-safe.
 */
public final class InMemoryLockProvider implements LockProvider {

  /** The table size below which idle entries are never swept. */
  static final int SWEEP_THRESHOLD = 1_024;

  private static final Set<LockCapability> CAPABILITIES =
      Set.copyOf(EnumSet.of(LockCapability.FENCING_TOKENS));

  private final ConcurrentHashMap<String, KeyLock> table = new ConcurrentHashMap<>();

  /**
   * The greatest token issued by any entry removed from the table: new entries count on from it.
   */
  private final AtomicLong tokensOfRemovedEntries = new AtomicLong();

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
      // Most calls take one key, and most keys are free: one compare-and-set, one handle object,
      // no clock read. Everything else is in another method, to keep this one small: the JIT only
      // inlines it into the template's call, where the acquisition need not be allocated, while
      // its compiled code stays small.
      String key = keys.get(0);
      KeyLock entry = table.get(key);
      if (entry != null && !Thread.currentThread().isInterrupted() && entry.lockIfFree()) {
        return held(key, entry);
      }
      return acquireWaiting(key, deadline);
    }
    return OrderedAcquisition.acquire(request, deadline, this::tryLock);
  }

  /** One key that is held, new, or retired, or a caller that is interrupted. */
  private Acquisition acquireWaiting(String key, Deadline deadline) throws InterruptedException {
    KeyLock entry = lock(key, deadline, -1);
    return entry == null ? new Acquisition.Blocked(List.of(key)) : held(key, entry);
  }

  private static Acquisition held(String key, KeyLock entry) {
    return new Acquisition.Acquired(new SingleKeyHandle(key, entry, entry.nextToken()));
  }

  @Override
  public Set<LockCapability> capabilities() {
    return CAPABILITIES;
  }

  private Optional<HeldKey> tryLock(String key, LockRequest request, long timeoutNanos)
      throws InterruptedException {
    KeyLock entry = lock(key, null, timeoutNanos);
    return entry == null ? Optional.empty() : Optional.of(new HeldEntry(entry, entry.nextToken()));
  }

  /**
   * Takes {@code key}, waiting until {@code deadline} or, without one, for {@code timeoutNanos}. A
   * free key is taken and counted as used in one compare-and-set, without reading the clock; an
   * interrupted caller gets the {@link InterruptedException} even then, as from a wait.
   *
   * @return the key's entry, counted as used, or null if the key stayed taken
   */
  private @Nullable KeyLock lock(String key, @Nullable Deadline deadline, long timeoutNanos)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    while (true) {
      KeyLock entry = table.get(key);
      if (entry == null) {
        KeyLock fresh = KeyLock.heldByItsCreator();
        entry = table.putIfAbsent(key, fresh);
        if (entry == null) {
          // Only now: the old entry's remover raised the floor before the removal this put saw.
          fresh.countTokensFrom(tokensOfRemovedEntries.get());
          sweepIfLarge();
          return fresh;
        }
      }
      int outcome = entry.lockOrQueue();
      if (outcome == KeyLock.LOCKED) {
        return entry;
      }
      if (outcome == KeyLock.QUEUED) {
        return await(entry, deadline != null ? deadline.remainingNanos() : timeoutNanos);
      }
      remove(key, entry); // swept while we looked: help remove it, then start over
    }
  }

  /** Waits for an entry this caller is already counted as a user of. */
  private static @Nullable KeyLock await(KeyLock entry, long timeoutNanos)
      throws InterruptedException {
    boolean locked = false;
    try {
      locked = entry.tryAcquireNanos(1, timeoutNanos);
    } finally {
      if (!locked) {
        entry.unuse();
      }
    }
    return locked ? entry : null;
  }

  /**
   * Sweeps when the table has outgrown the threshold. The next threshold counts only the entries
   * the sweep kept, not those other threads added meanwhile: counting them let the threshold grow
   * with every sweep under concurrent use. Those entries are the next sweep's; the sweeper looks
   * once more after letting go, as an adder that found it sweeping did not sweep itself. Once more
   * only: under a steady stream of new keys, one caller must not sweep for all the others.
   */
  private void sweepIfLarge() {
    for (int pass = 0;
        pass < 2 && table.size() >= nextSweepAt && sweeping.compareAndSet(false, true);
        pass++) {
      try {
        nextSweepAt = Math.max(SWEEP_THRESHOLD, 2 * reclaimIdleEntries());
      } finally {
        sweeping.set(false);
      }
    }
  }

  /**
   * Removes the entries of keys nobody holds or waits for.
   *
   * @return how many entries it found in use and kept
   */
  int reclaimIdleEntries() {
    int kept = 0;
    for (Map.Entry<String, KeyLock> mapping : table.entrySet()) {
      if (mapping.getValue().retireIfIdle()) {
        remove(mapping.getKey(), mapping.getValue());
      } else {
        kept++;
      }
    }
    return kept;
  }

  /** Removes a retired entry, after saving its last token for the key's next entry. */
  private void remove(String key, KeyLock retired) {
    tokensOfRemovedEntries.accumulateAndGet(retired.lastToken, Math::max);
    table.remove(key, retired);
  }

  /** The number of entries, idle ones included. */
  int tableSize() {
    return table.size();
  }

  /** The number of keys some caller holds or waits for. */
  int keysInUse() {
    int inUse = 0;
    for (KeyLock entry : table.values()) {
      if (entry.isInUse()) {
        inUse++;
      }
    }
    return inUse;
  }

  @Override
  public String toString() {
    return "InMemoryLockProvider{entries=" + table.size() + '}';
  }

  /**
   * A key's lock word: whether it is held, and how many callers hold or wait for it, so that a
   * sweep never retires an entry someone is about to take. Both change together, in one
   * compare-and-set to take a free key and one to give it back; waiters queue and park in the
   * synchronizer.
   */
  @SuppressWarnings("serial") // never serialised
  private static final class KeyLock extends AbstractQueuedSynchronizer {
    static final int LOCKED = 0;
    static final int QUEUED = 1;
    static final int GONE = 2;

    private static final int HELD = 1;
    private static final int USER = 2;

    /** The state of an entry that was swept out: it can never be used again. */
    private static final int RETIRED = -1;

    /**
     * The last fencing token issued; only the holder reads or writes it, and a retired entry's is
     * final. Taking the key orders it after the previous holder's write, as for anything it guards.
     */
    private long lastToken;

    private KeyLock(int state) {
      setState(state);
    }

    /** An entry held by the caller that creates it, before anyone else can see it. */
    static KeyLock heldByItsCreator() {
      return new KeyLock(USER | HELD);
    }

    /**
     * Counts the caller as a user and takes the key if it is free.
     *
     * @return {@link #LOCKED}; {@link #QUEUED} if the key was held (the caller, counted, must wait
     *     or {@link #unuse}); {@link #GONE} if the entry was retired (nothing counted)
     */
    int lockOrQueue() {
      while (true) {
        int state = getState();
        if (state == RETIRED) {
          return GONE;
        }
        boolean free = (state & HELD) == 0;
        if (compareAndSetState(state, free ? state + USER + HELD : state + USER)) {
          return free ? LOCKED : QUEUED;
        }
      }
    }

    /**
     * Takes the key and counts the caller as its user if the key is free and the entry not retired;
     * otherwise changes nothing.
     *
     * @return whether the caller took the key
     */
    boolean lockIfFree() {
      int state = getState();
      return state >= 0 && (state & HELD) == 0 && compareAndSetState(state, state + USER + HELD);
    }

    /** Starts the token count of a new entry; called by its creator while holding it. */
    void countTokensFrom(long floor) {
      lastToken = floor;
    }

    /** Issues the next token; called by the holder right after taking the key. */
    long nextToken() {
      return ++lastToken;
    }

    /** Takes the key for a caller already counted as a user; the synchronizer's waiters call it. */
    @Override
    protected boolean tryAcquire(int unused) {
      while (true) {
        int state = getState();
        if ((state & HELD) != 0) {
          return false;
        }
        if (compareAndSetState(state, state | HELD)) {
          return true;
        }
      }
    }

    /** Frees the key and stops counting its holder as a user; the synchronizer wakes a waiter. */
    @Override
    protected boolean tryRelease(int unused) {
      add(-HELD - USER);
      return true;
    }

    void unuse() {
      add(-USER);
    }

    /** Gives the key back, and stops counting its holder as a user. */
    void unlock() {
      release(1);
    }

    boolean isInUse() {
      return getState() > 0;
    }

    /** Retires the entry if nobody uses it; a retired entry is never used again. */
    boolean retireIfIdle() {
      return compareAndSetState(0, RETIRED);
    }

    private void add(int delta) {
      int state;
      do {
        state = getState();
      } while (!compareAndSetState(state, state + delta));
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
