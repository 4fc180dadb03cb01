package dev.holdfast.lock.redisson.faults;

import org.junit.jupiter.api.Test;

/**
 * The fault gate on Redis Cluster: three masters with a replica each, orders whose keys span slots
 * and orders within one slot (hash tags); a master killed, paused past {@code
 * cluster-node-timeout}, or failed over by {@code CLUSTER FAILOVER}, one client's links to one
 * master frozen, and every client fault. See {@link FaultSuite}.
 */
final class ClusterFaultSuiteIT {

  @Test
  void stockStaysExactAndLocksRecoverUnderEveryFault() throws Exception {
    new FaultSuite("cluster", reactor -> ClusterFaults.start()).run();
  }
}
