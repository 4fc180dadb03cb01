package dev.holdfast.examples.oversell;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.examples.inventory.Inventory;
import dev.holdfast.examples.inventory.Order;
import dev.holdfast.examples.inventory.OrderConfirmation;
import dev.holdfast.examples.inventory.OrderPlacer;
import dev.holdfast.examples.inventory.OrderRejectedException;
import dev.holdfast.examples.inventory.OrderService;
import dev.holdfast.examples.inventory.OrderService.Fencing;
import dev.holdfast.examples.inventory.RedisStock;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.jdbc.JdbcLockProvider;
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
  private final JdbcLockProvider jdbcLocks;
  private final String keyPrefix;
  private final String lockKeyPrefix;

  /**
   * Connects to the run's database and, when {@code redisAddress} is given, to its Redis.
   *
   * @param poolSize connections, one per order thread of this instance so that none waits for one
   *     (the JDBC lock borrows one only between the order's transactions; on PostgreSQL it keeps
   *     one more to listen for releases, which the pool adds)
   * @param afterStockRead runs inside each order's transaction between read and write; the run's
   *     {@link ExclusionProbe} runs there too when the settings ask for it
   */
  ServiceInstance(
      RunSettings settings,
      int poolSize,
      @Nullable String redisAddress,
      Consumer<Order> afterStockRead) {
    this.keyPrefix = settings.keyPrefix();
    this.lockKeyPrefix = settings.lockKeyPrefix();
    this.redisson = redisAddress == null ? null : connect(redisAddress, poolSize);
    try {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(settings.jdbcUrl());
      if (settings.jdbcPassword() != null) {
        config.setUsername(RunSettings.H2_USER);
        config.setPassword(settings.jdbcPassword());
      }
      config.setMaximumPoolSize(poolSize + 1);
      config.setMinimumIdle(poolSize);
      config.setPoolName("instance-pool");
      this.pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      if (redisson != null) {
        redisson.shutdown(0, 2, TimeUnit.SECONDS);
      }
      throw e;
    }
    Consumer<Order> hook =
        settings.checkExclusion() && redisson != null
            ? afterStockRead.andThen(new ExclusionProbe(redisson, keyPrefix))
            : afterStockRead;
    this.inventory =
        Inventory.builder(pool).tablePrefix(settings.tablePrefix()).afterStockRead(hook).build();
    this.redisLocks = redisson == null ? null : RedissonLockProvider.builder(redisson).build();
    this.jdbcLocks = JdbcLockProvider.builder(pool).tableName(settings.lockTable()).build();
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
            LockTemplate.of(provider),
            inventory,
            Fencing.supportedBy(provider),
            WAIT,
            LEASE,
            lockKeyPrefix);
      }
      case MULTI_LOCK -> multiLock(requireRedis(redisson), inventory, keyPrefix, LEASE);
      case JDBC_LOCK ->
          new OrderService(
              LockTemplate.of(jdbcLocks),
              inventory,
              Fencing.supportedBy(jdbcLocks),
              WAIT,
              LEASE,
              lockKeyPrefix);
      case ROW_LOCKS -> inventory::placeOrderWithRowLocks;
      case REDIS_STOCK -> new RedisStock(requireRedis(redisson), inventory, keyPrefix);
    };
  }

  /**
   * The common hand-written approach: one RLock per product, in product order, taken through
   * RedissonMultiLock with the same wait and lease as the Holdfast row. Unfenced, as it has no
   * tokens, and without a check before the commit: a lease that ends during the transaction goes
   * unnoticed until the unlock.
   */
  static OrderPlacer multiLock(
      RedissonClient client, Inventory inventory, String keyPrefix, Duration lease) {
    return order -> {
      RLock[] locks =
          order.quantities().keySet().stream()
              .map(id -> client.getLock(multiLockKey(keyPrefix, id)))
              .toArray(RLock[]::new);
      RedissonMultiLock multiLock = new RedissonMultiLock(locks);
      boolean held;
      try {
        held = multiLock.tryLock(WAIT.toMillis(), lease.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for " + order.id() + "'s locks", e);
      }
      if (!held) {
        throw new MultiLockTimeoutException(order.id());
      }
      OrderConfirmation placed;
      try {
        placed = inventory.placeOrder(order, Map.of());
      } catch (RuntimeException | Error | OrderRejectedException e) {
        unlockAfter(multiLock, e);
        throw e;
      }
      try {
        multiLock.unlock();
      } catch (IllegalMonitorStateException leaseEnded) {
        // The lease ended before the unlock, after the order had committed: it is sold all the
        // same, and counted as accepted (the table's balance shows if it oversold).
      }
      return placed;
    };
  }

  /** The hand-written row's RLock of a product. */
  static String multiLockKey(String keyPrefix, long productId) {
    return keyPrefix + "rlock:product:" + productId;
  }

  private static void unlockAfter(RedissonMultiLock multiLock, Throwable failure) {
    try {
      multiLock.unlock();
    } catch (IllegalMonitorStateException leaseEnded) {
      failure.addSuppressed(leaseEnded);
    }
  }

  private static <T> T requireRedis(@Nullable T part) {
    if (part == null) {
      throw new IllegalStateException("This instance was started without Redis");
    }
    return part;
  }

  @Override
  public void close() {
    Cleanup cleanup = new Cleanup();
    cleanup.add(jdbcLocks);
    if (redisLocks != null) {
      cleanup.add(redisLocks);
    }
    if (redisson != null) {
      cleanup.add(() -> redisson.shutdown(0, 2, TimeUnit.SECONDS));
    }
    cleanup.add(pool);
    cleanup.closeAll();
  }

  /** RedissonMultiLock.tryLock said false: the wait ended before every product lock was free. */
  static final class MultiLockTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MultiLockTimeoutException(String orderId) {
      super("RedissonMultiLock: not every lock of order " + orderId + " within " + WAIT);
    }
  }
}
