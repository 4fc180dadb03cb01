package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.redisson.ReleaseSignals.Waiter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lost wake-up, found both on Redis Cluster and in the benchmarks: a waiter blocked by a key
 * that was released between its try and its joining the key's (lingering, already subscribed) queue
 * waited out a whole poll interval with the key free. 19 of 203 fallback-poll timeouts of the
 * cluster contract's fuzz tests found the key free; the fuzz tests took 8 s instead of 2 s.
 */
final class RedisLostWakeUpTest {

  private final String key = "wake-up:" + UUID.randomUUID();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ReleaseSignals signals =
      new ReleaseSignals(SharedRedis.client(), "test", scheduler, TimeUnit.MINUTES.toNanos(1));

  @AfterEach
  void stop() {
    signals.unsubscribeIdle();
    scheduler.shutdownNow();
  }

  @Test
  void aWaiterJoiningAQueueAfterAReleaseItDidNotHearTriesAgainAtOnce() throws Exception {
    subscribeAndLeaveTheQueueLingering();
    Waiter late = signals.newWaiter();
    long releasesBeforeItsTry = signals.releaseCount();

    signals.signal(key);
    boolean triesAgain = signals.waitFor(late, List.of(key), releasesBeforeItsTry);

    assertThat(triesAgain).isTrue();
    signals.leave(late, false);
  }

  @Test
  void aWaiterThatMissedNoReleaseWaitsForItsTurnEvenFirstInTheQueue() throws Exception {
    subscribeAndLeaveTheQueueLingering();
    Waiter first = signals.newWaiter();
    Waiter second = signals.newWaiter();

    boolean firstTriesAgain = signals.waitFor(first, List.of(key), signals.releaseCount());
    boolean secondTriesAgain = signals.waitFor(second, List.of(key), signals.releaseCount());

    assertThat(firstTriesAgain).isFalse();
    assertThat(secondTriesAgain).isFalse();
    signals.leave(second, false);
    signals.leave(first, false);
  }

  /**
   * The 3-of-20-keys benchmark's p99 of one poll interval: a waiter already queued on two keys
   * reset its still-held keys after a try that one of them was released during, so the other's
   * release no longer woke it.
   */
  @Test
  void aReleaseOfAKeyItStillWaitsForDuringItsTryCountsTowardsItsWakeUp() throws Exception {
    String other = "wake-up:" + UUID.randomUUID();
    Waiter waiter = signals.newWaiter();
    signals.waitFor(waiter, List.of(key, other), signals.releaseCount());
    signals.awaitSubscribed(waiter, TimeUnit.SECONDS.toNanos(5));
    long releasesBeforeItsTry = signals.releaseCount();

    signals.signal(key);
    boolean triesAgain = signals.waitFor(waiter, List.of(key, other), releasesBeforeItsTry);
    signals.signal(other);

    assertThat(triesAgain).isFalse();
    assertThat(waiter.await(0)).isTrue();
    signals.leave(waiter, true);
  }

  /** A key contended a moment ago: its queue is empty but keeps its subscription. */
  private void subscribeAndLeaveTheQueueLingering() throws InterruptedException {
    Waiter earlier = signals.newWaiter();
    signals.waitFor(earlier, List.of(key), signals.releaseCount());
    signals.awaitSubscribed(earlier, TimeUnit.SECONDS.toNanos(5));
    signals.leave(earlier, true);
  }
}
