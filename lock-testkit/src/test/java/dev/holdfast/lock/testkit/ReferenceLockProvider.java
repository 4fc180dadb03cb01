package dev.holdfast.lock.testkit;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A simple, correct provider with every capability: leases in a map behind one lock, taken all at
 * once. The kit's yardstick: it must pass the whole contract, so that the failures of the broken
 * providers are the kit's doing, not noise. Providers made with {@link #sharingStore()} are
 * independent clients of the same store.
 */
final class ReferenceLockProvider implements LockProvider, AutoCloseable {

  private static final Set<LockCapability> CAPABILITIES =
      Set.copyOf(EnumSet.allOf(LockCapability.class));

  private final Store store;
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "reference-lock-renewal");
            thread.setDaemon(true);
            return thread;
          });

  private ReferenceLockProvider(Store store) {
    this.store = store;
  }

  static ReferenceLockProvider create() {
    return new ReferenceLockProvider(new Store());
  }

  /** Returns a second client of the same store. */
  ReferenceLockProvider sharingStore() {
    return new ReferenceLockProvider(store);
  }

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    Object owner = new Object();
    long leaseNanos = request.leaseTime().toNanos();
    store.guard.lockInterruptibly();
    try {
      while (true) {
        long now = System.nanoTime();
        List<String> blocking = new ArrayList<>();
        long untilFirstExpiry = Long.MAX_VALUE;
        for (String key : request.keys()) {
          Lease lease = store.leases.get(key);
          if (lease != null && lease.isLiveAt(now)) {
            blocking.add(key);
            untilFirstExpiry = Math.min(untilFirstExpiry, lease.expiresAtNanos - now);
          }
        }
        if (blocking.isEmpty()) {
          long[] tokens = new long[request.keys().size()];
          for (int i = 0; i < tokens.length; i++) {
            store.leases.put(request.keys().get(i), new Lease(owner, now + leaseNanos));
            tokens[i] = ++store.lastToken;
          }
          return new Acquisition.Acquired(new Handle(request, owner, tokens));
        }
        long remaining = deadline.remainingNanos();
        if (remaining == 0) {
          return new Acquisition.Blocked(blocking);
        }
        store.changed.awaitNanos(Math.min(remaining, untilFirstExpiry));
      }
    } finally {
      store.guard.unlock();
    }
  }

  @Override
  public Set<LockCapability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public void close() {
    renewals.shutdownNow();
  }

  private static final class Store {
    final ReentrantLock guard = new ReentrantLock();
    final Condition changed = guard.newCondition();
    final Map<String, Lease> leases = new HashMap<>();
    long lastToken;

    <T> T locked(Supplier<T> work) {
      guard.lock();
      try {
        return work.get();
      } finally {
        guard.unlock();
      }
    }
  }

  private static final class Lease {
    final Object owner;
    final long expiresAtNanos;

    Lease(Object owner, long expiresAtNanos) {
      this.owner = owner;
      this.expiresAtNanos = expiresAtNanos;
    }

    boolean isLiveAt(long now) {
      return expiresAtNanos - now > 0;
    }
  }

  private final class Handle implements LockHandle {
    private final LockRequest request;
    private final Object owner;
    private final long[] tokens;
    private final AtomicBoolean released = new AtomicBoolean();
    private final @Nullable ScheduledFuture<?> renewal;

    Handle(LockRequest request, Object owner, long[] tokens) {
      this.request = request;
      this.owner = owner;
      this.tokens = tokens;
      long period = Math.max(1, request.leaseTime().toNanos() / 3);
      this.renewal =
          request.leaseMode() == LeaseMode.RENEWING
              ? renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.NANOSECONDS)
              : null;
    }

    @Override
    public OptionalLong fencingToken(String key) {
      int index = request.keys().indexOf(key);
      return index < 0 ? OptionalLong.empty() : OptionalLong.of(tokens[index]);
    }

    @Override
    public List<String> lostKeys() {
      return store.locked(
          () -> {
            long now = System.nanoTime();
            List<String> lost = new ArrayList<>();
            for (String key : request.keys()) {
              if (!ownedAt(key, now)) {
                lost.add(key);
              }
            }
            return lost;
          });
    }

    @Override
    public List<String> release() {
      if (!released.compareAndSet(false, true)) {
        return List.of();
      }
      if (renewal != null) {
        renewal.cancel(false);
      }
      return store.locked(
          () -> {
            long now = System.nanoTime();
            List<String> lost = new ArrayList<>();
            for (String key : request.keys()) {
              if (ownedAt(key, now)) {
                store.leases.remove(key);
              } else {
                lost.add(key);
              }
            }
            store.changed.signalAll();
            return lost;
          });
    }

    private void renew() {
      store.locked(
          () -> {
            long now = System.nanoTime();
            for (String key : request.keys()) {
              if (ownedAt(key, now)) {
                store.leases.put(key, new Lease(owner, now + request.leaseTime().toNanos()));
              }
            }
            return null;
          });
    }

    private boolean ownedAt(String key, long now) {
      Lease lease = store.leases.get(key);
      return lease != null && lease.owner == owner && lease.isLiveAt(now);
    }
  }
}
