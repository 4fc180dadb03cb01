package dev.holdfast.lock.redisson.faults;

/**
 * One fault the nemesis injected.
 *
 * @param kind what it did
 * @param target what it hit: a Redis port, a worker id, a key
 * @param startNanos {@link System#nanoTime()} when the fault began
 * @param healedNanos when the nemesis had undone it (resumed, restarted, unfrozen, or the failover
 *     had completed); equal to {@code startNanos} for a fault that is over once done
 */
record FaultRecord(FaultKind kind, String target, long startNanos, long healedNanos) {

  FaultRecord {
    if (healedNanos - startNanos < 0) {
      throw new IllegalArgumentException(
          "healedNanos must not be before startNanos, was " + (healedNanos - startNanos) + " ns");
    }
  }

  boolean overlaps(long fromNanos, long toNanos) {
    return startNanos - toNanos <= 0 && fromNanos - healedNanos <= 0;
  }
}
