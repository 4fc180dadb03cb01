package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Fencing tokens in the atomic mode: at least the Redis server's clock in microseconds, kept in a
 * counter that expires, so that a key's tokens go on increasing after Redis lost the counter to a
 * restart without persistence, a failover to a replica that missed the last acquisitions, or
 * expiry.
 */
final class RedisFencingTokenTest {

  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final Duration LEASE = Duration.ofSeconds(30);

  /** Doubles hold every integer up to this exactly; Lua's numbers are doubles. */
  private static final long EXACT_IN_LUA = (1L << 53) - 1;

  private final String key = "fencing:" + UUID.randomUUID();
  private final String counter = RedissonLockProvider.fencingCounterKey(key);
  private final RedissonLockProvider provider =
      RedissonLockProvider.builder(SharedRedis.client()).build();
  private final LockTemplate template = LockTemplate.of(provider);

  @AfterEach
  void closeProvider() {
    provider.close();
  }

  @Test
  void aTokenIsTheRedisServersClockInMicroseconds() {
    long before = serverMicros(SharedRedis.server());

    long token = token(template);

    long after = serverMicros(SharedRedis.server());
    assertThat(token).isBetween(before, after).isLessThan(EXACT_IN_LUA);
    assertThat(SharedRedis.server().call("GET", counter)).isEqualTo(Long.toString(token));
  }

  /**
   * The counter is ahead of the clock when two acquisitions fall in one microsecond, or when the
   * server's clock went back: the tokens count on from it.
   */
  @Test
  void tokensCountOnFromACounterAheadOfTheClock() {
    long anHourAhead = serverMicros(SharedRedis.server()) + Duration.ofHours(1).toNanos() / 1_000;
    SharedRedis.server().call("SET", counter, Long.toString(anHourAhead));

    List<Long> tokens = List.of(token(template), token(template));

    assertThat(tokens).containsExactly(anHourAhead + 1, anHourAhead + 2);
  }

  /**
   * The script's reply names only the keys whose token is not the clock's: in a multi-key call,
   * each key still gets its own token, the keys around one with a counter ahead the clock's.
   */
  @Test
  void inAMultiKeyCallOnlyTheKeyWithACounterAheadCountsOnFromIt() {
    List<String> keys = List.of(key + ":a", key + ":b", key + ":c");
    long anHourAhead = serverMicros(SharedRedis.server()) + Duration.ofHours(1).toNanos() / 1_000;
    SharedRedis.server()
        .call(
            "SET", RedissonLockProvider.fencingCounterKey(keys.get(1)), Long.toString(anHourAhead));
    long before = serverMicros(SharedRedis.server());

    List<Long> tokens =
        template.executeWithLocks(
            keys,
            WAIT,
            LEASE,
            held -> keys.stream().map(k -> held.fencingToken(k).orElseThrow()).toList());

    long after = serverMicros(SharedRedis.server());
    assertThat(tokens.get(1)).isEqualTo(anHourAhead + 1);
    assertThat(tokens.get(0)).isBetween(before, after).isEqualTo(tokens.get(2));
  }

  @Test
  void anExpiredCounterStillIssuesAGreaterToken() {
    long first = token(template);
    SharedRedis.server().call("PEXPIRE", counter, "1");
    await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(0).equals(exists(counter)));

    long second = token(template);

