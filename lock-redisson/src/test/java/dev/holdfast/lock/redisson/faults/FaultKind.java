package dev.holdfast.lock.redisson.faults;

/**
 * What the nemesis does, each kind a topology supports at least {@code faults.minPerKind} times in
 * a run. "The master" is, in a cluster, one of the masters.
 */
enum FaultKind {
  /** kill -9 of a Redis master; a replica is promoted, the dead node rejoins as one. */
  MASTER_KILL,
  /** SIGSTOP of the master for less than {@code down-after-milliseconds}: no failover. */
  MASTER_PAUSE_SHORT,
  /**
   * SIGSTOP of a master past {@code down-after-milliseconds} (Sentinel) or {@code
   * cluster-node-timeout} (Cluster): a replica is promoted while the old master sleeps, and on
   * SIGCONT it applies what was queued before it is demoted.
   */
  MASTER_PAUSE_LONG,
  /** {@code SENTINEL FAILOVER}: a promotion while the old master still runs. */
  SENTINEL_FAILOVER,
  /** {@code CLUSTER FAILOVER} on a replica: its master hands its slots over. */
  CLUSTER_FAILOVER,
  /** kill -9 of a replica; it restarts empty and syncs again. */
  REPLICA_KILL,
  /** kill -9 of one sentinel of three; the other two keep the quorum, it restarts. */
  SENTINEL_KILL,
  /**
   * The master's replication links freeze (the replicas replicate through a proxy for the fault):
   * clients and sentinels still reach every node, but no replica acknowledges a write.
   */
  REPLICATION_FREEZE,
  /** A burst of writes fills the master to {@code maxmemory} under {@code noeviction}. */
  MEMORY_FULL,
  /** SIGSTOP of one client JVM for 1.5 leases: it wakes up holding keys that are someone else's. */
  CLIENT_PAUSE,
  /** kill -9 of one client JVM mid-call; a replacement starts. */
  CLIENT_KILL,
  /** One client's TCP links to one master stop passing bytes for a while, connections stay open. */
  TCP_FREEZE,
  /** One client's TCP connections to Redis are closed under it. */
  TCP_RESET,
  /** {@code PEXPIRE} of a held lock key to 1 ms: the lease ends under its holder. */
  LEASE_EXPIRE,
  /** Threads of one client are interrupted while they wait for keys. */
  ACQUIRE_INTERRUPT;

  /**
   * Whether the fault needs the deployment whole (every replica in sync, ready to be promoted), and
   * leaves it healing: the faults on Redis nodes.
   */
  boolean needsWholeDeployment() {
    return switch (this) {
      case MASTER_KILL,
          MASTER_PAUSE_SHORT,
          MASTER_PAUSE_LONG,
          SENTINEL_FAILOVER,
          CLUSTER_FAILOVER,
          REPLICA_KILL,
          SENTINEL_KILL,
          REPLICATION_FREEZE,
          MEMORY_FULL ->
          true;
      case CLIENT_PAUSE, CLIENT_KILL, TCP_FREEZE, TCP_RESET, LEASE_EXPIRE, ACQUIRE_INTERRUPT ->
          false;
    };
  }

  /** Whether the fault stops one client JVM, so its calls' timing says nothing about the lock. */
  boolean stallsClient() {
    return this == CLIENT_PAUSE || this == CLIENT_KILL;
  }
}
