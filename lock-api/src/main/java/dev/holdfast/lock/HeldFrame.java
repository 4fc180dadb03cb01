package dev.holdfast.lock;

import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The keys one template call acquired, stacked per thread so that a nested call can see what its
 * thread already holds. Only the thread that pushed a frame reads or pops it.
 */
final class HeldFrame {

  private static final ThreadLocal<@Nullable HeldFrame> TOP = new ThreadLocal<>();

  private final LockProvider provider;
  private final List<String> keys;
  private final LockHandle handle;
  private final @Nullable HeldFrame below;

  private HeldFrame(
      LockProvider provider, List<String> keys, LockHandle handle, @Nullable HeldFrame below) {
    this.provider = provider;
    this.keys = keys;
    this.handle = handle;
    this.below = below;
  }

  /** Returns the innermost frame of this thread on {@code provider}, or null if none. */
  static @Nullable HeldFrame innermost(LockProvider provider) {
    for (HeldFrame frame = TOP.get(); frame != null; frame = frame.below) {
      if (frame.provider == provider) {
        return frame;
      }
    }
    return null;
  }

  /** Pushes the keys {@code handle} holds onto this thread's stack. */
  static HeldFrame push(LockProvider provider, List<String> keys, LockHandle handle) {
    HeldFrame frame = new HeldFrame(provider, keys, handle, TOP.get());
    TOP.set(frame);
    return frame;
  }

  /** Pops this frame, which must be the top of its thread's stack. */
  void pop() {
    if (below == null) {
      TOP.remove();
    } else {
      TOP.set(below);
    }
  }

  LockHandle handle() {
    return handle;
  }

  /** The greatest key this thread holds on the provider: nested frames only add greater keys. */
  String greatestKey() {
    return keys.get(keys.size() - 1);
  }

  /** Returns the handle holding {@code key} in this frame or an outer one, or null if none. */
  @Nullable LockHandle ownerOf(String key, Comparator<String> order) {
    for (HeldFrame frame = this; frame != null; frame = frame.below) {
      if (frame.provider == provider && Collections.binarySearch(frame.keys, key, order) >= 0) {
        return frame.handle;
      }
    }
    return null;
  }

  /** Every key the thread holds on the provider, in acquisition order. */
  List<String> allKeys() {
    List<String> all = new ArrayList<>();
    for (HeldFrame frame = this; frame != null; frame = frame.below) {
      if (frame.provider == provider) {
        all.addAll(0, frame.keys);
      }
    }
    return all;
  }
}
