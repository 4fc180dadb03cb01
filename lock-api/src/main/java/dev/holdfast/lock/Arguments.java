package dev.holdfast.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Validation shared by the public entry points; every message names the parameter and value. */
final class Arguments {

  /** Longer values are cut in messages: a 10 kB key would drown the log line that reports it. */
  private static final int QUOTE_LIMIT = 80;

  /** {@link Duration#toNanos()} overflows past this; deadlines are kept in nanoseconds. */
  private static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

  private Arguments() {}

  static <T> T requireNonNull(@Nullable T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  static String requireKey(@Nullable String key, String name) {
    if (key == null || !isValidKey(key)) {
      throw invalidKey(key, name);
    }
    return key;
  }

  /** Validates a single key and makes it a key list, already canonical. */
  static List<String> singleKey(@Nullable String key) {
    return List.of(requireKey(key, "key"));
  }

  /** Checks {@code keys[index]}; the parameter name is only built for the message. */
  private static String requireKey(@Nullable String key, int index) {
    if (key == null || !isValidKey(key)) {
      throw invalidKey(key, "keys[" + index + "]");
    }
    return key;
  }

  private static boolean isValidKey(String key) {
    return key.length() <= LockTemplate.MAX_KEY_LENGTH
        && !key.isBlank()
        && loneSurrogateAt(key) < 0
        && !key.endsWith(LockTemplate.RESERVED_KEY_SUFFIX);
  }

  /**
   * Returns the index of the first char of {@code key} that is half of a surrogate pair without its
   * other half, or -1. UTF-8, which Redis keys are sent in, has no form for it: encoders put {@code
   * ?} in its place, so that two different keys would be one key in the store.
   */
  private static int loneSurrogateAt(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 == key.length()
            || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return i;
        }
        i++;
      }
    }
    return -1;
  }

  private static RuntimeException invalidKey(@Nullable String key, String name) {
    if (key == null) {
      return new NullPointerException(name + " must not be null");
    }
    if (key.isBlank()) {
      return new IllegalArgumentException(name + " must not be blank, was " + quote(key));
    }
    if (key.length() > LockTemplate.MAX_KEY_LENGTH) {
      return new IllegalArgumentException(
          name
              + " must be at most "
              + LockTemplate.MAX_KEY_LENGTH
              + " characters, was "
              + key.length()
              + ": "
              + quote(key));
    }
    if (key.endsWith(LockTemplate.RESERVED_KEY_SUFFIX)) {
      return new IllegalArgumentException(
          name
              + " must not end with "
              + LockTemplate.RESERVED_KEY_SUFFIX
              + ", which backends reserve for keys of their own (fencing counters), was "
              + quote(key));
    }
    int lone = loneSurrogateAt(key);
    return new IllegalArgumentException(
        String.format(
            "%s must be encodable as UTF-8, but char %d is a lone surrogate (\\u%04X) with no"
                + " other half: the store would keep it as '?', the same as other keys. Was %s",
            name, lone, (int) key.charAt(lone), quote(key)));
  }

  /**
   * Validates, de-duplicates and sorts {@code keys} by {@code order}.
   *
   * @throws IllegalStateException if {@code order} calls two different keys equal: a key order that
   *     is not total cannot keep callers from deadlocking
   */
  static List<String> canonicalKeys(@Nullable Collection<String> keys, Comparator<String> order) {
    keys = requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty, was []");
    }
    if (keys.size() > LockTemplate.MAX_KEYS) {
      throw new IllegalArgumentException(
          "keys must hold at most " + LockTemplate.MAX_KEYS + " keys, was " + keys.size());
    }
    if (keys.size() == 1 && keys instanceof List<String> list) {
      // The single-key methods pass an immutable List.of(key), which List.copyOf returns as is.
      requireKey(list.get(0), 0);
      return List.copyOf(list);
    }
    String[] sorted = new String[keys.size()];
    int index = 0;
    for (String key : keys) {
      sorted[index] = requireKey(key, index);
      index++;
    }
    if (sorted.length == 1) {
      return List.of(sorted[0]);
    }
    Arrays.sort(sorted, order);
    List<String> distinct = new ArrayList<>(sorted.length);
    String previous = null;
    for (String key : sorted) {
      if (previous != null && order.compare(previous, key) == 0) {
        if (!previous.equals(key)) {
          throw new IllegalStateException(
              "Key order "
                  + order
                  + " ranks different keys "
                  + quote(previous)
                  + " and "
                  + quote(key)
                  + " equal; a backend's key order must be total");
        }
        continue;
      }
      distinct.add(key);
      previous = key;
    }
    return List.copyOf(distinct);
  }

  static Duration requireWaitTime(@Nullable Duration waitTime, String name) {
    waitTime = requireNonNull(waitTime, name);
    if (waitTime.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + waitTime);
    }
    return requireNanosecondRange(waitTime, name);
  }

  static Duration requireLeaseTime(@Nullable Duration leaseTime, String name) {
    leaseTime = requireNonNull(leaseTime, name);
    if (leaseTime.compareTo(LockTemplate.MIN_LEASE_TIME) < 0) {
      throw new IllegalArgumentException(
          name + " must be at least " + LockTemplate.MIN_LEASE_TIME + ", was " + leaseTime);
    }
    return requireNanosecondRange(leaseTime, name);
  }

  private static Duration requireNanosecondRange(Duration duration, String name) {
    if (duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          name + " must be at most " + MAX_DURATION + " (about 292 years), was " + duration);
    }
    return duration;
  }

  static String quote(String value) {
    String shown = value.length() <= QUOTE_LIMIT ? value : value.substring(0, QUOTE_LIMIT) + "…";
    return '"' + shown + '"';
  }
}
