package dev.holdfast.lock.spi;

import dev.holdfast.lock.LockRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link LockHandle} whose release happens once, as the interface requires: the first {@link
 * #release()} runs {@link #releaseKeys()}, and every other call, concurrent or later, waits for it
 * and gives its answer or throws its failure; {@link #lostKeys()} after a release gives the
 * release's answer too, instead of asking the store about keys no longer held. A backend implements
 * the releasing and the checking; the once-only part is the same everywhere, and easy to get subtly
 * wrong (a second caller told "nothing lost" while the first is still releasing).
 */
public abstract class OnceReleasedHandle implements LockHandle {

  private static final VarHandle RELEASED;

  static {
    try {
      RELEASED =
          MethodHandles.lookup().findVarHandle(OnceReleasedHandle.class, "released", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LockRequest request;

  /**
   * Set once, through {@link #RELEASED}: a field, not an AtomicBoolean, saves an object per call.
   */
  private volatile boolean released;

  /** The first release's answer, which a later or concurrent release waits for and gives. */
  private final CompletableFuture<List<String>> lostAtRelease = new CompletableFuture<>();

  /**
   * @param request the request whose keys the handle holds
   */
  protected OnceReleasedHandle(LockRequest request) {
    this.request = request;
  }

  /**
   * Returns the request whose keys this handle holds.
   *
   * @return the request, as the provider received it
   */
  public final LockRequest request() {
    return request;
  }

  /**
   * Releases every key still owned by this handle; called once, by the first {@link #release()}.
   *
   * @return the keys that were no longer owned (lost), in acquisition order
   * @throws dev.holdfast.lock.LockBackendException if the store failed
   */
  protected abstract List<String> releaseKeys();

  /**
   * Checks which keys are lost while the handle is not released; may ask the store.
   *
   * @return the lost keys in acquisition order
   * @throws dev.holdfast.lock.LockBackendException if the store cannot tell
   */
  protected abstract List<String> checkLostKeys();

  @Override
  public final List<String> lostKeys() {
    return released ? answerOfTheRelease() : checkLostKeys();
  }

  @Override
  public final List<String> release() {
    if (!RELEASED.compareAndSet(this, false, true)) {
      return answerOfTheRelease();
    }
    List<String> answer;
    try {
      answer = releaseKeys();
    } catch (Throwable failure) {
      lostAtRelease.completeExceptionally(failure);
      throw failure;
    }
    lostAtRelease.complete(answer);
    return answer;
  }

  /**
   * Puts a backend's set of keys in the request's order, as {@link #releaseKeys()} and {@link
   * #checkLostKeys()} must return them.
   *
   * @param keys some of the request's keys, in any order
   * @return those keys, in acquisition order
   */
  protected final List<String> inRequestOrder(Collection<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<String> ordered = new ArrayList<>(keys.size());
    for (String key : request.keys()) {
      if (keys.contains(key)) {
        ordered.add(key);
      }
    }
    return List.copyOf(ordered);
  }

  /** Waits, uninterruptibly, for the first release to end, and gives its answer again. */
  private List<String> answerOfTheRelease() {
    try {
      return lostAtRelease.join();
    } catch (CompletionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw (Error) failure; // releaseKeys() declares no checked exception
    }
  }
}
