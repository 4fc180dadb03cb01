package dev.holdfast.examples.oversell;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.examples.inventory.Inventory;
import dev.holdfast.examples.inventory.Order;
import dev.holdfast.examples.inventory.OrderPlacer;
import dev.holdfast.examples.inventory.OrderService;
import dev.holdfast.examples.inventory.OrderService.Fencing;
import dev.holdfast.examples.inventory.RedisStock;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.RedissonMultiLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * One simulated service instance: its own connection pool, its own Redisson client, and its own
 * lock providers, as a separately deployed instance of an order service would have.
 */
final class ServiceInstance implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final Duration LEASE = Duration.ofSeconds(10);

  private final HikariDataSource pool;
  private final Inventory inventory;
  private final @Nullable RedissonClient redisson;
  private final @Nullable RedissonLockProvider redisLocks;
  private final LockTemplate jvmLocks = LockTemplate.of(InMemoryLockProvider.create());
  private final String keyPrefix;

  /**
   * Connects to the run's database and, when {@code redisAddress} is given, to its Redis.
   *
   * @param poolSize connections, one per order thread of this instance so that none waits for one
   * @param afterStockRead runs inside each order's transaction between read and write
   */
  ServiceInstance(
      RunSettings settings,
      int poolSize,
      @Nullable String redisAddress,
      Consumer<Order> afterStockRead) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(poolSize);
    config.setPoolName("instance-pool");
    this.pool = new HikariDataSource(config);
    this.inventory =
        Inventory.builder(pool)
            .tablePrefix(settings.tablePrefix())
            .afterStockRead(afterStockRead)
            .build();
    this.keyPrefix = settings.keyPrefix();
    this.redisson = redisAddress == null ? null : connect(redisAddress, poolSize);
    this.redisLocks = redisson == null ? null : RedissonLockProvider.builder(redisson).build();
  }

  /** A Redisson client with a small pool: the default opens 24 idle connections at start. */
  static RedissonClient connect(String address, int poolSize) {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(address)
        .setConnectionPoolSize(Math.max(2, poolSize))
        .setConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(4)
        .setSubscriptionConnectionMinimumIdleSize(1);
    return Redisson.create(config);
  }

  Inventory inventory() {
    return inventory;
  }

  /** How this instance places an order under {@code strategy}. */
  OrderPlacer placer(Strategy strategy) {
    return switch (strategy) {
      case NO_LOCK -> order -> inventory.placeOrder(order, Map.of());
      // The in-memory provider's tokens order nothing between instances: Fencing.supportedBy
      // says NONE, and the table shows what a per-instance lock is worth.
      case JVM_LOCK -> new OrderService(jvmLocks, inventory, Fencing.NONE, WAIT, LEASE);
      case HOLDFAST -> {
        RedissonLockProvider provider = requireRedis(redisLocks);
        yield new OrderService(
            LockTemplate.of(provider), inventory, Fencing.supportedBy(provider), WAIT, LEASE);
      }
      case MULTI_LOCK -> multiLock(requireRedis(redisson));
      case REDIS_STOCK -> new RedisStock(requireRedis(redisson), inventory, keyPrefix);
    };
  }

  /**
   * The common hand-written approach: one RLock per product, in product order, taken through
   * RedissonMultiLock with the same wait and lease as the Holdfast row; unfenced.
   */
  private OrderPlacer multiLock(RedissonClient client) {
    return order -> {
      RLock[] locks =
          order.quantities().keySet().stream()
              .map(id -> client.getLock(keyPrefix + "rlock:product:" + id))
              .toArray(RLock[]::new);
      RedissonMultiLock multiLock = new RedissonMultiLock(locks);
      boolean held;
      try {
        held = multiLock.tryLock(WAIT.toMillis(), LEASE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for " + order.id() + "'s locks", e);
      }
      if (!held) {
        throw new MultiLockTimeoutException(order.id());
      }
      try {
        return inventory.placeOrder(order, Map.of());
      } finally {
        multiLock.unlock();
      }
    };
  }

  private static <T> T requireRedis(@Nullable T part) {
    if (part == null) {
      throw new IllegalStateException("This instance was started without Redis");
    }
    return part;
  }

  @Override
  public void close() {
    if (redisLocks != null) {
      redisLocks.close();
    }
    if (redisson != null) {
      redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }
    pool.close();
  }

  /** RedissonMultiLock.tryLock said false: the wait ended before every product lock was free. */
  static final class MultiLockTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MultiLockTimeoutException(String orderId) {
      super("RedissonMultiLock: not every lock of order " + orderId + " within " + WAIT);
    }
  }
}
