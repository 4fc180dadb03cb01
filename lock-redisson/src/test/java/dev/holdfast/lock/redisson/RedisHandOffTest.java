package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off inside Redis: a release reserves the keys of the first queued waiter whose keys are
 * all free, for that waiter alone and for a short time. Waiters of a provider that does not exist
 * ("nobody") are queued by hand here, so that no try of theirs takes what is reserved for them.
 */
final class RedisHandOffTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final String key = "hand-off:" + UUID.randomUUID();
  private final String other = key + ":other";
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final RedissonLockProvider provider =
      RedissonLockProvider.builder(SharedRedis.client())
          .pollInterval(Duration.ofMinutes(1))
          .build();
  private final LockTemplate template = LockTemplate.of(provider);

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    provider.close();
  }

  @Test
  void aReleaseReservesTheKeyForTheQueuedWaiterAndANewcomerCannotTakeItUntilTheReservationEnds()
      throws Exception {
    template.runWithLock(
        key, WAIT, LEASE, held -> queueByHand("nobody:1", Duration.ofSeconds(1), key));

    assertThat(SharedRedis.server().call("GET", key)).isEqualTo("nobody:1");
    assertThat((Long) SharedRedis.server().call("PTTL", key)).isBetween(1L, 1000L);
    assertThat(SharedRedis.server().call("EXISTS", HashSlots.waiterQueueKey(key))).isEqualTo(0L);
    assertThatThrownBy(() -> template.runWithLock(key, Duration.ZERO, LEASE, h -> {}))
        .isInstanceOf(LockNotAcquiredException.class);
    long triedAt = System.nanoTime();
    template.runWithLock(key, WAIT, LEASE, h -> {});
    assertThat(Duration.ofNanos(System.nanoTime() - triedAt)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aWaiterForTwoKeysIsHandedBothOnceBothAreReleasedAndNeverOneOfThem() throws Exception {
    CountDownLatch releaseOther = new CountDownLatch(1);
    CountDownLatch otherHeld = new CountDownLatch(1);
    Future<?> holdingOther =
        threads.submit(
            () -> {
              template.runWithLock(
                  other,
                  WAIT,
                  LEASE,
                  h -> {
                    otherHeld.countDown();
                    releaseOther.await();
                  });
              return null;
            });
    otherHeld.await();

    template.runWithLock(
        key, WAIT, LEASE, held -> queueByHand("nobody:2", Duration.ofSeconds(30), key, other));

    assertThat(SharedRedis.server().call("GET", key)).as("not handed over alone").isNull();
    assertThat((String) SharedRedis.server().call("GET", other))
        .as("marked: its release looks at its queue")
        .endsWith("|*");
    releaseOther.countDown();
    holdingOther.get();
    assertThat(SharedRedis.server().call("MGET", key, other))
        .isEqualTo(List.of("nobody:2", "nobody:2"));
  }

  @Test
  void aWaiterThatGivesUpLeavesNoQueueEntryAndNoReservation() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    Future<?> holding =
        threads.submit(
            () -> {
              template.runWithLock(
                  key,
                  WAIT,
                  LEASE,
                  h -> {
                    held.countDown();
                    release.await();
                  });
              return null;
            });
    held.await();
    RedissonLockProvider second = RedissonLockProvider.builder(SharedRedis.secondClient()).build();
    try (second) {
      assertThatThrownBy(
              () ->
                  LockTemplate.of(second)
                      .runWithLocks(List.of(key, other), Duration.ofMillis(500), LEASE, h -> {}))
          .isInstanceOf(LockNotAcquiredException.class);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                SharedRedis.server()
                    .call("EXISTS", HashSlots.waiterQueueKey(key), HashSlots.waiterQueueKey(other))
                    .equals(0L));

    release.countDown();
    holding.get();

    assertThat((List<?>) SharedRedis.server().call("MGET", key, other)).containsOnlyNulls();
  }

  /**
   * Queues a waiter of provider "nobody" on {@code keys} as a failed try would, and marks the held
   * ones.
   */
  private static void queueByHand(String owner, Duration reservation, String... keys) {
    List<?> time = (List<?>) SharedRedis.server().call("TIME");
    long nowMillis = Long.parseLong((String) time.get(0)) * 1000;
    StringBuilder lockKeys = new StringBuilder();
    StringBuilder queueKeys = new StringBuilder();
    for (String lockKey : keys) {
      lockKeys.append(lockKeys.length() == 0 ? "" : ",").append('"').append(lockKey).append('"');
      queueKeys
          .append(queueKeys.length() == 0 ? "" : ",")
          .append('"')
          .append(HashSlots.waiterQueueKey(lockKey))
          .append('"');
    }
    String entry =
        "[\"%s\",%d,\"nobody\",%d,[%s],[%s]]"
            .formatted(owner, nowMillis + 60_000, reservation.toMillis(), lockKeys, queueKeys);
    for (String lockKey : keys) {
      SharedRedis.server().call("RPUSH", HashSlots.waiterQueueKey(lockKey), entry);
      SharedRedis.server().call("PEXPIRE", HashSlots.waiterQueueKey(lockKey), "120000");
      Object value = SharedRedis.server().call("GET", lockKey);
      if (value != null) {
        SharedRedis.server().call("SET", lockKey, value + "|*", "KEEPTTL");
      }
    }
  }
}
