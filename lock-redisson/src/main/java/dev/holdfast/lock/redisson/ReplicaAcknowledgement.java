package dev.holdfast.lock.redisson;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How many replicas must acknowledge an acquisition or a renewal, and how long to wait for them:
 * {@code WAIT replicas timeout}, sent on the connection that ran the script (Redis counts the
 * acknowledgements of that connection's last write).
 */
record ReplicaAcknowledgement(int replicas, Duration timeout) {

  /** The outcome of a script followed by {@code WAIT}. */
  record Acknowledged<T>(T reply, int replicas) {}

  boolean isMetBy(int acknowledged) {
    return acknowledged >= replicas;
  }

  /**
   * This requirement with its timeout cut to {@code maxNanos} if that is shorter, but to no less
   * than 1 ms: {@code WAIT} with a timeout of 0 would block for good.
   */
  ReplicaAcknowledgement cappedAt(long maxNanos) {
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(maxNanos));
    return millis >= timeout.toMillis()
        ? this
        : new ReplicaAcknowledgement(replicas, Duration.ofMillis(millis));
  }
}
