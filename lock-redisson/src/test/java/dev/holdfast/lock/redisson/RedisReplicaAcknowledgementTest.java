package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.HeldLocks;
import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.NotDurableException;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
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
    String fencingCounter = RedissonLockProvider.fencingCounterKey(key);
    LockTemplate locks = LockTemplate.of(provider(SharedSentinel.client()));
    locks.runWithLock(key, WAIT, LEASE, held -> {});
    long firstToken = Long.parseLong(String.valueOf(master.call("GET", fencingCounter)));
    master.call("SCRIPT", "FLUSH");
    // The script sent again after NOSCRIPT must wait too: the paused replica cannot acknowledge it.
    SharedSentinel.setup().replica().pause();

    Throwable thrown = catchThrowable(() -> locks.runWithLock(key, WAIT, LEASE, held -> {}));

    assertThat(thrown).hasCauseInstanceOf(NotDurableException.class);
    assertThat(master.call("GET", key)).isNull();
    // The re-sent script ran on the master (it issued a newer token) and then gave the key back.
    assertThat(Long.parseLong(String.valueOf(master.call("GET", fencingCounter))))
        .isGreaterThan(firstToken);
  }

  @Test
  void aRenewalWhoseReplicaIsSlowStillExtendsTheLeaseBeforeItEnds() {
    Duration lease = Duration.ofMillis(1500);
    LockTemplate renewing = renewing(provider(SharedSentinel.client(), lease.minusMillis(100)));
    LockTemplate other = LockTemplate.of(plainProvider(SharedSentinel.secondClient()));
    List<Throwable> otherOutcome = new ArrayList<>();

    // Each renewal's WAIT now lasts up to almost a lease: renewals sent only after the previous
    // answer would let the key expire under its holder.
    Throwable thrown =
        holdWhileTheReplicaIsPaused(
            renewing,
            List.of(key),
            lease,
            held ->
                otherOutcome.add(
                    catchThrowable(
                        () -> other.runWithLock(key, lease.plusMillis(1000), LEASE, inner -> {}))));

    assertThat(otherOutcome).singleElement().isInstanceOf(LockNotAcquiredException.class);
    // No renewal was acknowledged for a whole lease, so the holder learns it may have lost the key.
    assertThat(thrown).isInstanceOf(LockLostException.class);
  }

  @Test
  void aKeyARenewalFindsGoneIsLostAtOnceEvenWhenTheReplicaDoesNotAcknowledge() {
    RedisServer master = SharedSentinel.setup().master();
    List<String> keys = List.of(key + ":a", key + ":b");
    LockTemplate renewing = renewing(provider(SharedSentinel.client()));

    Throwable thrown =
        holdWhileTheReplicaIsPaused(
            renewing,
            keys,
            Duration.ofSeconds(3),
            held -> {
              // Checking loads the holding script, should a test have flushed it: the renewal's
              // WAIT awaited below is then its only one, not the one before NOSCRIPT's retry.
              held.checkHeld();
              Object owner = master.call("GET", keys.get(0));
              master.call("DEL", keys.get(0));
              long waitsBefore = waitCalls(master);
              // A renewal's WAIT was sent, and has been answered.
              await()
                  .atMost(Duration.ofSeconds(3))
                  .until(
                      () ->
                          waitCalls(master) > waitsBefore
                              && RedisCommandStats.blockedClients(master) == 0);
              // Back under its owner, Redis no longer shows it lost: only the renewal's finding
              // can, long before a whole lease without acknowledgement.
              master.call("SET", keys.get(0), owner.toString());
              await().atMost(Duration.ofSeconds(1)).until(() -> !held.isHeld());
            });

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockLostException.class,
            lost -> assertThat(lost.lostKeys()).containsExactly(keys.get(0)));
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
    LockTemplate renewing = renewing(provider(SharedSentinel.client()));
    Duration lease = Duration.ofMillis(600);

    Throwable thrown =
        holdWhileTheReplicaIsPaused(
            renewing, List.of(key), lease, RedisReplicaAcknowledgementTest::awaitLost);

    assertThat(thrown).isInstanceOf(LockLostException.class);
  }

  /**
   * Holds {@code keys} with {@code template}, pausing the replica while {@code whilePaused} runs.
   *
   * @return what the call threw, null if nothing
   */
  private static Throwable holdWhileTheReplicaIsPaused(
      LockTemplate template, List<String> keys, Duration lease, Consumer<HeldLocks> whilePaused) {
    return catchThrowable(
        () ->
            template.runWithLocks(
                keys,
                WAIT,
                lease,
                held -> {
                  SharedSentinel.setup().replica().pause();
                  try {
                    whilePaused.accept(held);
                  } finally {
                    SharedSentinel.setup().replica().resume();
                  }
                }));
  }

  private static LockTemplate renewing(RedissonLockProvider provider) {
    return LockTemplate.builder(provider)
        .policies(
            LockPolicies.builder()
                .defaultPolicy(LockPolicy.custom("renewing").leaseMode(LeaseMode.RENEWING).build())
                .build())
        .build();
  }

  private static void awaitLost(HeldLocks held) {
    await().atMost(Duration.ofSeconds(5)).until(() -> !held.isHeld());
  }

  private static long waitCalls(RedisServer master) {
    return RedisCommandStats.calls(master, "wait");
  }

  private RedissonLockProvider provider(RedissonClient client) {
    return provider(client, ACKNOWLEDGEMENT_TIMEOUT);
  }

  private RedissonLockProvider provider(RedissonClient client, Duration acknowledgementTimeout) {
    return track(
        RedissonLockProvider.builder(client)
            .replicaAcknowledgement(1, acknowledgementTimeout)
            .build());
  }

  private RedissonLockProvider plainProvider(RedissonClient client) {
    return track(RedissonLockProvider.builder(client).build());
  }

  private RedissonLockProvider track(RedissonLockProvider provider) {
    providers.add(provider);
    return provider;
  }
}
