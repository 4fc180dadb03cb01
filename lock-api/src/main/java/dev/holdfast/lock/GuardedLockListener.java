package dev.holdfast.lock;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forwards events to listeners, logging and swallowing whatever they throw. */
final class GuardedLockListener implements LockListener {

  private static final Logger LOG = LoggerFactory.getLogger(LockListener.class);

  private final List<LockListener> listeners;

  GuardedLockListener(List<LockListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onAttempt(LockRequest request) {
    emit("onAttempt", request, listener -> listener.onAttempt(request));
  }

  @Override
  public void onAcquired(LockRequest request, Duration waited) {
    emit("onAcquired", request, listener -> listener.onAcquired(request, waited));
  }

  @Override
  public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
    emit("onNotAcquired", request, listener -> listener.onNotAcquired(request, exception));
  }

  @Override
  public void onInterrupted(LockRequest request, Duration waited) {
    emit("onInterrupted", request, listener -> listener.onInterrupted(request, waited));
  }

  @Override
  public void onBackendFailure(LockRequest request, LockBackendException exception) {
    emit("onBackendFailure", request, listener -> listener.onBackendFailure(request, exception));
  }

  @Override
  public void onReleased(LockRequest request, Duration held) {
    emit("onReleased", request, listener -> listener.onReleased(request, held));
  }

  @Override
  public void onLost(LockRequest request, List<String> lostKeys) {
    emit("onLost", request, listener -> listener.onLost(request, lostKeys));
  }

  private void emit(String event, LockRequest request, Consumer<LockListener> call) {
    for (LockListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn(
            "Lock listener {} failed in {} for {}; ignored", listener, event, request.keys(), e);
      }
    }
  }
}
