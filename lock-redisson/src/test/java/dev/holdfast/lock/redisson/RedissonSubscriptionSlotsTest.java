package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Waiters beyond the Redisson client's subscription slots ({@code subscriptionConnectionPoolSize} ×
 * {@code subscriptionsPerConnection}) wait without a release subscription: they poll.
 */
final class RedissonSubscriptionSlotsTest {

  private static final Duration WAIT = Duration.ofSeconds(4);
  private static final Duration LEASE = Duration.ofSeconds(30);

  /** One subscription slot; a subscription that finds none within 300 ms fails. */
  private static RedissonClient oneSubscriptionSlot;

  private final String prefix = "subscription-slots:" + UUID.randomUUID() + ":";
  private final List<LockBackendException> reported = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<RedissonLockProvider> providers = new ArrayList<>();

  @BeforeAll
  static void connect() {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(SharedRedis.server().address())
        .setConnectionPoolSize(8)
        .setConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(1)
        .setSubscriptionConnectionMinimumIdleSize(1)
        .setSubscriptionsPerConnection(1)
        .setSubscriptionTimeout(300)
        .setTimeout(3000);
    oneSubscriptionSlot = Redisson.create(config);
  }

  @AfterAll
  static void disconnect() {
    TestRedisson.shutdown(oneSubscriptionSlot);
  }

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    providers.forEach(RedissonLockProvider::close);
  }

  /**
   * Regression (issue 13): with the only slot taken by a waiter whose key stays held, the waiters
   * of keys released soon after failed with backend errors, or timed out, instead of taking them.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void waitersWithoutASubscriptionSlotTakeTheirKeysOnceReleased(Mode mode) throws Exception {
    List<String> keys = IntStream.range(0, 6).mapToObj(i -> prefix + i).toList();
    LockTemplate holder = template(SharedRedis.secondClient(), mode);
    LockTemplate waiters = template(oneSubscriptionSlot, mode);
    List<CountDownLatch> releases = new ArrayList<>();
    List<Future<?>> holds = new ArrayList<>();
    for (String key : keys) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(1);
      releases.add(release);
      holds.add(
          threads.submit(
              () -> {
                holder.runWithLock(
                    key,
                    WAIT,
                    LEASE,
                    h -> {
                      held.countDown();
                      release.await();
                    });
                return null;
              }));
      held.await();
    }
    // The first waiter takes the only slot, and keeps it: its key stays held beyond its wait. (The
    // atomic mode's one subscription per provider then serves the other waiters too.)
    Future<String> slotHolder = waitFor(waiters, keys.get(0));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                !channelsOf(keys.get(0)).isEmpty()
                    || !channelsOf(HandOffs.CHANNEL_PREFIX).isEmpty());
    List<Future<String>> slotless = new ArrayList<>();
    for (String key : keys.subList(1, keys.size())) {
      slotless.add(waitFor(waiters, key));
    }
    Thread.sleep(500);

    long releasedAt = System.nanoTime();
    for (int i = 1; i < keys.size(); i++) {
      releases.get(i).countDown();
      holds.get(i).get();
      Thread.sleep(100);
    }
    List<String> outcomes = new ArrayList<>();
    for (Future<String> waiter : slotless) {
      outcomes.add(outcome(waiter));
    }
    long allTakenAt = System.nanoTime();

    assertThat(outcomes).isEqualTo(keys.subList(1, keys.size()));
    assertThat(reported).isEmpty();
    assertThat(Duration.ofNanos(allTakenAt - releasedAt)).isLessThan(Duration.ofMillis(2500));
    assertThat(outcome(slotHolder)).startsWith(LockNotAcquiredException.class.getName());
    releases.get(0).countDown();
    holds.get(0).get();
  }

  private Future<String> waitFor(LockTemplate template, String key) {
    return threads.submit(() -> template.executeWithLock(key, WAIT, LEASE, h -> key));
  }

  /** The key taken, or the exception the call threw. */
  private static String outcome(Future<String> waiter) throws Exception {
    try {
      return waiter.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause().toString();
    }
  }

  /**
   * The pub/sub channels with a subscriber whose names hold {@code key}: the compatible mode
   * subscribes per key, the atomic mode once per provider.
   */
  private static List<?> channelsOf(String key) {
    return (List<?>) SharedRedis.server().call("PUBSUB", "CHANNELS", "*" + key + "*");
  }

  private LockTemplate template(RedissonClient client, Mode mode) {
    // Replies get seconds: on a loaded machine they may be slow, and this test is not about them.
    RedissonLockProvider provider =
        RedissonLockProvider.builder(client).mode(mode).responseTimeout(WAIT).build();
    providers.add(provider);
    return LockTemplate.builder(provider)
        .listener(
            new LockListener() {
              @Override
              public void onBackendFailure(LockRequest request, LockBackendException exception) {
                reported.add(exception);
              }
            })
        .build();
  }
}
