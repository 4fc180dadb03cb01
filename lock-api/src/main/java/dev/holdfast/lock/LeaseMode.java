package dev.holdfast.lock;

/** How a held lock's lease behaves while the callback runs. */
public enum LeaseMode {

  /**
   * The lease ends {@code leaseTime} after acquisition whether or not the callback has finished. A
   * callback that outlives it has lost the lock: the template reports it with {@link
   * LockLostException}. Choose it when a dead holder must free the key within a known bound.
   */
  FIXED,

  /**
   * A backend watchdog keeps extending the lease by {@code leaseTime} while the callback runs and
   * stops at release, so a slow callback keeps its lock; a holder whose process dies frees the key
   * within one {@code leaseTime}. A renewal that finds the key gone marks the hold lost.
   */
  RENEWING
}
