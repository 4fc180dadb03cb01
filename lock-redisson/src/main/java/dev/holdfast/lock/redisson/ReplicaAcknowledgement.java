package dev.holdfast.lock.redisson;

import java.time.Duration;

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
}
