package dev.holdfast.lock.redisson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** What the fault suite relies on in {@link RedisSentinelSetup}. */
final class RedisSentinelSetupTest {

  /**
   * Also restarts a sentinel: it keeps the configuration it rewrote, so it knows the new master.
   */
  @Test
  void promotesTheReplicaWhenTheMasterIsKilledAndTakesTheOldMasterBackAsReplica() {
    try (RedisSentinelSetup sentinel = startSlowToCallADown()) {
      RedisServer oldMaster = sentinel.master();
      RedisServer oldReplica = sentinel.replica();
      RedissonClient client = TestRedisson.connectSentinel(sentinel);
      try {
        client.getBucket("written-before", StringCodec.INSTANCE).set("v");

        oldMaster.kill();
        RedisServer promoted = sentinel.awaitNewMaster(oldMaster, Duration.ofSeconds(10));
        oldMaster.restart();
        sentinel.awaitHealthy(Duration.ofSeconds(30));
        assertThat(sentinel.replica()).isSameAs(oldMaster);
        RedisServer restartedSentinel = sentinel.sentinels().get(0);
        restartedSentinel.kill();
        restartedSentinel.restart();
        sentinel.awaitHealthy(Duration.ofSeconds(10));

        assertThat(promoted).isSameAs(oldReplica);
        assertThat(sentinel.master()).isSameAs(oldReplica);
        assertThat(sentinel.replica()).isSameAs(oldMaster);
        assertThat(promoted.call("GET", "written-before")).isEqualTo("v");
        assertThat(
                restartedSentinel.call(
                    "SENTINEL", "GET-MASTER-ADDR-BY-NAME", RedisSentinelSetup.MASTER_NAME))
            .isEqualTo(List.of(promoted.host(), Integer.toString(promoted.port())));
        assertThat(client.getBucket("written-after", StringCodec.INSTANCE).setIfAbsent("w"))
            .isTrue();
      } finally {
        TestRedisson.shutdown(client);
      }
    }
  }

  @Test
  void afterARequestedFailoverWaitsUntilEverySentinelNamesThePromotedReplica() {
    try (RedisSentinelSetup sentinel = startSlowToCallADown()) {
      RedisServer oldReplica = sentinel.replica();

      RedisServer promoted = sentinel.failover();
      RedisServer agreed = sentinel.awaitAgreedMaster(Duration.ofSeconds(30));

      assertThat(promoted).isSameAs(oldReplica);
      assertThat(agreed).isSameAs(promoted);
      assertThat(sentinel.sentinels())
          .allSatisfy(
              each ->
                  assertThat(
                          each.call(
                              "SENTINEL",
                              "GET-MASTER-ADDR-BY-NAME",
                              RedisSentinelSetup.MASTER_NAME))
                      .isEqualTo(List.of(promoted.host(), Integer.toString(promoted.port()))));
    }
  }

  @Test
  void rejectsADownAfterTimeUnderOneMillisecond() {
    assertThatThrownBy(() -> RedisSentinelSetup.start(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("downAfter must be at least 1 ms, but was PT0S");
  }

  /**
   * The sentinels wait 3 s, not the default 1 s, before they call a master down: on a loaded
   * machine a stall of the promoted master longer than a second made them fail over a second time,
   * back to the old master, and the roles asserted here changed under the test.
   */
  private static RedisSentinelSetup startSlowToCallADown() {
    return RedisSentinelSetup.start(
        Duration.ofSeconds(3), RedisSentinelSetup.DEFAULT_FAILOVER_TIMEOUT);
  }
}
