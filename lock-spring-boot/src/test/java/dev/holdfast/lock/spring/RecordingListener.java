package dev.holdfast.lock.spring;

import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every acquisition the template attempts. */
final class RecordingListener implements LockListener {

  private final List<LockRequest> attempts = new CopyOnWriteArrayList<>();

  @Override
  public void onAttempt(LockRequest request) {
    attempts.add(request);
  }

  List<LockRequest> attempts() {
    return List.copyOf(attempts);
  }
}