    assertThat(second).isGreaterThan(first);
  }

  @Test
  void aCounterExpiresTenLeasesAfterItsKeysLastAcquisition() {
    token(template);

    long pttl = (Long) SharedRedis.server().call("PTTL", counter);

    assertThat(pttl).isBetween(LEASE.multipliedBy(10).minusSeconds(5).toMillis(), 300_000L);
  }

  @Test
  void aCounterOfAShortLeaseLivesAtLeastAMinute() {
    template.runWithLock(key, WAIT, Duration.ofSeconds(5), held -> {});

    long pttl = (Long) SharedRedis.server().call("PTTL", counter);

    assertThat(pttl).isBetween(55_000L, 60_000L);
  }

  /** A counter no token of ours can have left: Lua would count on from it inexactly. */
  @Test
  void aCounterBeyondTheExactIntegersOfLuaGivesWayToTheClock() {
    SharedRedis.server().call("SET", counter, Long.toString(EXACT_IN_LUA + 2));
    long before = serverMicros(SharedRedis.server());

    long token = token(template);

    assertThat(token).isBetween(before, EXACT_IN_LUA);
  }

  @Test
  void tokensGoOnIncreasingAfterRedisRestartedWithoutItsData() {
    try (RedisServer server = RedisServer.start()) {
      RedissonClient client = TestRedisson.connect(server);
      try (RedissonLockProvider own = RedissonLockProvider.builder(client).build()) {
        LockTemplate locks = LockTemplate.of(own);
        List<Long> before = List.of(token(locks), token(locks), token(locks));

        server.kill();
        server.restart();
        Object counterAfterRestart = server.call("EXISTS", counter);
        long after = tokenOnceReconnected(locks);

        assertThat(counterAfterRestart).as("the restart lost the counter").isEqualTo(0L);
        assertThat(after).isGreaterThan(Collections.max(before));
      } finally {
        TestRedisson.shutdown(client);
      }
    }
  }

  /**
   * The replica is promoted while the old master goes on granting locks, as a master cut off from
   * Sentinel does for seconds: the promoted node never sees those acquisitions, and its counter is
   * behind every token they got.
   */
  @Test
  void tokensGoOnIncreasingAfterAFailoverToAReplicaThatMissedTheLastAcquisitions() {
    try (RedisServer master = RedisServer.start();
        RedisServer replica =
            RedisServer.start("--replicaof", master.host(), Integer.toString(master.port()))) {
      RedissonClient toMaster = TestRedisson.connect(master);
      RedissonClient toReplica = null;
      try (RedissonLockProvider onMaster = RedissonLockProvider.builder(toMaster).build()) {
        LockTemplate beforeFailover = LockTemplate.of(onMaster);
        long replicated = token(beforeFailover);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> Long.toString(replicated).equals(replica.call("GET", counter)));
        replica.call("REPLICAOF", "NO", "ONE");
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          missed.add(token(beforeFailover));
        }
        toReplica = TestRedisson.connect(replica);

        long afterFailover;
        try (RedissonLockProvider onPromoted = RedissonLockProvider.builder(toReplica).build()) {
          afterFailover = token(LockTemplate.of(onPromoted));
        }

        assertThat(replica.call("INFO", "replication").toString()).contains("role:master");
        assertThat(missed).allSatisfy(token -> assertThat(token).isGreaterThan(replicated));
        assertThat(afterFailover).isGreaterThan(Collections.max(missed));
      } finally {
        TestRedisson.shutdown(toMaster);
        if (toReplica != null) {
          TestRedisson.shutdown(toReplica);
        }
      }
    }
  }

  /**
   * The regression: a lock key spelled like another key's fencing counter found the counter there
   * once that key had been taken, and could never be taken itself.
   */
  @Test
  void aKeySpelledLikeAnotherKeysFencingCounterIsRefusedUpFront() {
    template.runWithLock(key, WAIT, LEASE, held -> {});

    Throwable thrown =
        catchThrowable(() -> template.runWithLock(counter, Duration.ZERO, LEASE, held -> {}));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(counter);
  }

  private long token(LockTemplate locks) {
    return locks.executeWithLock(key, WAIT, LEASE, held -> held.fencingToken(key).orElseThrow());
  }

  /** The first token once the client has reconnected to a restarted server. */
  private long tokenOnceReconnected(LockTemplate locks) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptionsInstanceOf(LockBackendException.class)
        .until(() -> token(locks), token -> true);
  }

  private Object exists(String name) {
    return SharedRedis.server().call("EXISTS", name);
  }

  /** The server's clock, as {@code TIME} gives it, in microseconds since 1970. */
  private static long serverMicros(RedisServer server) {
    List<?> time = (List<?>) server.call("TIME");
    return Long.parseLong((String) time.get(0)) * 1_000_000 + Long.parseLong((String) time.get(1));
  }
}
