package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.redisson.api.RedissonClient;

/** How the atomic mode waits: woken by releases, in arrival order, and never stranded. */
final class RedisWaitingTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final String key = "waiting:" + UUID.randomUUID();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<RedissonLockProvider> providers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    providers.forEach(RedissonLockProvider::close);
  }

  /** On Redis Cluster the release message is published on the key's node, not the channel's. */
  static Stream<Arguments> topologies() {
    return Stream.of(
        Arguments.of(
            "standalone",
            (Supplier<RedissonClient>) SharedRedis::client,
            (Supplier<RedissonClient>) SharedRedis::secondClient),
        Arguments.of(
            "cluster",
            (Supplier<RedissonClient>) SharedCluster::client,
            (Supplier<RedissonClient>) SharedCluster::secondClient));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topologies")
  void aReleaseByAnotherClientWakesAWaiterLongBeforeTheFallbackPoll(
      String topology, Supplier<RedissonClient> first, Supplier<RedissonClient> second)
      throws Exception {
    Duration poll = Duration.ofSeconds(30);
    LockTemplate holder = template(first.get(), poll);
    LockTemplate waiter = template(second.get(), poll);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holding = holdUntil(holder, release);
    Future<Long> waited =
        threads.submit(() -> waiter.executeWithLock(key, WAIT, LEASE, h -> System.nanoTime()));
    Thread.sleep(300);

    long releasedAt = System.nanoTime();
    release.countDown();
    holding.get();
    long acquiredAt = waited.get();

    assertThat(Duration.ofNanos(acquiredAt - releasedAt)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  void aKeyFreedWithoutAReleaseMessageIsTakenAfterTheFallbackPoll() throws Exception {
    Duration poll = Duration.ofMillis(300);
    LockTemplate holder = template(SharedRedis.client(), poll);
    LockTemplate waiter = template(SharedRedis.secondClient(), poll);
    CountDownLatch done = new CountDownLatch(1);
    holdUntil(holder, done);
    Future<Long> waited =
        threads.submit(() -> waiter.executeWithLock(key, WAIT, LEASE, h -> System.nanoTime()));
    Thread.sleep(300);

    // An operator deletes the key: no release script runs, so no message is published.
    long deletedAt = System.nanoTime();
    SharedRedis.server().call("DEL", key);
    long acquiredAt = waited.get();
    done.countDown();

    assertThat(Duration.ofNanos(acquiredAt - deletedAt))
        .isLessThan(poll.plus(Duration.ofMillis(300)));
  }

  @Test
  void waitersOfOneProviderGetAHotKeyInTheOrderTheyArrivedAndLeaveNoQueue() throws Exception {
    LockTemplate template =
        template(SharedRedis.client(), RedissonLockProvider.DEFAULT_POLL_INTERVAL);
    List<Integer> order = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    holdUntil(template, release);
    List<Future<?>> waiters = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int arrival = i;
      waiters.add(
          threads.submit(
              () -> template.executeWithLock(key, WAIT, LEASE, h -> order.add(arrival))));
      Thread.sleep(100);
    }

    release.countDown();
    for (Future<?> waiter : waiters) {
      waiter.get();
    }

    assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(SharedRedis.server().call("EXISTS", HashSlots.waiterQueueKey(key))).isEqualTo(0L);
  }

  @Test
  void aWaiterBlockedByTwoKeysSleepsThroughTheFirstReleaseAndTriesOnceBothAreFree()
      throws Exception {
    LockTemplate template = template(SharedRedis.client(), Duration.ofSeconds(30));
    String other = key + ":other";
    template.runWithLock(key + ":scripts-loaded", WAIT, LEASE, h -> {});
    long before = scriptCalls();
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch releaseOther = new CountDownLatch(1);
    Future<?> first = holdUntil(template, key, releaseFirst);
    Future<?> second = holdUntil(template, other, releaseOther);
    Future<?> waiter =
        threads.submit(() -> template.runWithLocks(List.of(key, other), WAIT, LEASE, h -> {}));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> SharedRedis.server().call("EXISTS", HashSlots.waiterQueueKey(other)).equals(1L));
    Thread.sleep(300);
    long settled = scriptCalls() - before;

    releaseFirst.countDown();
    first.get();
    Thread.sleep(300);
    long afterFirstRelease = scriptCalls() - before;
    releaseOther.countDown();
    second.get();
    waiter.get();

    assertThat(settled)
        .as("two takes, the waiter's try, and one more if its subscription was not yet in place")
        .isBetween(3L, 4L);
    assertThat(afterFirstRelease)
        .as("the first release, and no try by the waiter")
        .isEqualTo(settled + 1);
    assertThat(scriptCalls() - before)
        .as("the second release, one try, its release")
        .isEqualTo(settled + 4);
    assertThat(SharedRedis.server().call("EXISTS", HashSlots.waiterQueueKey(other))).isEqualTo(0L);
  }

  @Test
  void aReleaseThatNoOtherProvidersWaiterMarkedPublishesNothing() throws Exception {
    LockTemplate template = template(SharedRedis.client(), Duration.ofSeconds(30));
    template.runWithLock(key + ":scripts-loaded", WAIT, LEASE, h -> {});
    long publishedBefore = publishes();
    template.runWithLocks(List.of(key + ":a", key + ":b", key + ":c"), WAIT, LEASE, h -> {});
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holding = holdUntil(template, release);
    Future<?> waiter = threads.submit(() -> template.runWithLock(key, WAIT, LEASE, h -> {}));
    awaitWaitingMark();

    release.countDown();
    holding.get();
    waiter.get(5, TimeUnit.SECONDS);

    assertThat(publishes() - publishedBefore)
        .as("the provider woke its own waiter without a message")
        .isZero();
  }

  @Test
  void aReleaseThatAnotherProvidersWaiterMarkedPublishesOneMessageAndWakesIt() throws Exception {
    LockTemplate holder = template(SharedRedis.client(), Duration.ofSeconds(30));
    LockTemplate waiter = template(SharedRedis.secondClient(), Duration.ofSeconds(30));
    long publishedBefore = publishes();
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holding = holdUntil(holder, release);
    Future<?> waiting = threads.submit(() -> waiter.runWithLock(key, WAIT, LEASE, h -> {}));
    awaitWaitingMark();

    release.countDown();
    holding.get();
    waiting.get(5, TimeUnit.SECONDS);

    assertThat(publishes() - publishedBefore).isEqualTo(1);
  }

  /** Waits until a failed try has marked the key's value as waited for: "owner|*". */
  private void awaitWaitingMark() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> String.valueOf(SharedRedis.server().call("GET", key)).contains("|"));
  }

  /** The scripts Redis has run so far. */
  private static long scriptCalls() {
    return RedisCommandStats.calls(SharedRedis.server(), "evalsha");
  }

  /** The messages Redis has published so far, those of scripts included. */
  private static long publishes() {
    return RedisCommandStats.calls(SharedRedis.server(), "publish");
  }

  /** Takes the key on another thread, holds it until {@code release} opens, and returns then. */
  private Future<?> holdUntil(LockTemplate holder, CountDownLatch release) throws Exception {
    return holdUntil(holder, key, release);
  }

  /** Takes {@code held} on another thread, holds it until {@code release} opens. */
  private Future<?> holdUntil(LockTemplate holder, String heldKey, CountDownLatch release)
      throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    Future<?> holding =
        threads.submit(
            () -> {
              holder.runWithLock(
                  heldKey,
                  WAIT,
                  LEASE,
                  h -> {
                    held.countDown();
                    release.await();
                  });
              return null;
            });
    held.await();
    return holding;
  }

  private LockTemplate template(RedissonClient client, Duration poll) {
    RedissonLockProvider provider = RedissonLockProvider.builder(client).pollInterval(poll).build();
    providers.add(provider);
    return LockTemplate.of(provider);
  }
}
