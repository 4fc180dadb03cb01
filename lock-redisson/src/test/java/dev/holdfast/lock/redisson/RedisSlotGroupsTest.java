package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.Ticker;
import dev.holdfast.lock.redisson.testing.RedisClusterSetup;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The atomic mode's slot groups on a Redis Cluster of the test's own, whose masters the tests
 * pause: without replicas and with a long node timeout, a paused master is never failed over. Each
 * request spans two masters, so it is taken in two groups.
 */
final class RedisSlotGroupsTest {

  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(30);

  /** Thread scheduling and exception handling on a busy two-core machine. */
  private static final Duration SLACK = Duration.ofMillis(300);

  private static RedisClusterSetup cluster;
  private static RedissonClient redisson;

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<RedisServer> paused = new ArrayList<>();

  /** A key of the first slot group, and one of the second, on another master. */
  private final List<String> keys = keysOnTwoMasters("slot-groups:" + UUID.randomUUID() + ":");

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterSetup.start(0, Duration.ofSeconds(30));
    redisson = TestRedisson.connectCluster(cluster);
  }

  @AfterAll
  static void stopCluster() {
    TestRedisson.shutdown(redisson);
    cluster.close();
  }

  @AfterEach
  void resumeAndStop() throws Exception {
    paused.forEach(RedisServer::resume);
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Regression: the earlier group's give-back after the later group's reply timed out waited one
   * more response timeout of its own.
   */
  @Test
  void givingBackEarlierGroupsAfterALaterOneFailedStaysWithinTheCallsWaitPlusOneResponseTimeout()
      throws Exception {
    String first = keys.get(0);
    String second = keys.get(1);
    // Looked up while every node answers: a paused node delays the lookup.
    RedisServer firstMaster = cluster.masterOf(first);
    RedisServer secondMaster = cluster.masterOf(second);
    secondMaster.call("SET", second, "another-owner", "PX", "30000");
    Duration wait = Duration.ofSeconds(1);
    try (RedissonLockProvider provider = provider()) {
      LockTemplate template = LockTemplate.of(provider);

      long start = System.nanoTime();
      Future<Throwable> call =
          threads.submit(
              () -> catchThrowable(() -> template.runWithLocks(keys, wait, LEASE, h -> {})));
      // The first group is taken and the call waits for the second: both masters stop answering.
      await().atMost(Duration.ofSeconds(5)).until(() -> exists(first));
      pause(firstMaster);
      pause(secondMaster);
      Throwable thrown = call.get(10, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      resumeAll();

      assertThat(thrown).isInstanceOf(LockBackendException.class);
      assertThat(took).isLessThanOrEqualTo(wait.plus(RESPONSE_TIMEOUT).plus(SLACK));
      // The rest of the give-back went on in the background.
      await().atMost(Duration.ofSeconds(10)).until(() -> !exists(first));
      // Still the other owner's (its value may carry the waiting mark the failed try left).
      assertThat((String) secondMaster.call("GET", second)).startsWith("another-owner");
    }
  }

  /** Regression: the second call returned "nothing lost" at once, before the release had run. */
  @Test
  void aSecondReleaseWhileTheFirstIsUnderWayWaitsForItAndEndsAsItDoes() throws Exception {
    try (RedissonLockProvider provider = provider()) {
      LockHandle handle =
          acquire(provider, keys, Deadline.after(Duration.ZERO, Ticker.systemTicker()));
      pause(cluster.masterOf(keys.get(0)));

      Future<Throwable> firstRelease = threads.submit(releasing(handle));
      Thread.sleep(200);
      Future<Throwable> secondRelease = threads.submit(releasing(handle));
      Throwable second = secondRelease.get(10, TimeUnit.SECONDS);
      Throwable first = firstRelease.get(10, TimeUnit.SECONDS);
      resumeAll();

      assertThat(first).isInstanceOf(LockBackendException.class);
      // The very exception the first release failed with, a response timeout after it began: the
      // second waited for it. (Whether the first release's thread had also returned by then is the
      // scheduler's business: it completes the answer just before it rethrows.)
      assertThat(second).isSameAs(first);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !exists(keys.get(0)) && !exists(keys.get(1)));
    }
  }

  /** Regression: an Error thrown after the first group was taken left that group held. */
  @Test
  void anErrorAfterAGroupWasTakenGivesTheGroupBack() {
    String first = keys.get(0);
    Error broken = new AssertionError("the ticker broke");
    Ticker breaksOnceTheFirstGroupIsTaken =
        () -> {
          if (exists(first)) {
            throw broken;
          }
          return System.nanoTime();
        };
    try (RedissonLockProvider provider = provider()) {
      Throwable thrown =
          catchThrowable(
              () ->
                  acquire(
                      provider,
                      keys,
                      Deadline.after(Duration.ofSeconds(5), breaksOnceTheFirstGroupIsTaken)));

      assertThat(thrown).isSameAs(broken);
      assertThat(exists(first)).isFalse();
      assertThat(exists(keys.get(1))).isFalse();
    }
  }

  private static LockHandle acquire(
      RedissonLockProvider provider, List<String> keys, Deadline deadline)
      throws InterruptedException {
    LockRequest request = LockRequest.of(keys, Duration.ZERO, LEASE, LeaseMode.FIXED, "default");
    Acquisition acquisition = provider.acquire(request, deadline);
    assertThat(acquisition).isInstanceOf(Acquisition.Acquired.class);
    return ((Acquisition.Acquired) acquisition).handle();
  }

  private static Callable<Throwable> releasing(LockHandle handle) {
    return () -> catchThrowable(handle::release);
  }

  private static RedissonLockProvider provider() {
    return RedissonLockProvider.builder(redisson)
        .responseTimeout(RESPONSE_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .build();
  }

  private void pause(RedisServer master) {
    master.pause();
    paused.add(master);
  }

  private void resumeAll() {
    paused.forEach(RedisServer::resume);
    paused.clear();
  }

  private static boolean exists(String key) {
    return Long.valueOf(1).equals(cluster.masterOf(key).call("EXISTS", key));
  }

  /** Two keys on different masters, in slot order. */
  private static List<String> keysOnTwoMasters(String prefix) {
    String first = prefix + 0;
    RedisServer firstMaster = cluster.masterOf(first);
    for (int i = 1; ; i++) {
      String other = prefix + i;
      if (!cluster.masterOf(other).equals(firstMaster)) {
        return Stream.of(first, other).sorted(Comparator.comparingInt(HashSlots::slot)).toList();
      }
    }
  }
}
