package dev.holdfast.lock.redisson.faults;

/** What the nemesis does, each at least {@code faults.minPerKind} times in a run. */
enum FaultKind {
  /** kill -9 of the Redis master; Sentinel promotes a replica, the dead node rejoins as one. */
  MASTER_KILL,
  /** SIGSTOP of the master for less than {@code down-after-milliseconds}: no failover. */
  MASTER_PAUSE_SHORT,
  /**
   * SIGSTOP of the master for longer than {@code down-after-milliseconds}: a replica is promoted
   * while the old master sleeps, and on SIGCONT it applies what was queued before it is demoted.
   */
  MASTER_PAUSE_LONG,
  /** {@code SENTINEL FAILOVER}: a promotion while the old master still runs. */
  SENTINEL_FAILOVER,
  /** SIGSTOP of one client JVM for 1.5 leases: it wakes up holding keys that are someone else's. */
  CLIENT_PAUSE,
  /** kill -9 of one client JVM mid-call; a replacement starts. */
  CLIENT_KILL,
  /** One client's TCP links to Redis stop passing bytes for a while, connections stay open. */
  TCP_FREEZE,
  /** One client's TCP connections to Redis are closed under it. */
  TCP_RESET,
  /** {@code PEXPIRE} of a held lock key to 1 ms: the lease ends under its holder. */
  LEASE_EXPIRE,
  /** Threads of one client are interrupted while they wait for keys. */
  ACQUIRE_INTERRUPT;

  /** Whether the fault hits the master: it needs a whole deployment, with a replica to promote. */
  boolean hitsMaster() {
    return this == MASTER_KILL
        || this == MASTER_PAUSE_SHORT
        || this == MASTER_PAUSE_LONG
        || this == SENTINEL_FAILOVER;
  }

  /** Whether the fault stops one client JVM, so its calls' timing says nothing about the lock. */
  boolean stallsClient() {
    return this == CLIENT_PAUSE || this == CLIENT_KILL;
  }
}
