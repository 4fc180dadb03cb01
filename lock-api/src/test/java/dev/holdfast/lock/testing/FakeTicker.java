package dev.holdfast.lock.testing;

import dev.holdfast.lock.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when a test says so. */
public final class FakeTicker implements Ticker {

  /** Not zero, so that code which confuses a reading with a duration shows up in tests. */
  private final AtomicLong nanos = new AtomicLong(1_234_567_890L);

  private volatile RuntimeException failure;

  @Override
  public long read() {
    RuntimeException broken = failure;
    if (broken != null) {
      throw broken;
    }
    return nanos.get();
  }

  /** Makes every read from now on throw {@code failure}. */
  public void failReadsWith(RuntimeException failure) {
    this.failure = failure;
  }

  /** Moves time forward by {@code duration}. */
  public void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
