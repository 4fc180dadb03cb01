package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.redisson.HandOffs.Waiter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lost wake-up, found both on Redis Cluster and in the benchmarks: a waiter whose keys were
 * released between its failed try and its parking waited out a whole poll interval with the keys
 * free. A waiter now registers before its first try, and a hand-off that comes before it parks is
 * kept for its park.
 */
final class RedisLostWakeUpTest {

  private final HandOffs handOffs = new HandOffs(SharedRedis.client(), "test");

  @Test
  void aHandOffBeforeTheWaiterParksEndsItsParkAtOnce() throws Exception {
    Waiter waiter = handOffs.register("test:1");
    handOffs.handedOff("test:1");

    long start = System.nanoTime();
    boolean handedOff = waiter.await(TimeUnit.MINUTES.toNanos(1));
    handOffs.leave(waiter);

    assertThat(handedOff).isTrue();
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void aHandOffToAWaiterThatLeftWakesNobodyLater() throws Exception {
    Waiter gone = handOffs.register("test:2");
    handOffs.leave(gone);
    handOffs.handedOff("test:2");

    assertThat(gone.await(TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
  }
}
