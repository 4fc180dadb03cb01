package dev.holdfast.lock.redisson.testing;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SubscriptionMode;

/**
 * Redisson clients for tests, sized for a two-core machine.
 *
 * <p>Creating a client takes seconds, so a test class shares one: connect in {@code @BeforeAll},
 * {@link #shutdown(RedissonClient)} in {@code @AfterAll}.
 */
public final class TestRedisson {

  private TestRedisson() {}

  /**
   * Connects a new client to the server, with small connection pools and a 3-second command
   * timeout; the rest is Redisson's defaults, retries included.
   *
   * @param server a running server
   * @return a connected client, which the caller must {@linkplain #shutdown(RedissonClient) shut
   *     down}
   * @throws org.redisson.client.RedisConnectionException if Redisson cannot reach the server
   */
  public static RedissonClient connect(RedisServer server) {
    requireNonNull(server, "server");
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(server.address())
        .setConnectionPoolSize(8)
        .setConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(4)
        .setSubscriptionConnectionMinimumIdleSize(1)
        .setTimeout(3000);
    return Redisson.create(config);
  }

  /**
   * Connects a new client to a Sentinel deployment, with small pools and a 3-second command
   * timeout. Reads and subscriptions go to the master: the tests read what they check there, and
   * {@code REDISSON_COMPATIBLE} mode's checks are reads, which Redisson's default read mode sends
   * to a replica that may lag.
   *
   * @param sentinel a running deployment
   * @return a connected client, which the caller must {@linkplain #shutdown(RedissonClient) shut
   *     down}
   * @throws org.redisson.client.RedisConnectionException if Redisson cannot reach the deployment
   */
  public static RedissonClient connectSentinel(RedisSentinelSetup sentinel) {
    Config config = sentinelConfig(sentinel);
    config
        .useSentinelServers()
        .setReadMode(ReadMode.MASTER)
        .setSubscriptionMode(SubscriptionMode.MASTER);
    return Redisson.create(config);
  }

  /**
   * Like {@link #connectSentinel(RedisSentinelSetup)}, but with Redisson's default read and
   * subscription modes (reads from the replica), as an application may leave them.
   *
   * @param sentinel a running deployment
   * @return a connected client, which the caller must {@linkplain #shutdown(RedissonClient) shut
   *     down}
   * @throws org.redisson.client.RedisConnectionException if Redisson cannot reach the deployment
   */
  public static RedissonClient connectSentinelWithDefaultModes(RedisSentinelSetup sentinel) {
    return Redisson.create(sentinelConfig(sentinel));
  }

  private static Config sentinelConfig(RedisSentinelSetup sentinel) {
    requireNonNull(sentinel, "sentinel");
    Config config = new Config();
    SentinelServersConfig servers =
        config
            .useSentinelServers()
            .setMasterName(sentinel.masterName())
            .setMasterConnectionPoolSize(8)
            .setMasterConnectionMinimumIdleSize(1)
            .setSlaveConnectionPoolSize(2)
            .setSlaveConnectionMinimumIdleSize(1)
            .setSubscriptionConnectionPoolSize(4)
            .setSubscriptionConnectionMinimumIdleSize(1)
            .setTimeout(3000);
    sentinel.sentinelAddresses().forEach(servers::addSentinelAddress);
    return config;
  }

  /**
   * Connects a new client to a cluster, with small pools per node and a 3-second command timeout.
   * Reads and subscriptions go to masters, as for {@link #connectSentinel(RedisSentinelSetup)}.
   *
   * @param cluster a running cluster
   * @return a connected client, which the caller must {@linkplain #shutdown(RedissonClient) shut
   *     down}
   * @throws org.redisson.client.RedisConnectionException if Redisson cannot reach the cluster
   */
  public static RedissonClient connectCluster(RedisClusterSetup cluster) {
    requireNonNull(cluster, "cluster");
    Config config = new Config();
    ClusterServersConfig servers =
        config
            .useClusterServers()
            .setReadMode(ReadMode.MASTER)
            .setSubscriptionMode(SubscriptionMode.MASTER)
            .setMasterConnectionPoolSize(4)
            .setMasterConnectionMinimumIdleSize(1)
            .setSlaveConnectionPoolSize(1)
            .setSlaveConnectionMinimumIdleSize(1)
            .setSubscriptionConnectionPoolSize(2)
            .setSubscriptionConnectionMinimumIdleSize(1)
            .setScanInterval(1000)
            .setTimeout(3000);
    cluster.nodeAddresses().forEach(servers::addNodeAddress);
    return Redisson.create(config);
  }

  /**
   * Shuts the client down, waiting at most two seconds rather than Redisson's default ten: a test's
   * client has no work worth waiting for.
   *
   * @param client the client to shut down
   */
  public static void shutdown(RedissonClient client) {
    requireNonNull(client, "client");
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
