package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.testing.RedisSentinelSetup;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import org.redisson.api.RedissonClient;

/**
 * One Sentinel deployment and two independent clients of it, shared by the test classes of this
 * JVM, as {@link SharedRedis} shares a standalone server. A test may pause the replica (as {@link
 * RedisReplicaAcknowledgementTest} does: the sentinels then mark it down, which fails nothing over)
 * and resumes it before it ends; faults on the master belong on a deployment of the test's own.
 * Started on first use; its processes end with the JVM.
 */
final class SharedSentinel {

  private static final RedisSentinelSetup SETUP = RedisSentinelSetup.start();
  private static final RedissonClient FIRST = TestRedisson.connectSentinel(SETUP);
  private static final RedissonClient SECOND = TestRedisson.connectSentinel(SETUP);

  private SharedSentinel() {}

  static RedisSentinelSetup setup() {
    return SETUP;
  }

  /** The client the tests' providers use. */
  static RedissonClient client() {
    return FIRST;
  }

  /** A second client of the same deployment, with its own connections: another "process". */
  static RedissonClient secondClient() {
    return SECOND;
  }
}
