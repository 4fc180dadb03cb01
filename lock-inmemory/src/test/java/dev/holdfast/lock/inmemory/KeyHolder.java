package dev.holdfast.lock.inmemory;

import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Holds a key through a template on its own platform thread until closed, so that a test can
 * contend for it. {@link #release()} lets go of it and rethrows whatever the holding thread failed
 * with.
 */
final class KeyHolder {

  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  private KeyHolder(LockTemplate locks, String key) {
    thread =
        new Thread(
            () -> {
              try {
                locks.runWithLock(
                    key,
                    Duration.ZERO,
                    Duration.ofMinutes(1),
                    heldLocks -> {
                      held.countDown();
                      released.await();
                    });
              } catch (Throwable e) {
                failure.set(e);
                held.countDown();
              }
            },
            "holder of " + key);
    // A test that fails before releasing must not keep the JVM alive.
    thread.setDaemon(true);
  }

  /** Returns once {@code key} is held by a new thread. */
  static KeyHolder hold(LockTemplate locks, String key) throws InterruptedException {
    KeyHolder holder = new KeyHolder(locks, key);
    holder.thread.start();
    holder.held.await();
    holder.rethrowFailure();
    return holder;
  }

  /** Releases the key and waits for the holding thread to end. */
  void release() throws InterruptedException {
    released.countDown();
    thread.join();
    rethrowFailure();
  }

  private void rethrowFailure() {
    Throwable thrown = failure.get();
    if (thrown != null) {
      throw new AssertionError("The holding thread failed", thrown);
    }
  }
}
