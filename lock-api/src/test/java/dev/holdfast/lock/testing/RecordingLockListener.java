package dev.holdfast.lock.testing;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event as one readable line, and keeps the exceptions it was given. */
public final class RecordingLockListener implements LockListener {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<RuntimeException> exceptions = new CopyOnWriteArrayList<>();

  /** The events so far, one line each, in order. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /** The exceptions passed to {@code onNotAcquired} and {@code onBackendFailure}, in order. */
  public List<RuntimeException> exceptions() {
    return List.copyOf(exceptions);
  }

  @Override
  public void onAttempt(LockRequest request) {
    events.add("attempt " + request.keys() + " policy " + request.policyName());
  }

  @Override
  public void onAcquired(LockRequest request, Duration waited) {
    events.add("acquired " + request.keys() + " waited " + waited);
  }

  @Override
  public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
    exceptions.add(exception);
    events.add(
        "notAcquired "
            + request.keys()
            + " blocked by "
            + exception.blockingKeys()
            + " waited "
            + exception.waited());
  }

  @Override
  public void onInterrupted(LockRequest request, Duration waited) {
    events.add("interrupted " + request.keys() + " waited " + waited);
  }

  @Override
  public void onBackendFailure(LockRequest request, LockBackendException exception) {
    exceptions.add(exception);
    events.add("backendFailure " + request.keys());
  }

  @Override
  public void onReleased(LockRequest request, Duration held) {
    events.add("released " + request.keys() + " held " + held);
  }

  @Override
  public void onLost(LockRequest request, List<String> lostKeys) {
    events.add("lost " + lostKeys + " of " + request.keys());
  }
}
