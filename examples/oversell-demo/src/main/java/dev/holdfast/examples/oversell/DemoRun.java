package dev.holdfast.examples.oversell;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.examples.inventory.Inventory;
import dev.holdfast.examples.inventory.Order;
import dev.holdfast.examples.inventory.OrderPlacer;
import dev.holdfast.examples.inventory.RedisStock;
import dev.holdfast.lock.jdbc.JdbcLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * One run of the demo: sets up the tables, then for each strategy resets the stock, sends the burst
 * through every service instance (threads of this JVM, or worker processes) and reads back what was
 * sold and what is left.
 */
final class DemoRun {

  /** How the burst reaches the instances. */
  interface Instances extends AutoCloseable {
    /**
     * Places the first {@code orderCount} orders of the burst under {@code strategy}; calls {@code
     * onOrderDone} once per order.
     */
    Tally place(Strategy strategy, int orderCount, Runnable onOrderDone) throws Exception;

    @Override
    void close();
  }

  /** Shows progress of one strategy's burst; closed when the burst is done. */
  interface Progress extends AutoCloseable {
    void step();

    @Override
    void close();
  }

  /** Progress that shows nothing: for warm-up, tests, and output that is not a terminal. */
  static final Progress QUIET =
      new Progress() {
        @Override
        public void step() {}

        @Override
        public void close() {}
      };

  private final RunSettings settings;
  private final @Nullable String redisAddress;
  private final List<Strategy> strategies;
  private final int warmUpOrders;

  /**
   * @param warmUpOrders how many orders of the burst each strategy places, unmeasured, before any
   *     is measured: the first strategy to run would otherwise pay for loading and compiling the
   *     code the others share (Redisson, the JDBC driver, the inventory), and look slower for it
   */
  DemoRun(
      RunSettings settings,
      @Nullable String redisAddress,
      List<Strategy> strategies,
      int warmUpOrders) {
    this.settings = settings;
    this.redisAddress = redisAddress;
    this.strategies = List.copyOf(strategies);
    this.warmUpOrders = Math.min(warmUpOrders, settings.orders());
  }

