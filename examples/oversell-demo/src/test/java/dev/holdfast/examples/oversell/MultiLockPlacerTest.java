package dev.holdfast.examples.oversell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.examples.inventory.Inventory;
import dev.holdfast.examples.inventory.Order;
import dev.holdfast.examples.inventory.OrderConfirmation;
import dev.holdfast.examples.inventory.OrderLine;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The demo's hand-written RedissonMultiLock row, when its lease ends before the unlock. */
final class MultiLockPlacerTest {

  private static RedisServer redis;
  private static RedissonClient client;

  @BeforeAll
  static void connect() {
    redis = RedisServer.start();
    client = ServiceInstance.connect(redis.address(), 2);
  }

  @AfterAll
  static void disconnect() {
    client.shutdown(0, 2, TimeUnit.SECONDS);
    redis.close();
  }

  @Test
  void anOrderThatCommittedAfterItsLeaseEndedIsReportedPlacedNotFailed() throws Exception {
    String keyPrefix = "multi-" + System.nanoTime() + ":";
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:multi-lock-test;DB_CLOSE_DELAY=-1");
    Inventory inventory =
        Inventory.builder(h2)
            .tablePrefix("multi_lock_")
            // Returns once the product's RLock has expired: the order commits after its lease.
            .afterStockRead(order -> awaitExpiry(ServiceInstance.multiLockKey(keyPrefix, 1)))
            .build();
    inventory.createTables();
    try {
      inventory.resetStock(Map.of(1L, 5L));

      OrderConfirmation placed =
          ServiceInstance.multiLock(client, inventory, keyPrefix, Duration.ofMillis(200))
              .placeOrder(new Order("late", List.of(new OrderLine(1, 2))));

      assertThat(placed).isEqualTo(new OrderConfirmation("late", 2));
      assertThat(inventory.orderExists("late")).isTrue();
    } finally {
      inventory.dropTables();
    }
  }

  private static void awaitExpiry(String lockKey) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (client.getLock(lockKey).isLocked()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(lockKey + " did not expire within 10 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
