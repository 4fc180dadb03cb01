package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.testing.RedisClusterSetup;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import org.redisson.api.RedissonClient;

/**
 * One Redis Cluster (three masters, three replicas) and two independent clients of it, shared by
 * the test classes of this JVM, as {@link SharedRedis} shares a standalone server. A test may pause
 * a replica for less than the cluster's node timeout, and resumes it before it ends; faults that
 * change the topology belong on a cluster of the test's own. Started on first use; its processes
 * end with the JVM.
 */
final class SharedCluster {

  private static final RedisClusterSetup SETUP = RedisClusterSetup.start();
  private static final RedissonClient FIRST = TestRedisson.connectCluster(SETUP);
  private static final RedissonClient SECOND = TestRedisson.connectCluster(SETUP);

  private SharedCluster() {}

  static RedisClusterSetup setup() {
    return SETUP;
  }

  /** The client the tests' providers use. */
  static RedissonClient client() {
    return FIRST;
  }

  /** A second client of the same cluster, with its own connections: another "process". */
  static RedissonClient secondClient() {
    return SECOND;
  }
}
