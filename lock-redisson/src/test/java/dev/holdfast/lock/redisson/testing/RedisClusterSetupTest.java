package dev.holdfast.lock.redisson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** What the cluster tests and the fault suite rely on in {@link RedisClusterSetup}. */
final class RedisClusterSetupTest {

  private static RedisClusterSetup cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterSetup.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void formsThreeMastersWithAReplicaEachThatRedissonWritesToByHashSlot() {
    RedissonClient client = TestRedisson.connectCluster(cluster);
    try {

      client.getBucket("a", StringCodec.INSTANCE).set("1");
      client.getBucket("b", StringCodec.INSTANCE).set("2");

      assertThat(cluster.masters()).hasSize(3);
      assertThat(cluster.replicas()).hasSize(3);
      assertThat(cluster.slotOf("a")).isNotEqualTo(cluster.slotOf("b"));
      assertThat(cluster.masterOf("a").call("GET", "a")).isEqualTo("1");
      assertThat(cluster.masterOf("b").call("GET", "b")).isEqualTo("2");
    } finally {
      TestRedisson.shutdown(client);
    }
  }

  @Test
  void aRestartedNodeRejoinsAsItselfAndTheReplicaTakesOverOnFailover() {
    RedisServer replica = cluster.replicas().get(0);
    String nodeId = String.valueOf(replica.call("CLUSTER", "MYID"));

    replica.kill();
    replica.restart();
    cluster.awaitHealthy(Duration.ofSeconds(20));
    cluster.failover(replica, Duration.ofSeconds(20));

    assertThat(replica.call("CLUSTER", "MYID")).isEqualTo(nodeId);
    assertThat(cluster.masters()).hasSize(3).contains(replica);
  }

  @Test
  void rejectsANegativeNumberOfReplicas() {
    assertThatThrownBy(() -> RedisClusterSetup.start(-1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicasPerMaster must not be negative, but was -1");
  }
}
