package dev.holdfast.lock.testkit;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records listener events as short strings, such as {@code acquired [k1, k2]}. */
final class RecordingListener implements LockListener {

  private final List<String> events = new CopyOnWriteArrayList<>();

  List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public void onAttempt(LockRequest request) {
    events.add("attempt " + request.keys());
  }

  @Override
  public void onAcquired(LockRequest request, Duration waited) {
    events.add("acquired " + request.keys());
  }

  @Override
  public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
    events.add("not acquired " + request.keys() + " blocked by " + exception.blockingKeys());
  }

  @Override
  public void onInterrupted(LockRequest request, Duration waited) {
    events.add("interrupted " + request.keys());
  }

  @Override
  public void onBackendFailure(LockRequest request, LockBackendException exception) {
    events.add("backend failure " + request.keys());
  }

  @Override
  public void onReleased(LockRequest request, Duration held) {
    events.add("released " + request.keys());
  }

  @Override
  public void onLost(LockRequest request, List<String> lostKeys) {
    events.add("lost " + lostKeys);
  }
}
