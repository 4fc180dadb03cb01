package dev.holdfast.lock.testkit;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import java.time.Duration;
import java.util.List;

/** A listener that throws from every event, to prove hooks cannot hurt. */
final class ThrowingListener implements LockListener {

  private static RuntimeException failure(String event) {
    return new IllegalStateException("listener failure in " + event + " (thrown on purpose)");
  }

  @Override
  public void onAttempt(LockRequest request) {
    throw failure("onAttempt");
  }

  @Override
  public void onAcquired(LockRequest request, Duration waited) {
    throw failure("onAcquired");
  }

  @Override
  public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
    throw failure("onNotAcquired");
  }

  @Override
  public void onInterrupted(LockRequest request, Duration waited) {
    throw failure("onInterrupted");
  }

  @Override
  public void onBackendFailure(LockRequest request, LockBackendException exception) {
    throw failure("onBackendFailure");
  }

  @Override
  public void onReleased(LockRequest request, Duration held) {
    throw failure("onReleased");
  }

  @Override
  public void onLost(LockRequest request, List<String> lostKeys) {
    throw failure("onLost");
  }
}
