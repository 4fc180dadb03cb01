package dev.holdfast.lock;

import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The keys each template call of a thread acquired, stacked so that a nested call can see what its
 * thread already holds. One stack per thread, kept for the thread's life: pushing and popping only
 * touch its arrays, which costs far less than setting and removing a thread-local on every call.
 * Only the owning thread reads or changes it.
 */
final class HeldFrame {

  private static final ThreadLocal<HeldFrame> STACK = ThreadLocal.withInitial(HeldFrame::new);

  private LockProvider[] providers = new LockProvider[4];

  /**
   * Each frame's keys: the key itself for a single key, which keeps the caller's one-key list from
   * escaping into this long-lived stack (and so from being allocated at all once inlined), else the
   * list.
   */
  private Object[] keys = new Object[4];

  private LockHandle[] handles = new LockHandle[4];
  private int size;

  private HeldFrame() {}

  /** Returns this thread's stack. */
  static HeldFrame ofThisThread() {
    return STACK.get();
  }

  /** Tells whether the thread holds any key of {@code provider} through a template call. */
  boolean holdsAny(LockProvider provider) {
    return indexBelow(size, provider) >= 0;
  }

  /**
   * Records that the call now running holds {@code keys} of {@code provider} through {@code
   * handle}.
   */
  void push(LockProvider provider, List<String> heldKeys, LockHandle handle) {
    if (size == providers.length) {
      providers = Arrays.copyOf(providers, size * 2);
      keys = Arrays.copyOf(keys, size * 2);
      handles = Arrays.copyOf(handles, size * 2);
    }
    providers[size] = provider;
    keys[size] = heldKeys.size() == 1 ? heldKeys.get(0) : heldKeys;
    handles[size] = handle;
    size++;
  }

  /** Forgets the innermost call's keys, which must be the last pushed. */
  void pop() {
    size--;
    providers[size] = null;
    keys[size] = null;
    handles[size] = null;
  }

  /** The greatest key the thread holds on {@code provider}: nested calls only add greater keys. */
  String greatestKey(LockProvider provider) {
    List<String> innermost = keysAt(indexBelow(size, provider));
    return innermost.get(innermost.size() - 1);
  }

  /** Returns the handle through which the thread holds {@code key} of {@code provider}, or null. */
  @Nullable LockHandle ownerOf(LockProvider provider, String key, Comparator<String> order) {
    for (int i = indexBelow(size, provider); i >= 0; i = indexBelow(i, provider)) {
      if (Collections.binarySearch(keysAt(i), key, order) >= 0) {
        return handles[i];
      }
    }
    return null;
  }

  /** Every key the thread holds on {@code provider}, in acquisition order. */
  List<String> allKeys(LockProvider provider) {
    List<String> all = new ArrayList<>();
    for (int i = indexBelow(size, provider); i >= 0; i = indexBelow(i, provider)) {
      all.addAll(0, keysAt(i));
    }
    return all;
  }

  /** The index of the innermost frame of {@code provider} below {@code from}, or -1. */
  private int indexBelow(int from, LockProvider provider) {
    for (int i = from - 1; i >= 0; i--) {
      if (providers[i] == provider) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked") // only push() stores, and it stores a String or a List<String>
  private List<String> keysAt(int index) {
    Object held = keys[index];
    return held instanceof String key ? List.of(key) : (List<String>) held;
  }
}
