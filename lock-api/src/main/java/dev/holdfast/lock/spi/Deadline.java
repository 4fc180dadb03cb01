package dev.holdfast.lock.spi;

import dev.holdfast.lock.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * The one point in time by which a whole key set must be acquired, measured on a monotonic {@link
 * Ticker}. A zero wait means one attempt and no waiting: such a deadline never reads the clock (a
 * clock read costs more than an uncontended in-memory lock), and its {@link #elapsed()} is always
 * zero. One made by {@link #startingAtFirstUse} starts when it is first asked, so that a key taken
 * without waiting costs no clock read either. Thread-safe; once started, it never moves.
 */
public final class Deadline {

  private static final Duration MAX_WAIT = Duration.ofNanos(Long.MAX_VALUE);

  private static final Deadline TRY_ONCE = new Deadline(Ticker.systemTicker(), 0, 0);

  /** {@link #startNanos} of a deadline not started yet; a ticker reading it is moved on by 1 ns. */
  private static final long UNSTARTED = Long.MIN_VALUE;

  private static final VarHandle START;

  static {
    try {
      START = MethodHandles.lookup().findVarHandle(Deadline.class, "startNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ticker ticker;

  /** Set once: at creation, or through {@link #START} by whichever caller first asks. */
  private volatile long startNanos;

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
    requireWaitRange(waitTime);
    return waitTime.isZero() ? TRY_ONCE : new Deadline(ticker, reading(ticker), waitTime.toNanos());
  }

  /**
   * Makes a deadline {@code waitTime} long that starts the first time it is asked for the time
   * left, whether it has expired, or the time elapsed. A provider asks before it first waits, so
   * the wait still bounds the whole set; work done before that (trying a free key, sending the
   * first request) is not counted, as {@link dev.holdfast.lock.LockTemplate}'s timing allows.
   *
   * @param waitTime how long it lasts once started; zero or more
   * @param ticker the time source
   * @return the deadline
   * @throws NullPointerException if an argument is null, naming it
   * @throws IllegalArgumentException if {@code waitTime} is negative or does not fit in a {@code
   *     long} of nanoseconds (about 292 years)
   */
  public static Deadline startingAtFirstUse(Duration waitTime, Ticker ticker) {
    Objects.requireNonNull(waitTime, "waitTime must not be null");
    Objects.requireNonNull(ticker, "ticker must not be null");
    requireWaitRange(waitTime);
    return waitTime.isZero() ? TRY_ONCE : new Deadline(ticker, UNSTARTED, waitTime.toNanos());
  }

  private static void requireWaitRange(Duration waitTime) {
    if (waitTime.isNegative() || waitTime.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(
          "waitTime must be between zero and " + MAX_WAIT + ", was " + waitTime);
    }
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
    if (this == TRY_ONCE) {
      return 0;
    }
    long start = startNanos;
    if (start != UNSTARTED) {
      return ticker.read() - start;
    }
    long now = reading(ticker);
    // Callers racing to start it agree on the first reading stored.
    long witnessed = (long) START.compareAndExchange(this, UNSTARTED, now);
    return witnessed == UNSTARTED ? 0 : Math.max(0, now - witnessed);
  }

  /** Reads {@code ticker}, never returning {@link #UNSTARTED}. */
  private static long reading(Ticker ticker) {
    long now = ticker.read();
    return now == UNSTARTED ? now + 1 : now;
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
