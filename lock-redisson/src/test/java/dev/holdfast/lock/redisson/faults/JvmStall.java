package dev.holdfast.lock.redisson.faults;

/**
 * A stretch in which a worker JVM did not run: its watch thread, asleep for a few milliseconds,
 * woke up far later. On a machine that other processes load, a JVM can get no CPU for seconds; what
 * its calls took then says nothing about the lock, as for a SIGSTOPped one.
 *
 * @param worker the worker JVM, for example {@code w2g1}
 * @param fromNanos {@link System#nanoTime()} when the watch thread went to sleep
 * @param toNanos when it woke up
 */
record JvmStall(String worker, long fromNanos, long toNanos) {

  JvmStall {
    if (toNanos - fromNanos < 0) {
      throw new IllegalArgumentException(
          "toNanos must not be before fromNanos, was " + (toNanos - fromNanos) + " ns");
    }
  }

  /** How much of {@code [fromNanos, toNanos]} this stall covers. */
  long overlapNanos(long from, long to) {
    return Math.max(0, Math.min(to, toNanos) - Math.max(from, fromNanos));
  }
}
