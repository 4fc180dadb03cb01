package dev.holdfast.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.examples.inventory.OrderService.Fencing;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * What the inventory example promises, run against each database it supports: one subclass per
 * database names it and its pool.
 */
abstract class InventoryContract {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final long TIMEOUT_SECONDS = 20;

  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private TestDatabase database;

  /** Opens a pool of {@code poolSize} connections to this class's database, or aborts the test. */
  abstract TestDatabase openDatabase(int poolSize);

  @BeforeEach
  void openDefaultDatabase() {
    database = openDatabase(8);
  }

  @AfterEach
  void closeEverything() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (AutoCloseable closeable : closeAfter) {
      closeable.close();
    }
    database.close();
  }

  @Test
  void placesAnOrderDeductingEveryProductWithRepeatedLinesSummed() throws Exception {
    Inventory inventory = inventoryWithStock(database.inventory(), Map.of(1L, 10L, 2L, 10L));
    OrderService orders = jvmLocked(inventory);

    OrderConfirmation confirmation =
        orders.placeOrder(order("o-1", line(1, 2), line(2, 1), line(1, 3)));

    assertThat(confirmation).isEqualTo(new OrderConfirmation("o-1", 6));
    assertThat(inventory.stock()).containsExactly(Map.entry(1L, 5L), Map.entry(2L, 9L));
    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 5L), Map.entry(2L, 1L));
    assertThat(inventory.orderCount()).isEqualTo(1);
  }

  @Test
  void refusesAnOrderItCannotFillAndWritesNothingOfIt() {
    Inventory inventory = inventoryWithStock(database.inventory(), Map.of(1L, 10L, 2L, 1L));
    OrderService orders = jvmLocked(inventory);

    assertThatThrownBy(() -> orders.placeOrder(order("o-1", line(1, 4), line(2, 1), line(2, 1))))
        .isInstanceOfSatisfying(
            OutOfStockException.class,
            e -> {
              assertThat(e.productId()).isEqualTo(2);
              assertThat(e.requested()).isEqualTo(2);
              assertThat(e.available()).isEqualTo(1);
            });

    assertThat(inventory.stock()).containsExactly(Map.entry(1L, 10L), Map.entry(2L, 1L));
    assertThat(inventory.orderCount()).isZero();
  }

  @Test
  void withoutALockOrdersThatReadTheSameStockAllSellIt() throws Exception {
    int orders = 4;
    CyclicBarrier allHaveRead = new CyclicBarrier(orders);
    Inventory inventory =
        inventoryWithStock(
            database.inventory().afterStockRead(order -> await(allHaveRead)), Map.of(1L, 2L));

    List<Future<OrderConfirmation>> placed = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      Order order = order("o-" + i, line(1, 1));
      placed.add(threads.submit(() -> inventory.placeOrder(order, Map.of())));
    }
    for (Future<OrderConfirmation> confirmation : placed) {
      confirmation.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    // Every order read a stock of 2 and wrote 1: four units sold out of two.
    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 4L));
    assertThat(inventory.stock()).containsExactly(Map.entry(1L, 1L));
  }

  @Test
  void underTheSharedLockNoTwoOrdersOfTwoInstancesAreBetweenReadAndWriteOfOneProduct()
      throws Exception {
    ExclusionProbe probe = new ExclusionProbe();
    Inventory inventory =
        inventoryWithStock(
            database.inventory().afterStockRead(probe), Map.of(1L, 12L, 2L, 12L, 3L, 12L));
    List<OrderService> instances =
        List.of(
            redisLocked(inventory, SharedRedis.first()),
            redisLocked(inventory, SharedRedis.second()));
    Random random = new Random(7);
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      orders.add(
          order(
              "o-" + i,
              line(1 + random.nextInt(3), 1 + random.nextInt(2)),
              line(1 + random.nextInt(3), 1)));
    }

    int rejected = placeAtOnce(orders, i -> instances.get(i % 2));

    assertThat(probe.mostInFlightOnOneProduct()).isEqualTo(1);
    SortedMap<Long, Long> sold = inventory.unitsSold();
    SortedMap<Long, Long> left = inventory.stock();
    for (long product = 1; product <= 3; product++) {
      assertThat(sold.getOrDefault(product, 0L) + left.get(product))
          .as("sold + left of product %d", product)
          .isEqualTo(12);
    }
    assertThat(rejected).as("orders beyond the stock are rejected").isPositive();
    assertThat(inventory.orderCount()).isEqualTo(40 - rejected);
  }

  @Test
  void aHolderWhoseLeaseEndedAndWasOvertakenIsRefusedAndWritesNothing() throws Exception {
    Inventory inventory = inventoryWithStock(database.inventory(), Map.of(1L, 10L));
    CountDownLatch staleHasTheLock = new CountDownLatch(1);
    CountDownLatch successorCommitted = new CountDownLatch(1);
    RedissonLockProvider firstProvider = redisProvider(SharedRedis.first());
    // The stale holder pauses after taking its lock and before its transaction (a GC pause, say)
    // until its 200 ms lease has ended and the successor has sold.
    LockTemplate pausingAfterAcquiring =
        LockTemplate.builder(firstProvider)
            .listener(
                new LockListener() {
                  @Override
                  public void onAcquired(LockRequest request, Duration waited) {
                    staleHasTheLock.countDown();
                    await(successorCommitted);
                  }
                })
            .build();
    OrderService stale =
        new OrderService(
            pausingAfterAcquiring, inventory, Fencing.TOKENS, WAIT, Duration.ofMillis(200));
    OrderService successor = redisLocked(inventory, SharedRedis.second());

    Future<OrderConfirmation> staleOrder =
        threads.submit(() -> stale.placeOrder(order("stale", line(1, 3))));
    assertThat(staleHasTheLock.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    successor.placeOrder(order("successor", line(1, 2)));
    successorCommitted.countDown();

    assertThatThrownBy(() -> staleOrder.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StaleFencingTokenException.class, e -> assertThat(e.orderId()).isEqualTo("stale"));
    assertThat(inventory.stock()).containsExactly(Map.entry(1L, 8L));
    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 2L));
    assertThat(inventory.orderCount()).isEqualTo(1);
  }

  @Test
  void aSuccessorReadsOnlyAfterTheOlderHolderInsideItsTransactionCommittedAndIsNotRefused()
      throws Exception {
    // The older holder (token 5) claimed and read the row, then its lease ended; the successor
    // (token 6) starts while the older one is still inside its transaction.
    CountDownLatch olderHasRead = new CountDownLatch(1);
    CountDownLatch successorHasRead = new CountDownLatch(1);
    AtomicBoolean successorReadDuringOlderTransaction = new AtomicBoolean();
    Inventory inventory =
        inventoryWithStock(
            database
                .inventory()
                .afterStockRead(
                    order -> {
                      if (order.id().equals("older")) {
                        olderHasRead.countDown();
                        successorReadDuringOlderTransaction.set(
                            awaitAtMost(successorHasRead, Duration.ofMillis(500)));
                      } else {
                        successorHasRead.countDown();
                      }
                    }),
            Map.of(1L, 10L));

    Future<OrderConfirmation> older =
        threads.submit(() -> inventory.placeOrder(order("older", line(1, 3)), Map.of(1L, 5L)));
    assertThat(olderHasRead.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<OrderConfirmation> successor =
        threads.submit(() -> inventory.placeOrder(order("successor", line(1, 2)), Map.of(1L, 6L)));

    assertThat(older.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo(new OrderConfirmation("older", 3));
    assertThat(successor.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo(new OrderConfirmation("successor", 2));
    assertThat(successorReadDuringOlderTransaction)
        .as("the successor read mid-transaction")
        .isFalse();
    assertThat(inventory.stock()).containsExactly(Map.entry(1L, 5L));
    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 5L));
  }

  @Test
  void anOrderWhoseLeaseEndedDuringItsTransactionRollsBackInsteadOfCommitting() throws Exception {
    RedissonLockProvider otherInstance = redisProvider(SharedRedis.second());
    Inventory inventory =
        inventoryWithStock(
            database
                .inventory()
                .afterStockRead(
                    // Returns once another instance got the product's lock: the lease has ended.
                    order ->
                        LockTemplate.of(otherInstance)
                            .runWithLock(
                                OrderService.DEFAULT_KEY_PREFIX + 1, WAIT, LEASE, held -> {})),
            Map.of(1L, 10L));
    RedissonLockProvider provider = redisProvider(SharedRedis.first());
    OrderService shortLease =
        new OrderService(
            LockTemplate.of(provider), inventory, Fencing.TOKENS, WAIT, Duration.ofMillis(200));

    assertThatThrownBy(() -> shortLease.placeOrder(order("late", line(1, 3))))
        .isInstanceOf(LockLostException.class);

    assertThat(inventory.stock()).containsExactly(Map.entry(1L, 10L));
    assertThat(inventory.orderExists("late")).isFalse();
  }

  @Test
  void releasesTheLocksOnlyAfterTheTransactionCommitted() throws Exception {
    Inventory inventory = inventoryWithStock(database.inventory(), Map.of(1L, 5L));
    List<Long> stockSeenAtRelease = new CopyOnWriteArrayList<>();
    LockTemplate locks =
        LockTemplate.builder(InMemoryLockProvider.create())
            .listener(
                new LockListener() {
                  @Override
                  public void onReleased(LockRequest request, Duration held) {
                    stockSeenAtRelease.add(inventory.stock().get(1L));
                  }
                })
            .build();
    OrderService orders = new OrderService(locks, inventory, Fencing.NONE, WAIT, LEASE);

    orders.placeOrder(order("o-1", line(1, 2)));

    assertThat(stockSeenAtRelease).containsExactly(3L);
  }

  @Test
  void anOrderWaitingForItsLocksHoldsNoPooledConnection() throws Exception {
    TestDatabase onePooledConnection = openDatabase(1);
    closeAfter.add(onePooledConnection);
    Inventory inventory = inventoryWithStock(onePooledConnection.inventory(), Map.of(1L, 5L));
    InMemoryLockProvider provider = InMemoryLockProvider.create();
    CountDownLatch orderIsWaiting = new CountDownLatch(1);
    LockTemplate orderLocks =
        LockTemplate.builder(provider)
            .listener(
                new LockListener() {
                  @Override
                  public void onAttempt(LockRequest request) {
                    orderIsWaiting.countDown();
                  }
                })
            .build();
    OrderService orders = new OrderService(orderLocks, inventory, Fencing.NONE, WAIT, LEASE);
    CountDownLatch lockHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    threads.submit(
        () ->
            LockTemplate.of(provider)
                .runWithLock(
                    OrderService.DEFAULT_KEY_PREFIX + 1,
                    WAIT,
                    LEASE,
                    held -> {
                      lockHeld.countDown();
                      await(release);
                    }));
    assertThat(lockHeld.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<OrderConfirmation> waiting =
        threads.submit(() -> orders.placeOrder(order("o-1", line(1, 1))));
    assertThat(orderIsWaiting.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

    try (Connection connection = onePooledConnection.dataSource().getConnection()) {
      assertThat(connection.isValid(1)).isTrue();
    }
    assertThat(waiting).as("the order still waits for its lock").isNotDone();
    release.countDown();

    assertThat(waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .isEqualTo(new OrderConfirmation("o-1", 1));
    assertThat(inventory.stock()).containsExactly(Map.entry(1L, 4L));
  }

  @Test
  void redisHeldStockNeverOversellsAndRecordsEveryOrderItSold() throws Exception {
    Inventory inventory = inventoryWithStock(database.inventory(), Map.of(1L, 6L, 2L, 6L));
    RedisStock stock = new RedisStock(SharedRedis.first(), inventory, uniqueRedisPrefix());
    stock.loadFromInventory();
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      orders.add(order("o-" + i, line(1 + i % 2, 1), line(2 - i % 2, 1)));
    }

    int rejected = placeAtOnce(orders, i -> stock);

    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 6L), Map.entry(2L, 6L));
    assertThat(stock.stock(List.of(1L, 2L))).containsExactly(Map.entry(1L, 0L), Map.entry(2L, 0L));
    assertThat(rejected).isEqualTo(14);
  }

  @Test
  void redisHeldStockTakesNoUnitsForAnOrderIdItTookUnitsForAlready() throws Exception {
    Inventory inventory = inventoryWithStock(database.inventory(), Map.of(1L, 6L));
    RedisStock stock = new RedisStock(SharedRedis.first(), inventory, uniqueRedisPrefix());
    stock.loadFromInventory();
    stock.placeOrder(order("o-1", line(1, 2)));

    assertThatThrownBy(() -> stock.placeOrder(order("o-1", line(1, 2))))
        .as("the order is recorded already")
        .isInstanceOf(StoreException.class);

    assertThat(stock.stock(List.of(1L))).containsExactly(Map.entry(1L, 4L));
    assertThat(inventory.unitsSold()).containsExactly(Map.entry(1L, 2L));
  }

  /** Places every order on its own thread at once; returns how many were out of stock. */
  private int placeAtOnce(List<Order> orders, IntFunction<OrderPlacer> placerOfOrder)
      throws Exception {
    AtomicInteger rejected = new AtomicInteger();
    List<Callable<Void>> burst = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      Order order = orders.get(i);
      OrderPlacer placer = placerOfOrder.apply(i);
      burst.add(
          () -> {
            try {
              placer.placeOrder(order);
            } catch (OutOfStockException e) {
              rejected.incrementAndGet();
            }
            return null;
          });
    }
    for (Future<Void> done : threads.invokeAll(burst)) {
      done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    return rejected.get();
  }

  private static Inventory inventoryWithStock(Inventory.Builder builder, Map<Long, Long> stock) {
    Inventory inventory = builder.build();
    inventory.createTables();
    inventory.resetStock(stock);
    return inventory;
  }

  private static OrderService jvmLocked(Inventory inventory) {
    return new OrderService(
        LockTemplate.of(InMemoryLockProvider.create()), inventory, Fencing.NONE, WAIT, LEASE);
  }

  private OrderService redisLocked(Inventory inventory, RedissonClient client) {
    RedissonLockProvider provider = redisProvider(client);
    assertThat(Fencing.supportedBy(provider)).isEqualTo(Fencing.TOKENS);
    return new OrderService(LockTemplate.of(provider), inventory, Fencing.TOKENS, WAIT, LEASE);
  }

  private RedissonLockProvider redisProvider(RedissonClient client) {
    RedissonLockProvider provider = RedissonLockProvider.builder(client).build();
    closeAfter.add(provider);
    return provider;
  }

  private static String uniqueRedisPrefix() {
    return "stock-" + System.nanoTime() + ":";
  }

  private static Order order(String id, OrderLine... lines) {
    return new Order(id, List.of(lines));
  }

  private static OrderLine line(long productId, int quantity) {
    return new OrderLine(productId, quantity);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("The orders did not all read the stock", e);
    }
  }

  /** Whether {@code latch} opened within {@code most}. */
  private static boolean awaitAtMost(CountDownLatch latch, Duration most) {
    try {
      return latch.await(most.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Waited " + TIMEOUT_SECONDS + " s for " + latch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
