package dev.holdfast.lock.testing;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that throws from every method, and counts how often it was called. */
public final class ThrowingLockListener implements LockListener {

  private final AtomicInteger calls = new AtomicInteger();

  /** How many events reached this listener. */
  public int calls() {
    return calls.get();
  }

  private void fail(String event) {
    calls.incrementAndGet();
    throw new IllegalStateException("listener broken in " + event);
  }

  @Override
  public void onAttempt(LockRequest request) {
    fail("onAttempt");
  }

  @Override
  public void onAcquired(LockRequest request, Duration waited) {
    fail("onAcquired");
  }

  @Override
  public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
    fail("onNotAcquired");
  }

  @Override
  public void onInterrupted(LockRequest request, Duration waited) {
    fail("onInterrupted");
  }

  @Override
  public void onBackendFailure(LockRequest request, LockBackendException exception) {
    fail("onBackendFailure");
  }

  @Override
  public void onReleased(LockRequest request, Duration held) {
    fail("onReleased");
  }

  @Override
  public void onLost(LockRequest request, List<String> lostKeys) {
    fail("onLost");
  }

  @Override
  public String toString() {
    return "ThrowingLockListener";
  }
}
