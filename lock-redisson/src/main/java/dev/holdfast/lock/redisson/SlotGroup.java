package dev.holdfast.lock.redisson;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The keys of one request that share a hash slot: what one script call takes, renews and releases
 * atomically. Outside Redis Cluster every request is one group. In a cluster the request's keys
 * arrive sorted by slot, so each group is a contiguous run of them.
 */
final class SlotGroup {

  /** Where the group's keys start in the request's key list. */
  final int offset;

  /** The lock keys, in request order. */
  final List<String> lockKeys;

  /** The lock keys as script arguments: the holding script's keys. */
  final List<Object> scriptKeys;

  /**
   * The lock keys followed by their fencing counters and their waiter queues: the acquire script's
   * keys.
   */
  final List<Object> acquireKeys;

  /** The lock keys followed by their waiter queues: the release script's keys. */
  final List<Object> releaseKeys;

  private SlotGroup(int offset, List<String> lockKeys) {
    this.offset = offset;
    this.lockKeys = lockKeys;
    // One array per call for the acquire script's keys, whose start serves the holding script,
    // and one for the release script's: every further copy is a pointer per key per call, and
    // Redisson copies the keys again itself.
    int n = lockKeys.size();
    Object[] keys = new Object[n * 3];
    Object[] release = new Object[n * 2];
    for (int i = 0; i < n; i++) {
      String key = lockKeys.get(i);
      String counter = HashSlots.fencingCounterKey(key);
      Object queue = HashSlots.waiterQueueKeyOfCounter(counter);
      keys[i] = key;
      keys[n + i] = counter;
      keys[2 * n + i] = queue;
      release[i] = key;
      release[n + i] = queue;
    }
    this.acquireKeys = Collections.unmodifiableList(Arrays.asList(keys));
    this.scriptKeys = acquireKeys.subList(0, n);
    this.releaseKeys = Collections.unmodifiableList(Arrays.asList(release));
  }

  /**
   * Splits {@code keys} into slot groups.
   *
   * @param keys the request's keys, sorted by slot when {@code cluster}
   * @param cluster whether keys may live on different nodes
   */
  static List<SlotGroup> of(List<String> keys, boolean cluster) {
    if (!cluster) {
      return List.of(new SlotGroup(0, keys));
    }
    List<SlotGroup> groups = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= keys.size(); i++) {
      if (i == keys.size() || HashSlots.slot(keys.get(i)) != HashSlots.slot(keys.get(start))) {
        groups.add(new SlotGroup(start, keys.subList(start, i)));
        start = i;
      }
    }
    return groups;
  }

  /** Returns the keys at the 1-based script indexes in {@code reply}, from {@code from} on. */
  List<String> keysAt(List<Object> reply, int from) {
    List<String> keys = new ArrayList<>(reply.size() - from);
    for (int i = from; i < reply.size(); i++) {
      keys.add(lockKeys.get(((Long) reply.get(i)).intValue() - 1));
    }
    return keys;
  }
}
