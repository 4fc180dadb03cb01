package dev.holdfast.lock.spring;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory backend, whose locks have no lease, with fixed leases that end by a clock the test
 * moves: a holder whose lease time has passed finds its keys lost, as a Redis holder does after its
 * keys expired. Lets a test end a lease in the middle of a transaction, deterministically.
 */
final class ExpiringLeases implements LockProvider {

  private final LockProvider locks = InMemoryLockProvider.create();
  private final AtomicLong nanos = new AtomicLong();

  /** Moves the clock on; fixed leases that end meanwhile are lost. */
  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    Acquisition acquisition = locks.acquire(request, deadline);
    if (acquisition instanceof Acquisition.Acquired acquired
        && request.leaseMode() == LeaseMode.FIXED) {
      return new Acquisition.Acquired(
          new ExpiringHandle(
              acquired.handle(), request.keys(), nanos.get() + request.leaseTime().toNanos()));
    }
    return acquisition;
  }

  @Override
  public Set<LockCapability> capabilities() {
    return Set.copyOf(EnumSet.of(LockCapability.FENCING_TOKENS, LockCapability.LEASE_EXPIRY));
  }

  private final class ExpiringHandle implements LockHandle {
    private final LockHandle held;
    private final List<String> keys;
    private final long leaseEndsAt;

    ExpiringHandle(LockHandle held, List<String> keys, long leaseEndsAt) {
      this.held = held;
      this.keys = keys;
      this.leaseEndsAt = leaseEndsAt;
    }

    @Override
    public OptionalLong fencingToken(String key) {
      return held.fencingToken(key);
    }

    @Override
    public List<String> lostKeys() {
      return nanos.get() >= leaseEndsAt ? keys : List.of();
    }

    @Override
    public List<String> release() {
      List<String> lost = lostKeys();
      held.release();
      return lost;
    }
  }
}
