package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The compatible mode with many keys and more waiters than the client has subscription slots. */
final class RedissonCompatibleModeLoadTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration LEASE = Duration.ofSeconds(30);

  /**
   * One subscription connection of two channels, room for two keys' waiters at a time; a waiter
   * that finds no free slot within a second fails to subscribe.
   */
  private static RedissonClient tinySubscriptions;

  private final String prefix = "compatible-load:" + UUID.randomUUID() + ":";
  private final List<LockBackendException> reported = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

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
        .setSubscriptionsPerConnection(2)
        .setSubscriptionTimeout(1000)
        .setTimeout(3000);
    tinySubscriptions = Redisson.create(config);
  }

  @AfterAll
  static void disconnect() {
    TestRedisson.shutdown(tinySubscriptions);
  }

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Regression: the keys were unlocked one round trip after another within one response timeout in
   * all, so that a callback over many keys was reported as a backend failure.
   */
  @Test
  void theReleaseOfAThousandKeysAfterACompletedCallbackIsNoBackendFailure() {
    List<String> keys = keys(LockTemplate.MAX_KEYS);
    try (RedissonLockProvider provider = provider(SharedRedis.client(), Duration.ofMillis(100))) {

      String result = template(provider).executeWithLocks(keys, WAIT, LEASE, held -> "committed");

      assertThat(result).isEqualTo("committed");
      assertThat(reported).isEmpty();
      List<String> exists = new ArrayList<>(List.of("EXISTS"));
      exists.addAll(keys);
      assertThat(SharedRedis.server().call(exists.toArray(String[]::new))).isEqualTo(0L);
    }
  }

  /**
   * Regression: waiters beyond the client's subscription slots failed with backend errors although
   * the keys were free soon after.
   */
  @Test
  void moreWaitersThanSubscriptionSlotsAllGetTheirKeys() throws Exception {
    List<String> keys = keys(20);
    try (RedissonLockProvider provider =
        provider(tinySubscriptions, RedissonLockProvider.DEFAULT_RESPONSE_TIMEOUT)) {
      LockTemplate template = template(provider);
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> holder =
          threads.submit(
              () -> {
                template.runWithLocks(
                    keys,
                    WAIT,
                    LEASE,
                    h -> {
                      held.countDown();
                      release.await();
                    });
                return null;
              });
      held.await();
      List<Future<String>> waiters = new ArrayList<>();
      for (String key : keys) {
        waiters.add(
            threads.submit(() -> template.executeWithLock(key, WAIT, LEASE, h -> "got " + key)));
      }
      // Longer than the client's subscription timeout, which bounds a wait for a free slot.
      Thread.sleep(3000);

      release.countDown();
      holder.get(10, TimeUnit.SECONDS);
      List<String> got = new ArrayList<>();
      for (Future<String> waiter : waiters) {
        got.add(waiter.get(30, TimeUnit.SECONDS));
      }

      assertThat(got).containsExactlyElementsOf(keys.stream().map(key -> "got " + key).toList());
      assertThat(reported).isEmpty();
    }
  }

  private List<String> keys(int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).sorted().toList();
  }

  private static RedissonLockProvider provider(RedissonClient client, Duration responseTimeout) {
    return RedissonLockProvider.builder(client)
        .mode(Mode.REDISSON_COMPATIBLE)
        .responseTimeout(responseTimeout)
        .build();
  }

  private LockTemplate template(RedissonLockProvider provider) {
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
