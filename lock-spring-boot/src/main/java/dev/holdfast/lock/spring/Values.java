package dev.holdfast.lock.spring;

import org.jspecify.annotations.Nullable;

/** How messages show values: quoted strings, other values as {@code String.valueOf}, cut short. */
final class Values {

  /** Longer values are cut: a large argument would drown the line that reports it. */
  private static final int LIMIT = 80;

  private Values() {}

  static String quote(@Nullable Object value) {
    String shown = String.valueOf(value);
    if (shown.length() > LIMIT) {
      shown = shown.substring(0, LIMIT) + "…";
    }
    return value instanceof CharSequence ? '"' + shown + '"' : shown;
  }
}
