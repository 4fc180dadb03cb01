package dev.holdfast.lock;

import java.time.Duration;
import java.util.List;

/**
 * Observes lock calls, for metrics, tracing or logs. Every method does nothing by default; override
 * the ones you need.
 *
 * <p>Methods are called on the thread making the lock call, so they must be quick and thread-safe.
 * The template guards every call: an exception a listener throws is logged at WARN and ignored, and
 * never keeps a key from being released. A call that finds every key already held by its thread
 * (re-entry) acquires nothing and reports nothing.
 *
 * <p>Listeners hear what acquisition and release find, and the backend failures of the checks the
 * callback makes ({@link HeldLocks#isHeld()}, {@link HeldLocks#checkHeld()}), through {@link
 * #onBackendFailure}. A key such a check finds lost is not reported on its own: with the backends
 * of this project it is found lost again when the call releases its keys, and {@link #onLost}
 * reports it then.
 */
public interface LockListener {

  /**
   * Called before a request is sent to the backend.
   *
   * @param request the resolved request
   */
  default void onAttempt(LockRequest request) {}

  /**
   * Called when every key of the request is held, before the callback runs.
   *
   * @param request the resolved request
   * @param waited how long acquisition took
   */
  default void onAcquired(LockRequest request, Duration waited) {}

  /**
   * Called when the wait ended with keys still held by others.
   *
   * @param request the resolved request
   * @param exception what the caller receives: blocking keys and the time waited
   */
  default void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {}

  /**
   * Called when the thread was interrupted while waiting.
   *
   * @param request the resolved request
   * @param waited how long it had waited
   */
  default void onInterrupted(LockRequest request, Duration waited) {}

  /**
   * Called when the backend failed while acquiring or releasing the request's keys, or while a
   * check the callback makes ({@link HeldLocks#isHeld()}, {@link HeldLocks#checkHeld()}) asked it;
   * the check then throws the same exception to the callback.
   *
   * @param request the resolved request
   * @param exception what the caller receives, the backend's error as its cause
   */
  default void onBackendFailure(LockRequest request, LockBackendException exception) {}

  /**
   * Called after the request's keys were released.
   *
   * @param request the resolved request
   * @param held how long the keys were held
   */
  default void onReleased(LockRequest request, Duration held) {}

  /**
   * Called when the release found keys lost while held (their lease ended), after {@link
   * #onReleased}.
   *
   * @param request the resolved request
   * @param lostKeys the keys that were lost, in acquisition order
   */
  default void onLost(LockRequest request, List<String> lostKeys) {}

  /**
   * Returns a listener that forwards every event to each of {@code listeners} in order. Each call
   * is guarded: one throwing listener neither stops the others nor reaches the caller.
   *
   * @param listeners the listeners to notify
   * @return the composite listener
   * @throws NullPointerException if {@code listeners} or one of them is null
   */
  static LockListener composite(LockListener... listeners) {
    Arguments.requireNonNull(listeners, "listeners");
    for (int i = 0; i < listeners.length; i++) {
      Arguments.requireNonNull(listeners[i], "listeners[" + i + "]");
    }
    return new GuardedLockListener(List.of(listeners));
  }
}
