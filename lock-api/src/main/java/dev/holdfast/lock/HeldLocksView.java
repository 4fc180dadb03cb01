package dev.holdfast.lock;

import dev.holdfast.lock.spi.LockHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What one call's callback sees: its keys, each with the handle that holds it. A liveness check
 * that fails is reported to the listener under the call's request, as a failed release is.
 */
final class HeldLocksView implements HeldLocks {

  private final List<String> keys;

  /** {@code owners[i]} holds {@code keys.get(i)}; null when {@link #owner} holds them all. */
  private final LockHandle @Nullable [] owners;

  /** The handle of every key when {@link #owners} is null, else that of the first key. */
  private final LockHandle owner;

  private final LockRequest request;
  private final LockListener listener;

  /** {@code owners[i]} holds {@code keys.get(i)}; failures are reported under {@code request}. */
  HeldLocksView(
      List<String> keys, LockHandle[] owners, LockRequest request, LockListener listener) {
    this.keys = keys;
    this.owners = owners;
    this.owner = owners[0];
    this.request = request;
    this.listener = listener;
  }

  /** {@code owner} holds every key: a call nested in no other, the usual case, needs no array. */
  private HeldLocksView(LockRequest request, LockHandle owner, LockListener listener) {
    this.keys = request.keys();
    this.owners = null;
    this.owner = owner;
    this.request = request;
    this.listener = listener;
  }

  static HeldLocksView heldBy(LockRequest request, LockHandle handle, LockListener listener) {
    return new HeldLocksView(request, handle, listener);
  }

  private LockHandle ownerOf(int index) {
    LockHandle[] perKey = owners;
    return perKey == null ? owner : perKey[index];
  }

  @Override
  public List<String> keys() {
    return keys;
  }

  @Override
  public OptionalLong fencingToken(String key) {
    int index = keys.indexOf(key);
    if (index < 0) {
      throw new IllegalArgumentException(
          "key must be one of " + keys + ", was " + Arguments.quote(String.valueOf(key)));
    }
    return ownerOf(index).fencingToken(key);
  }

  @Override
  public boolean isHeld() {
    return lostKeys().isEmpty();
  }

  @Override
  public void checkHeld() {
    List<String> lost = lostKeys();
    if (!lost.isEmpty()) {
      throw new LockLostException(keys, lost);
    }
  }

  private List<String> lostKeys() {
    List<String> lost = new ArrayList<>(0);
    LockHandle asked = null;
    List<String> lostOfAsked = List.of();
    for (int i = 0; i < keys.size(); i++) {
      if (ownerOf(i) != asked) {
        asked = ownerOf(i);
        lostOfAsked = lostKeysOf(asked);
      }
      if (lostOfAsked.contains(keys.get(i))) {
        lost.add(keys.get(i));
      }
    }
    return lost;
  }

  private List<String> lostKeysOf(LockHandle handle) {
    try {
      return handle.lostKeys();
    } catch (RuntimeException e) {
      LockBackendException failure =
          e instanceof LockBackendException backendFailure
              ? backendFailure
              : new LockBackendException("Backend failed while checking " + keys, keys, e);
      // Thrown inside the callback: it ends the callback unless the callback catches it.
      failure.withCallbackOutcome(CallbackOutcome.THREW);
      listener.onBackendFailure(request, failure);
      throw failure;
    }
  }
}
