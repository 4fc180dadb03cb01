package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.HeldLocks;
import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.NotDurableException;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * {@link RedissonLockProvider.Builder#replicaAcknowledgement}: acquisitions and renewals wait for
 * the replica on the connection that wrote them, proven on the servers' own counters and by pausing
 * the replica.
 */
final class RedisReplicaAcknowledgementTest {

  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final Duration ACKNOWLEDGEMENT_TIMEOUT = Duration.ofMillis(100);

  private final String key = "durable:" + UUID.randomUUID();
  private final List<RedissonLockProvider> providers = new ArrayList<>();

  @AfterEach
  void stop() {
    SharedSentinel.setup().replica().resume();
    providers.forEach(RedissonLockProvider::close);
  }

  @Test
  void everyAcquisitionSendsWaitToTheMaster() {
    RedisServer master = SharedSentinel.setup().master();
    LockTemplate locks = LockTemplate.of(provider(SharedSentinel.client()));
    long waitsBefore = waitCalls(master);

    for (int i = 0; i < 5; i++) {
      locks.runWithLock(key, WAIT, LEASE, held -> {});
    }

    assertThat(waitCalls(master) - waitsBefore).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aMasterThatLostItsScriptsGetsThemAgainAndStillWaits() {
    RedisServer master = SharedSentinel.setup().master();
    LockTemplate locks = LockTemplate.of(provider(SharedSentinel.client()));
    locks.runWithLock(key, WAIT, LEASE, held -> {});
    master.call("SCRIPT", "FLUSH");
    long waitsBefore = waitCalls(master);

    long token =
        locks.executeWithLock(key, WAIT, LEASE, held -> held.fencingToken(key).orElseThrow());

    assertThat(token).isEqualTo(2);
    assertThat(waitCalls(master)).isGreaterThan(waitsBefore);
  }

  @Test
  void anAcquisitionThePausedReplicaCannotAcknowledgeIsReleasedAndFailsAsNotDurable() {
    RedisServer master = SharedSentinel.setup().master();
    LockTemplate locks = LockTemplate.of(provider(SharedSentinel.client()));
    List<String> ran = new ArrayList<>();
    // A WAIT on any other connection than the script's would count the paused replica at once:
    // it is still connected, and that connection has written nothing it must wait for.
    SharedSentinel.setup().replica().pause();

    Throwable thrown =
        catchThrowable(() -> locks.runWithLock(key, WAIT, LEASE, held -> ran.add(key)));

    assertThat(thrown)
        .isInstanceOf(LockBackendException.class)
        .hasMessageContaining("0 of 1 required replicas acknowledged within 100 ms")
        .hasCauseInstanceOf(NotDurableException.class);
    NotDurableException notDurable = (NotDurableException) thrown.getCause();
    assertThat(notDurable.requiredReplicas()).isEqualTo(1);
    assertThat(notDurable.acknowledgedReplicas()).isZero();
    assertThat(notDurable.timeout()).isEqualTo(ACKNOWLEDGEMENT_TIMEOUT);
    assertThat(ran).isEmpty();
    assertThat(master.call("GET", key)).isNull();
  }

  @Test
  void aHoldWhoseRenewalsThePausedReplicaCannotAcknowledgeIsReportedLostAfterALease() {
    LockTemplate renewing =
        LockTemplate.builder(provider(SharedSentinel.client()))
            .policies(
                LockPolicies.builder()
                    .defaultPolicy(
                        LockPolicy.custom("renewing").leaseMode(LeaseMode.RENEWING).build())
                    .build())
            .build();
    Duration lease = Duration.ofMillis(600);

    Throwable thrown =
        catchThrowable(
            () ->
                renewing.runWithLock(
                    key,
                    WAIT,
                    lease,
                    held -> {
                      SharedSentinel.setup().replica().pause();
                      awaitLost(held);
                      SharedSentinel.setup().replica().resume();
                    }));

    assertThat(thrown).isInstanceOf(LockLostException.class);
  }

  private static void awaitLost(HeldLocks held) {
    await().atMost(Duration.ofSeconds(5)).until(() -> !held.isHeld());
  }

  private static long waitCalls(RedisServer master) {
    return RedisCommandStats.calls(master, "wait");
  }

  private RedissonLockProvider provider(RedissonClient client) {
    RedissonLockProvider provider =
        RedissonLockProvider.builder(client)
            .replicaAcknowledgement(1, ACKNOWLEDGEMENT_TIMEOUT)
            .build();
    providers.add(provider);
    return provider;
  }
}
