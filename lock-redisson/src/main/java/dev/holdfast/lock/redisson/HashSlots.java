package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LockTemplate;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Redis Cluster's key-to-slot mapping, and the names Holdfast derives from a lock key so that they
 * land in the key's own slot (a script may only touch keys of one slot).
 */
final class HashSlots {

  /** Redis Cluster has this many slots; every key maps to one. */
  static final int SLOT_COUNT = 16_384;

  /** Cluster order: by slot first, so that keys of one slot are contiguous, then by key. */
  static final Comparator<String> CLUSTER_ORDER =
      Comparator.comparingInt(HashSlots::slot).thenComparing(Comparator.naturalOrder());

  /** No valid lock key ends with it, so no lock key can be spelled like a fencing counter. */
  private static final String FENCING_COUNTER_SUFFIX = LockTemplate.RESERVED_KEY_SUFFIX;

  private HashSlots() {}

  /**
   * Returns the slot of {@code key}: CRC16 (XMODEM) of its hash tag, the part between the first
   * opening brace and the next closing brace when that is not empty, or else of the whole key.
   */
  static int slot(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int open = indexOf(bytes, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(bytes, (byte) '}', open + 1);
      if (close > open + 1) {
        return crc16(bytes, open + 1, close) & (SLOT_COUNT - 1);
      }
    }
    return crc16(bytes, 0, bytes.length) & (SLOT_COUNT - 1);
  }

  /**
   * Returns the name of the counter that issues {@code lockKey}'s fencing tokens, in the same slot
   * as the lock key. It stays readable for every key but those with a stray closing brace:
   *
   * <ul>
   *   <li>{@code order:{42}:line} (has a hash tag) → {@code order:{42}:line:fencing-token}
   *   <li>{@code lock:product:7} (no braces) → {@code {lock:product:7}:fencing-token}
   *   <li>a key with a closing brace but no hash tag gets a prefix whose hash tag is any short
   *       string of the key's slot
   * </ul>
   */
  static String fencingCounterKey(String lockKey) {
    if (hasHashTag(lockKey)) {
      return lockKey + FENCING_COUNTER_SUFFIX;
    }
    if (lockKey.indexOf('}') < 0) {
      return '{' + lockKey + '}' + FENCING_COUNTER_SUFFIX;
    }
    return '{' + SlotTags.TAGS[slot(lockKey)] + '}' + lockKey + FENCING_COUNTER_SUFFIX;
  }

  /**
   * Returns the name of the list of waiters queued for {@code lockKey} (see {@code acquire.lua}):
   * its fencing counter's name followed by the reserved suffix once more. No lock key ends with the
   * suffix, so no lock key's counter, nor any lock key, is spelled like it.
   */
  static String waiterQueueKey(String lockKey) {
    return waiterQueueKeyOfCounter(fencingCounterKey(lockKey));
  }

  /** The same from the name of the key's fencing counter, for a caller that already built it. */
  static String waiterQueueKeyOfCounter(String fencingCounterKey) {
    return fencingCounterKey + FENCING_COUNTER_SUFFIX;
  }

  private static boolean hasHashTag(String key) {
    int open = key.indexOf('{');
    return open >= 0 && key.indexOf('}', open + 1) > open + 1;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return crc & 0xffff;
  }

  /** A short hash tag for every slot, found by trial once and only if a key needs one. */
  private static final class SlotTags {

    static final String[] TAGS = new String[SLOT_COUNT];

    static {
      int found = 0;
      for (int i = 0; found < SLOT_COUNT; i++) {
        String tag = Integer.toString(i, Character.MAX_RADIX);
        int slot = slot(tag);
        if (TAGS[slot] == null) {
          TAGS[slot] = tag;
          found++;
        }
      }
    }
  }
}
