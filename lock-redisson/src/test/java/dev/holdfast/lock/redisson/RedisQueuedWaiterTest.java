package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * A waiter queued behind another sleeps until a release wakes it or the poll interval passes; the
 * lease that blocked its last try ends once and bounds one sleep only. Its own server: the test
 * pauses it, so that three waiters try the key before either has queued.
 */
final class RedisQueuedWaiterTest {

  private static final Duration POLL = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static RedisServer server;
  private static RedissonClient redisson;

  private final String key = "queued:" + UUID.randomUUID();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void startServer() {
    server = RedisServer.start();
    redisson = TestRedisson.connect(server);
  }

  @AfterAll
  static void stopServer() {
    TestRedisson.shutdown(redisson);
    server.close();
  }

  /**
   * Regression: a waiter queued behind another reused the lease's remainder seen by its last try (a
   * few hundred milliseconds here, a few milliseconds in production) as its sleep, and woke that
   * often for the rest of its wait.
   */
  @Test
  void aQueuedWaiterDoesNotWakeAgainAndAgainAtTheIntervalOfTheLeaseItLastSaw() throws Exception {
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(redisson)
            .pollInterval(POLL)
            .responseTimeout(Duration.ofSeconds(5))
            .build()) {
      LockTemplate template = LockTemplate.of(provider);
      // Another owner's lease; both waiters' tries wait on the paused server and see it end soon.
      server.call("SET", key, "another-owner", "PX", "600");
      server.pause();
      Set<Thread> waiters = ConcurrentHashMap.newKeySet();
      List<Thread> holders = new CopyOnWriteArrayList<>();
      CountDownLatch release = new CountDownLatch(1);
      List<Future<?>> calls =
          List.of(
              waitFor(template, waiters, holders, release),
              waitFor(template, waiters, holders, release),
              waitFor(template, waiters, holders, release));
      Thread.sleep(250);
      server.resume();
      // The lease ends and the first waiter takes the key and holds it. The second, now first in
      // line, tries once more and sees the new lease; the third stays queued behind it.
      await().atMost(Duration.ofSeconds(5)).until(() -> holders.size() == 1);
      List<Thread> queued = waiters.stream().filter(t -> t != holders.get(0)).toList();
      Thread.sleep(200);

      long parksBefore = parks(queued);
      Thread.sleep(2000);
      long wakeUps = parks(queued) - parksBefore;
      release.countDown();
      for (Future<?> call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }

      assertThat(wakeUps).as("wake-ups of the queued waiters in 2 s").isLessThanOrEqualTo(1);
      assertThat(holders).hasSize(3);
    } finally {
      threads.shutdownNow();
    }
  }

  private Future<?> waitFor(
      LockTemplate template, Set<Thread> waiters, List<Thread> holders, CountDownLatch release) {
    return threads.submit(
        () -> {
          waiters.add(Thread.currentThread());
          template.runWithLock(
              key,
              WAIT,
              LEASE,
              held -> {
                holders.add(Thread.currentThread());
                release.await();
              });
          return null;
        });
  }

  /** How often {@code waiters} have parked, all told: each wake-up of a waiter ends one park. */
  private static long parks(List<Thread> waiters) {
    ThreadMXBean threadsBean = ManagementFactory.getThreadMXBean();
    long parks = 0;
    for (Thread waiter : waiters) {
      parks += threadsBean.getThreadInfo(waiter.getId()).getWaitedCount();
    }
    return parks;
  }
}
