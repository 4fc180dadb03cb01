package dev.holdfast.lock.spring;

import dev.holdfast.lock.HeldLocks;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The held locks of the {@link DistributedLock} methods running on one thread, innermost last. One
 * stack per thread, kept for the thread's life, so that entering a method costs one thread-local
 * read and two array writes, not a thread-local write and removal. Only the owning thread reads or
 * changes it.
 */
final class LockFrames {

  private static final ThreadLocal<LockFrames> FRAMES = ThreadLocal.withInitial(LockFrames::new);

  private HeldLocks[] held = new HeldLocks[4];
  private int size;

  private LockFrames() {}

  static LockFrames ofThisThread() {
    return FRAMES.get();
  }

  void push(HeldLocks locks) {
    if (size == held.length) {
      held = Arrays.copyOf(held, size * 2);
    }
    held[size++] = locks;
  }

  /** Forgets the innermost method's locks, which must be the last pushed. */
  void pop() {
    held[--size] = null;
  }

  @Nullable HeldLocks innermost() {
    return size == 0 ? null : held[size - 1];
  }

  /** Every method's locks, outermost first; empty outside any. */
  HeldLocks[] all() {
    return Arrays.copyOf(held, size);
  }
}
