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
 * The lost wake-up found on Redis Cluster: a waiter blocked by a key that was released before it
 * joined the key's (lingering, already subscribed) queue waited out a whole poll interval with the
 * key free. 19 of 203 fallback-poll timeouts of the cluster contract's fuzz tests found the key
 * free; the fuzz tests took 8 s instead of 2 s.
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
  void theFirstWaiterToJoinAKeysQueueTriesAgainAtOnceBecauseAReleaseBeforeItJoinedWokeNobody()
      throws Exception {
    subscribeAndLeaveTheQueueLingering();
    Waiter late = signals.newWaiter();

    // The release that happened before it joined woke nobody; nothing tells the waiter of it.
    boolean triesAgain = signals.waitFor(late, List.of(key));

    assertThat(triesAgain).isTrue();
    signals.leave(late, false);
  }

  @Test
  void aWaiterJoiningBehindAnotherWaitsForItsTurn() throws Exception {
    subscribeAndLeaveTheQueueLingering();
    Waiter first = signals.newWaiter();
    signals.waitFor(first, List.of(key));
    Waiter second = signals.newWaiter();

    boolean triesAgain = signals.waitFor(second, List.of(key));

    assertThat(triesAgain).isFalse();
    signals.leave(second, false);
    signals.leave(first, false);
  }

  /** A key contended a moment ago: its queue is empty but keeps its subscription. */
  private void subscribeAndLeaveTheQueueLingering() throws InterruptedException {
    Waiter earlier = signals.newWaiter();
    signals.waitFor(earlier, List.of(key));
    signals.awaitSubscribed(earlier, TimeUnit.SECONDS.toNanos(5));
    signals.leave(earlier, true);
  }
}