  /**
   * Threads of this JVM, {@code instances} service instances of {@code threads} in all. If one
   * instance fails to connect, every instance that did connect is closed before the failure is
   * thrown.
   */
  Instances inProcess(int instances, int threads, Consumer<Order> afterStockRead)
      throws InterruptedException, ExecutionException {
    List<Order> orders = Burst.orders(settings.orders(), settings.products(), settings.seed());
    List<ServiceInstance> started = new ArrayList<>();
    // Redisson takes a second or two to connect: connect the instances at the same time.
    ExecutorService connecting = Executors.newFixedThreadPool(instances);
    try {
      List<Future<ServiceInstance>> connected = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        int poolSize = threadsOf(i, instances, threads);
        connected.add(
            connecting.submit(
                () -> new ServiceInstance(settings, poolSize, redisAddress, afterStockRead)));
      }
      ExecutionException failure = null;
      for (Future<ServiceInstance> instance : connected) {
        try {
          started.add(instance.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } catch (InterruptedException | ExecutionException | RuntimeException e) {
      Cleanup cleanup = new Cleanup();
      started.forEach(cleanup::add);
      cleanup.closeAllAfter(e);
      throw e;
    } finally {
      connecting.shutdown();
    }
    return new Instances() {
      @Override
      public Tally place(Strategy strategy, int orderCount, Runnable onOrderDone)
          throws InterruptedException {
        List<OrderPlacer> placers = started.stream().map(i -> i.placer(strategy)).toList();
        return BurstRunner.run(placers, threads, orders.subList(0, orderCount), onOrderDone);
      }

      @Override
      public void close() {
        Cleanup cleanup = new Cleanup();
        started.forEach(cleanup::add);
        cleanup.closeAll();
      }
    };
  }

  /** Instance {@code i}'s share of {@code threads}, at least one. */
  static int threadsOf(int i, int instances, int threads) {
    return Math.max(1, threads / instances + (i < threads % instances ? 1 : 0));
  }

  /**
   * The measured runs, in order: each strategy once, except that the Holdfast lock and the
   * RedissonMultiLock, whose rates the demo compares, run twice each in the order A B B A, so that
   * neither always runs first or last on a machine whose speed drifts.
   */
  static List<Strategy> measuredOrder(List<Strategy> strategies) {
    List<Strategy> order = new ArrayList<>();
    for (Strategy strategy : strategies) {
      if (strategy == Strategy.HOLDFAST && strategies.contains(Strategy.MULTI_LOCK)) {
        order.addAll(
            List.of(
                Strategy.HOLDFAST, Strategy.MULTI_LOCK, Strategy.MULTI_LOCK, Strategy.HOLDFAST));
      } else if (strategy != Strategy.MULTI_LOCK || !strategies.contains(Strategy.HOLDFAST)) {
        order.add(strategy);
      }
    }
    return order;
  }

  /**
   * Runs every strategy through {@code instances}; {@code adminJdbcUrl} is the database as this JVM
   * reaches it (an in-memory H2 that workers reach over TCP, say). Drops the run's tables and
   * deletes its Redis keys at the end.
   */
  List<StrategyResult> run(
      String adminJdbcUrl, Instances instances, Function<Strategy, Progress> progress)
      throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(adminJdbcUrl);
    if (settings.jdbcPassword() != null) {
      config.setUsername(RunSettings.H2_USER);
      config.setPassword(settings.jdbcPassword());
    }
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(1);
    config.setPoolName("demo-admin");
    Cleanup cleanup = new Cleanup();
    try {
      RedissonClient adminRedis =
          redisAddress == null ? null : ServiceInstance.connect(redisAddress, 2);
      if (adminRedis != null) {
        cleanup.add(() -> adminRedis.shutdown(0, 2, TimeUnit.SECONDS));
        cleanup.add(() -> deleteRunKeys(adminRedis));
      }
      HikariDataSource pool = new HikariDataSource(config);
      cleanup.add(pool);
      Inventory inventory = Inventory.builder(pool).tablePrefix(settings.tablePrefix()).build();
      inventory.createTables();
      cleanup.add(inventory::dropTables);
      createLockTable(pool);
      cleanup.add(() -> dropLockTable(pool));
      if (warmUpOrders > 0) {
        for (Strategy strategy : strategies) {
          runOne(strategy, 0, warmUpOrders, inventory, adminRedis, instances, s -> QUIET);
        }
      }
      List<Strategy> measured = measuredOrder(strategies);
      List<StrategyResult> results = new ArrayList<>();
      for (Strategy strategy : measured) {
        int runs = Collections.frequency(measured, strategy);
        int run =
            runs == 1
                ? 0
                : 1 + (int) results.stream().filter(r -> r.strategy() == strategy).count();
        results.add(
            runOne(strategy, run, settings.orders(), inventory, adminRedis, instances, progress));
      }
      return results;
    } catch (Exception | Error e) {
      cleanup.closeAllAfter(e);
      throw e;
    } finally {
      cleanup.closeAll();
    }
  }

  /** The JDBC lock's table, created once here so that instances starting at once do not race. */
  private void createLockTable(DataSource pool) {
    JdbcLockProvider.builder(pool)
        .tableName(settings.lockTable())
        .createTableIfMissing(true)
        .releaseNotifications(false)
        .build()
        .close();
  }

  private void dropLockTable(DataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement drop = connection.createStatement()) {
      drop.execute("DROP TABLE " + settings.lockTable());
    }
  }

  /** The run's stock, lock, marker and probe keys, and its lock keys' fencing counters. */
  private void deleteRunKeys(RedissonClient redis) {
    redis.getKeys().deleteByPattern(settings.keyPrefix() + "*");
    String[] counters =
        LongStream.rangeClosed(1, settings.products())
            .mapToObj(id -> RedissonLockProvider.fencingCounterKey(settings.lockKeyPrefix() + id))
            .toArray(String[]::new);
    redis.getKeys().delete(counters);
  }

  private StrategyResult runOne(
      Strategy strategy,
      int run,
      int orderCount,
      Inventory inventory,
      @Nullable RedissonClient adminRedis,
      Instances instances,
      Function<Strategy, Progress> progress)
      throws Exception {
    Map<Long, Long> initial = new TreeMap<>();
    LongStream.rangeClosed(1, settings.products()).forEach(id -> initial.put(id, settings.stock()));
    inventory.resetStock(initial);
    RedisStock redisStock = null;
    if (strategy == Strategy.REDIS_STOCK) {
      if (adminRedis == null) {
        throw new IllegalStateException(strategy + " needs Redis");
      }
      redisStock = new RedisStock(adminRedis, inventory, settings.keyPrefix());
      redisStock.loadFromInventory();
    }
    Tally tally;
    long started;
    long elapsed;
    try (Progress bar = progress.apply(strategy)) {
      started = System.nanoTime();
      tally = instances.place(strategy, orderCount, bar::step);
      elapsed = System.nanoTime() - started;
    }
    SortedMap<Long, Long> left =
        redisStock == null ? inventory.stock() : redisStock.stock(initial.keySet());
    long mostInFlight =
        settings.checkExclusion() && adminRedis != null
            ? ExclusionProbe.takeMostInFlight(adminRedis, settings.keyPrefix())
            : 0;
    return new StrategyResult(
        strategy,
        run,
        tally,
        elapsed,
        settings.products(),
        settings.stock(),
        inventory.unitsSold(),
        left,
        mostInFlight);
  }
}
