package dev.holdfast.lock.spi;

import dev.holdfast.lock.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * The one point in time by which a whole key set must be acquired, measured on a monotonic {@link
 * Ticker}. A zero wait means one attempt and no waiting: such a deadline never reads the clock (a
 * clock read costs more than an uncontended in-memory lock), and its {@link #elapsed()} is always
 * zero. Immutable and thread-safe.
 */
public final class Deadline {

  private static final Duration MAX_WAIT = Duration.ofNanos(Long.MAX_VALUE);

  private static final Deadline TRY_ONCE = new Deadline(Ticker.systemTicker(), 0, 0);

  private final Ticker ticker;
  private final long startNanos;
  private final long waitNanos;

  private Deadline(Ticker ticker, long startNanos, long waitNanos) {
    this.ticker = ticker;
    this.startNanos = startNanos;
    this.waitNanos = waitNanos;
  }

  /**
   * Starts a deadline {@code waitTime} from now.
   *
   * @param waitTime how long until it expires; zero or more
   * @param ticker the time source
   * @return the deadline
   * @throws NullPointerException if an argument is null, naming it
   * @throws IllegalArgumentException if {@code waitTime} is negative or does not fit in a {@code
   *     long} of nanoseconds (about 292 years)
   */
  public static Deadline after(Duration waitTime, Ticker ticker) {
    Objects.requireNonNull(waitTime, "waitTime must not be null");
    Objects.requireNonNull(ticker, "ticker must not be null");
    if (waitTime.isNegative() || waitTime.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(
          "waitTime must be between zero and " + MAX_WAIT + ", was " + waitTime);
    }
    return waitTime.isZero() ? TRY_ONCE : new Deadline(ticker, ticker.read(), waitTime.toNanos());
  }

  /**
   * Returns the time left, never negative.
   *
   * @return nanoseconds until expiry, or zero once expired
   */
  public long remainingNanos() {
    return Math.max(0, waitNanos - elapsedNanos());
  }

  /**
   * Tells whether the deadline has passed.
   *
   * @return {@code true} once no time is left
   */
  public boolean hasExpired() {
    return remainingNanos() == 0;
  }

  /**
   * Returns the time since the deadline was started; always zero for a zero wait.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos());
  }

  /**
   * Returns the whole wait this deadline allows.
   *
   * @return the wait time it was created with
   */
  public Duration waitTime() {
    return Duration.ofNanos(waitNanos);
  }

  private long elapsedNanos() {
    return this == TRY_ONCE ? 0 : ticker.read() - startNanos;
  }

  @Override
  public String toString() {
    return "Deadline{remaining="
        + Duration.ofNanos(remainingNanos())
        + " of "
        + Duration.ofNanos(waitNanos)
        + '}';
  }
}
