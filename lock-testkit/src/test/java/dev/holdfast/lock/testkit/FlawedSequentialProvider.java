package dev.holdfast.lock.testkit;

import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.Ticker;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Broken on purpose: takes keys one at a time from a correct store, with one of the classic bugs of
 * hand-written multi-locks.
 */
final class FlawedSequentialProvider implements LockProvider, AutoCloseable {

  /** The bug this provider has. */
  enum Flaw {
    /** When a key times out, the keys taken before it stay held. */
    LEAKS_AFTER_TIMEOUT,
    /** Each key gets the whole wait time anew, so a set can wait far longer than asked. */
    FRESH_WAIT_PER_KEY
  }

  private final ReferenceLockProvider store = ReferenceLockProvider.create();
  private final Flaw flaw;

  FlawedSequentialProvider(Flaw flaw) {
    this.flaw = flaw;
  }

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    List<LockHandle> taken = new ArrayList<>();
    try {
      for (String key : request.keys()) {
        LockRequest single =
            LockRequest.of(
                List.of(key),
                request.waitTime(),
                request.leaseTime(),
                request.leaseMode(),
                request.policyName());
        Deadline keyDeadline =
            flaw == Flaw.FRESH_WAIT_PER_KEY
                ? Deadline.after(request.waitTime(), Ticker.systemTicker())
                : deadline;
        Acquisition acquisition = store.acquire(single, keyDeadline);
        if (acquisition instanceof Acquisition.Blocked) {
          if (flaw != Flaw.LEAKS_AFTER_TIMEOUT) {
            taken.forEach(LockHandle::release);
          }
          return acquisition;
        }
        taken.add(((Acquisition.Acquired) acquisition).handle());
      }
    } catch (InterruptedException | RuntimeException e) {
      taken.forEach(LockHandle::release);
      throw e;
    }
    return new Acquisition.Acquired(new AllHandles(request.keys(), taken));
  }

  @Override
  public Set<LockCapability> capabilities() {
    return Set.copyOf(EnumSet.of(LockCapability.FENCING_TOKENS, LockCapability.LEASE_EXPIRY));
  }

  @Override
  public void close() {
    store.close();
  }

  private static final class AllHandles implements LockHandle {
    private final List<String> keys;
    private final List<LockHandle> handles;

    AllHandles(List<String> keys, List<LockHandle> handles) {
      this.keys = keys;
      this.handles = handles;
    }

    @Override
    public OptionalLong fencingToken(String key) {
      return handles.get(keys.indexOf(key)).fencingToken(key);
    }

    @Override
    public List<String> lostKeys() {
      List<String> lost = new ArrayList<>();
      handles.forEach(handle -> lost.addAll(handle.lostKeys()));
      return lost;
    }

    @Override
    public List<String> release() {
      List<String> lost = new ArrayList<>();
      handles.forEach(handle -> lost.addAll(handle.release()));
      return lost;
    }
  }
}
