package dev.holdfast.lock.spring;

import dev.holdfast.lock.HeldLocks;

/**
 * The locks held for the {@link DistributedLock} method running on this thread: its keys, their
 * fencing tokens, and {@link HeldLocks#checkHeld()}.
 *
 * <pre>{@code
 * @DistributedLock(prefix = "lock:product:", keys = "#productId")
 * public void restock(long productId, int quantity) {
 *   long token = CurrentLocks.held().fencingToken("lock:product:" + productId).orElseThrow();
 *   stock.add(productId, quantity, token);
 * }
 * }</pre>
 *
 * <p>Inside nested annotated methods it gives the innermost one's locks, and the outer method's
 * again once the inner one has returned. It is bound to the thread the method runs on: work handed
 * to another thread must take the {@link HeldLocks} along.
 */
public final class CurrentLocks {

  private CurrentLocks() {}

  /**
   * Returns the locks of the innermost {@link DistributedLock} method running on this thread.
   *
   * @return the held locks; only meaningful until that method returns
   * @throws IllegalStateException if no {@link DistributedLock} method is running on this thread
   */
  public static HeldLocks held() {
    HeldLocks held = LockFrames.ofThisThread().innermost();
    if (held == null) {
      throw new IllegalStateException(
          "No @DistributedLock method is running on thread "
              + Thread.currentThread().getName()
              + ": CurrentLocks.held() is only available inside one, on the thread that called"
              + " it through its Spring proxy (a call from inside the same object takes no lock)");
    }
    return held;
  }
}
