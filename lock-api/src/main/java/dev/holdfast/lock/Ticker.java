package dev.holdfast.lock;

/**
 * A monotonic source of nanoseconds, injected so that waits and hold times can be measured (and
 * tested) without the wall clock.
 *
 * <p>Implementations must be thread-safe and must never go backwards; the values only have meaning
 * relative to each other, as with {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current reading of this ticker, in nanoseconds.
   *
   * @return a monotonic nanosecond reading
   */
  long read();

  /**
   * Returns the ticker backed by {@link System#nanoTime()}.
   *
   * @return the system ticker
   */
  static Ticker systemTicker() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
