package dev.holdfast.lock.spi;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Ordered, all-or-nothing acquisition for backends that lock one key at a time: the keys are taken
 * in the request's order, each waiting only for what is left of the one shared deadline; when one
 * cannot be had, or anything fails, the keys already taken are released in reverse order. Such a
 * backend does not declare {@link LockCapability#ATOMIC_MULTI_KEY}: for a moment, others can see
 * part of the set held.
 *
 * <pre>{@code
 * public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
 *   return OrderedAcquisition.acquire(request, deadline, this::tryLockOne);
 * }
 * }</pre>
 */
public final class OrderedAcquisition {

  private OrderedAcquisition() {}

  /**
   * Acquires every key of {@code request} through {@code locker}, or none.
   *
   * @param request the keys in acquisition order
   * @param deadline the one deadline for the whole set
   * @param locker locks a single key
   * @return the held set, or the key that blocked it
   * @throws InterruptedException if interrupted while waiting; nothing is held
   * @throws LockBackendException if the store failed, or keys taken so far could not be released
   */
  public static Acquisition acquire(LockRequest request, Deadline deadline, SingleKeyLocker locker)
      throws InterruptedException {
    List<String> keys = request.keys();
    HeldKey[] held = new HeldKey[keys.size()];
    int count = 0;
    @Nullable String blockingKey = null;
    try {
      for (String key : keys) {
        Optional<HeldKey> heldKey = locker.tryLock(key, request, deadline.remainingNanos());
        if (heldKey.isEmpty()) {
          blockingKey = key;
          break;
        }
        held[count++] = heldKey.get();
      }
    } catch (Throwable failure) { // an Error too: the keys taken so far must not stay held
      rollBack(request, held, count, failure);
      throw failure;
    }
    if (blockingKey != null) {
      // Outside the try: a failed rollback must not be caught above and roll back a second time.
      rollBack(request, held, count, null);
      return new Acquisition.Blocked(List.of(blockingKey));
    }
    return new Acquisition.Acquired(new OrderedHandle(request, held));
  }

  /**
   * Releases {@code held[0..count)} in reverse order. Release failures are added to {@code failure}
   * when there is one, else thrown.
   */
  private static void rollBack(
      LockRequest request, HeldKey[] held, int count, @Nullable Throwable failure) {
    RuntimeException releaseFailure = releaseAll(request, held, count, new ArrayList<>(0));
    if (releaseFailure == null) {
      return;
    }
    if (failure != null) {
      failure.addSuppressed(releaseFailure);
      return;
    }
    throw new LockBackendException(
        "Could not release keys taken before a blocked key of " + request.keys(),
        request.keys(),
        releaseFailure);
  }

  /**
   * Releases {@code held[0..count)} in reverse order, going on past failures, and adds the keys
   * found lost to {@code lost} in acquisition order.
   *
   * @return the first failure, the others suppressed in it; null if none
   */
  private static @Nullable RuntimeException releaseAll(
      LockRequest request, HeldKey[] held, int count, List<String> lost) {
    RuntimeException first = null;
    for (int i = count - 1; i >= 0; i--) {
      try {
        if (!held[i].release()) {
          lost.add(0, request.keys().get(i));
        }
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }

  private static final class OrderedHandle extends OnceReleasedHandle {

    private final HeldKey[] held;

    OrderedHandle(LockRequest request, HeldKey[] held) {
      super(request);
      this.held = held;
    }

    @Override
    public OptionalLong fencingToken(String key) {
      int index = request().keys().indexOf(key);
      return index < 0 ? OptionalLong.empty() : held[index].fencingToken();
    }

    @Override
    protected List<String> checkLostKeys() {
      List<String> lost = new ArrayList<>(0);
      for (int i = 0; i < held.length; i++) {
        if (held[i].isLost()) {
          lost.add(request().keys().get(i));
        }
      }
      return List.copyOf(lost);
    }

    @Override
    protected List<String> releaseKeys() {
      List<String> lost = new ArrayList<>(0);
      RuntimeException first = releaseAll(request(), held, held.length, lost);
      if (first != null) {
        throw first instanceof LockBackendException backendFailure
            ? backendFailure
            : new LockBackendException(
                "Could not release " + request().keys(), request().keys(), first);
      }
      return List.copyOf(lost);
    }
  }
}
