package dev.holdfast.lock.redisson.faults;

import org.junit.jupiter.api.Test;

/**
 * The fault gate on Redis Sentinel: a master, two replicas, three sentinels; the master killed,
 * paused short and long, failed over, a replica or a sentinel killed, the master's replication
 * frozen (the acknowledging client must refuse, the others go on), its memory filled, and every
 * client fault. See {@link FaultSuite}.
 */
final class SentinelFaultSuiteIT {

  @Test
  void stockStaysExactAndLocksRecoverUnderEveryFault() throws Exception {
    new FaultSuite("sentinel", reactor -> SentinelFaults.start(reactor, FaultSuite.HOLD)).run();
  }
}
