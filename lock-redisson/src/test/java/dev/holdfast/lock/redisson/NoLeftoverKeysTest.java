package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockException;
import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * After many calls, of every outcome, the atomic mode leaves nothing in Redis but one fencing
 * counter per key it ever locked: no lock keys, no latches, no queues.
 */
final class NoLeftoverKeysTest {

  private static final int THREADS = 4;
  private static final int CALLS_PER_THREAD = 2_500;
  private static final int PRODUCTS = 20;

  @Test
  void tenThousandCallsLeaveOnlyFencingCounters() throws Exception {
    String prefix = "leftover:" + UUID.randomUUID() + ":product:";
    AtomicInteger calls = new AtomicInteger();
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedRedis.client()).build()) {
      LockTemplate template = LockTemplate.of(provider);
      ExecutorService threads = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long seed = t;
        done.add(threads.submit(() -> placeOrders(template, prefix, new Random(seed), calls)));
      }
      for (Future<?> thread : done) {
        thread.get();
      }
      threads.shutdown();
    }

    List<?> left = (List<?>) SharedRedis.server().call("KEYS", "*" + prefix + "*");

    assertThat(calls.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(left)
        .hasSize(PRODUCTS)
        .allSatisfy(key -> assertThat((String) key).endsWith(":fencing-token"));
  }

  /**
   * Orders of 1–3 products: most succeed, some callbacks throw, some try-once calls find their keys
   * taken, some hold their keys past a short fixed lease.
   */
  private static Void placeOrders(
      LockTemplate template, String prefix, Random random, AtomicInteger calls)
      throws InterruptedException {
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
      List<String> keys = new ArrayList<>();
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        keys.add(prefix + random.nextInt(PRODUCTS));
      }
      int outcome = random.nextInt(100);
      Duration wait = outcome < 10 ? Duration.ZERO : Duration.ofSeconds(10);
      Duration lease = outcome == 99 ? LockTemplate.MIN_LEASE_TIME : Duration.ofSeconds(30);
      try {
        template.runWithLocks(
            keys,
            wait,
            lease,
            held -> {
              if (outcome >= 95 && outcome < 99) {
                throw new IllegalStateException("callback failed");
              }
              if (outcome == 99) {
                Thread.sleep(LockTemplate.MIN_LEASE_TIME.multipliedBy(2).toMillis());
              }
            });
      } catch (LockException | IllegalStateException expected) {
        // Every outcome counts; the test is about what they leave behind.
      }
      calls.incrementAndGet();
    }
    return null;
  }
}
