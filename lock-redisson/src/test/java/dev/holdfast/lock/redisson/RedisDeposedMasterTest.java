package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.NotDurableException;
import dev.holdfast.lock.redisson.testing.RedisSentinelSetup;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * After {@code SENTINEL FAILOVER} the old master goes on accepting writes for about ten seconds
 * (Redis 7.0.15 here), until the sentinels turn it into a replica. A client still connected to it
 * takes a lock that the new master knows nothing of: two holders. A required replica
 * acknowledgement refuses it, because the deposed master has lost its replica.
 */
final class RedisDeposedMasterTest {

  private static final Duration LEASE = Duration.ofSeconds(10);

  @Test
  void aDeposedMasterStillGrantsPlainLocksButRefusesThoseThatRequireAReplica() {
    try (RedisSentinelSetup sentinel = RedisSentinelSetup.start()) {
      RedisServer deposed = sentinel.master();
      // A client that has not yet noticed the failover, as one on the far side of a partition.
      RedissonClient stale = TestRedisson.connect(deposed);
      try (RedissonLockProvider plain = RedissonLockProvider.builder(stale).build();
          RedissonLockProvider durable =
              RedissonLockProvider.builder(stale)
                  .replicaAcknowledgement(1, Duration.ofMillis(100))
                  .build()) {
        RedisServer promoted = sentinel.failover();

        boolean plainGranted =
            LockTemplate.of(plain)
                .executeWithLock("deposed:plain", Duration.ZERO, LEASE, h -> true);
        Throwable durableRefused =
            catchThrowable(
                () ->
                    LockTemplate.of(durable)
                        .runWithLock("deposed:durable", Duration.ZERO, LEASE, h -> {}));

        assertThat((String) deposed.call("INFO", "replication"))
            .as("the window is still open: the deposed master still calls itself master")
            .contains("role:master\r\n");
        assertThat(plainGranted).isTrue();
        assertThat(promoted.call("GET", "deposed:plain")).as("unknown to the new master").isNull();
        assertThat(durableRefused)
            .isInstanceOf(LockBackendException.class)
            .hasCauseInstanceOf(NotDurableException.class);
        assertThat(deposed.call("GET", "deposed:durable")).isNull();
      } finally {
        TestRedisson.shutdown(stale);
      }
    }
  }
}
