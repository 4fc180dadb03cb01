package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.lock.redisson.RedissonLockProvider.StartupCheck;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** What {@link RedissonLockProvider.Builder#build()} checks, against real servers. */
final class RedisStartupChecksTest {

  private static RedisServer evicting;
  private static RedissonClient evictingClient;

  @BeforeAll
  static void startAServerThatEvictsKeysWithATimeToLive() {
    // A lock key has a time to live: volatile-lru may evict it while it is held.
    evicting = RedisServer.start("--maxmemory-policy", "volatile-lru");
    evictingClient = TestRedisson.connect(evicting);
  }

  @AfterAll
  static void stopIt() {
    TestRedisson.shutdown(evictingClient);
    evicting.close();
  }

  @Test
  void warnsByDefaultWhenTheMasterMayEvictLockKeys() {
    try (RedissonLockProvider provider = RedissonLockProvider.builder(evictingClient).build()) {

      assertThat(provider.startupFindings())
          .singleElement()
          .asString()
          .contains("has maxmemory-policy volatile-lru")
          .contains(":" + evicting.port())
          .contains("Set maxmemory-policy noeviction");
    }
  }

  @Test
  void refusesAMasterThatMayEvictLockKeysWhenToldTo() {
    RedissonLockProvider.Builder builder =
        RedissonLockProvider.builder(evictingClient).evictionPolicyCheck(StartupCheck.REFUSE);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has maxmemory-policy volatile-lru");
  }

  @Test
  void checksNothingWhenToldToSkip() {
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(evictingClient)
            .evictionPolicyCheck(StartupCheck.SKIP)
            .build()) {

      assertThat(provider.startupFindings()).isEmpty();
    }
  }

  @Test
  void findsNothingOnAMasterThatNeverEvicts() {
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedRedis.client())
            .evictionPolicyCheck(StartupCheck.REFUSE)
            .build()) {

      assertThat(provider.startupFindings()).isEmpty();
    }
  }

  @Test
  void refusesAReplicaAcknowledgementThatAMasterWithoutReplicasCouldNeverGive() {
    RedissonLockProvider.Builder builder =
        RedissonLockProvider.builder(SharedRedis.client())
            .replicaAcknowledgement(1, Duration.ofMillis(100));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replicaAcknowledgement requires 1 replica(s)")
        .hasMessageContaining(":" + SharedRedis.server().port() + " has 0 online");
  }

  @Test
  void onlyWarnsOfTooFewReplicasWhenToldTo() {
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedRedis.client())
            .replicaAcknowledgement(1, Duration.ofMillis(100))
            .replicaCountCheck(StartupCheck.WARN)
            .build()) {

      assertThat(provider.startupFindings())
          .singleElement()
          .asString()
          .contains(":" + SharedRedis.server().port() + " has 0 online");
    }
  }

  @Test
  void aMasterThatDoesNotAnswerHoldsUpTheBuildForOneResponseTimeoutAtMost() {
    Duration responseTimeout = Duration.ofMillis(300);
    evicting.pause();
    try {
      long start = System.nanoTime();
      RedissonLockProvider provider =
          RedissonLockProvider.builder(evictingClient)
              .responseTimeout(responseTimeout)
              .evictionPolicyCheck(StartupCheck.REFUSE)
              .build();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      provider.close();

      assertThat(took).isLessThan(responseTimeout.plusMillis(250));
      assertThat(provider.startupFindings())
          .singleElement()
          .asString()
          .startsWith("Could not read maxmemory-policy of the Redis master at ");
    } finally {
      evicting.resume();
    }
  }

  @Test
  void acceptsAReplicaAcknowledgementTheSentinelDeploymentsReplicaCanGive() {
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedSentinel.client())
            .replicaAcknowledgement(1, Duration.ofMillis(100))
            .build()) {

      assertThat(provider.startupFindings()).isEmpty();
    }
  }

  @Test
  void buildsAndWarnsWhenTheMasterRefusesConfigAsManagedRedisDoes() {
    try (RedisServer managed = RedisServer.start("--rename-command", "CONFIG", "\"\"")) {
      RedissonClient client = TestRedisson.connect(managed);
      try (RedissonLockProvider provider =
          RedissonLockProvider.builder(client).evictionPolicyCheck(StartupCheck.REFUSE).build()) {

        assertThat(provider.startupFindings())
            .singleElement()
            .asString()
            .startsWith("Could not read maxmemory-policy of the Redis master at ")
            .contains("make sure it is noeviction");
      } finally {
        TestRedisson.shutdown(client);
      }
    }
  }
}
