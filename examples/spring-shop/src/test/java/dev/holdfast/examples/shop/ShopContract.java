package dev.holdfast.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.spring.LockInsideTransactionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shop as it runs in production: two instances, each with its own Spring context, Tomcat,
 * connection pool and Redisson client, sharing one database and one {@code redis-server}. Each
 * database the shop supports extends this class once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShopContract {

  /** Products with nothing special about them. */
  private static final List<Long> REGULAR = List.of(1L, 2L, 3L, 4L, 5L);

  private static final long REGULAR_STOCK = 40;

  /** Listed as hot in application.properties: it waits 200 ms for its lock, not 5 s. */
  private static final long HOT = 7;

  private static final long HOT_STOCK = 20;

  /** Given a one-second fixed lease by these tests, so that a transaction can outlive it. */
  private static final long BRIEF = 8;

  private static final long BRIEF_STOCK = 10;
  private static final Duration BRIEF_LEASE = Duration.ofSeconds(1);

  private static final int ORDERS = 200;
  private static final int CLIENTS = 16;
  private static final Duration ORDERS_DEADLINE = Duration.ofSeconds(120);

  /**
   * What an order over HTTP may end as: placed, or refused with one of the shop's or Holdfast's
   * typed outcomes (a LockBackendException is Redis not answering in time, which a busy machine can
   * cause); anything else, a 500 above all, fails the test.
   */
  private static final Set<String> TYPED_OUTCOMES =
      Set.of(
          "placed",
          "OutOfStockException",
          "StaleFencingTokenException",
          "LockNotAcquiredException",
          "LockLostException",
          "LockBackendException",
          "LockInterruptedException");

  private ShopDatabase database;
  private ShopInstance first;
  private ShopInstance second;

  /** A database of the test's own, on the server the subclass tests. */
  abstract ShopDatabase openDatabase();

  @BeforeAll
  final void startTwoInstances() {
    database = openDatabase();
    Map<String, String> properties =
        Map.of(
            "holdfast.policies.brief.pattern", OrderService.PRODUCT_LOCK_PREFIX + BRIEF,
            "holdfast.policies.brief.lease-time", BRIEF_LEASE.toMillis() + "ms",
            "holdfast.policies.brief.lease-mode", "fixed");
    // One after the other: both run schema.sql, and concurrent CREATE TABLE IF NOT EXISTS can
    // collide on PostgreSQL.
    first = ShopInstance.start(database, SharedRedis.server(), properties);
    second = ShopInstance.start(database, SharedRedis.server(), properties);
  }

  @AfterAll
  final void stopInstances() {
    try {
      second.close();
    } finally {
      try {
        first.close();
      } finally {
        database.close();
      }
    }
  }

  @BeforeEach
  final void stockUp() {
    JdbcClient jdbc = first.bean(JdbcClient.class);
    jdbc.sql("DELETE FROM order_line").update();
    jdbc.sql("DELETE FROM purchase_order").update();
    jdbc.sql("DELETE FROM product").update();
    initialStock()
        .forEach(
            (id, stock) ->
                jdbc.sql(
                        "INSERT INTO product (id, name, stock, fencing_token)"
                            + " VALUES (:id, :name, :stock, 0)")
                    .param("id", id)
                    .param("name", "product " + id)
                    .param("stock", stock)
                    .update());
  }

  @Test
  void twoInstancesSellEveryUnitOnceUnderConcurrentOrdersInRandomKeyOrders()
      throws InterruptedException {
    long seed = System.nanoTime();
    List<List<OrderLine>> orders = randomOrders(new Random(seed));
    ConcurrentMap<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    ConcurrentMap<Long, AtomicLong> soldPerReplies = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long started = System.nanoTime();

    for (int i = 0; i < orders.size(); i++) {
      ShopClient instance = (i % 2 == 0 ? first : second).http();
      String orderId = "load-" + i;
      List<OrderLine> lines = orders.get(i);
      clients.execute(
          () -> {
            ShopClient.Reply reply = instance.placeOrder(orderId, lines);
            outcomes
                .computeIfAbsent(reply.outcome(), outcome -> new AtomicLong())
                .incrementAndGet();
            if (reply.status() == 201) {
              lines.forEach(
                  line ->
                      soldPerReplies
                          .computeIfAbsent(line.productId(), id -> new AtomicLong())
                          .addAndGet(line.quantity()));
            }
          });
    }
    clients.shutdown();
    boolean finished = clients.awaitTermination(ORDERS_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    clients.shutdownNow();

    SortedMap<Long, Long> left = stock();
    SortedMap<Long, Long> sold = unitsSold();
    System.out.printf(
        "%s: %d orders over HTTP from %d clients to two instances in %d ms (seed %d): %s;"
            + " sold %s, left %s%n",
        getClass().getSimpleName(),
        ORDERS,
        CLIENTS,
        took.toMillis(),
        seed,
        new TreeMap<>(outcomes),
        sold,
        left);
    assertThat(finished)
        .as("every order answered within %s (no deadlock)", ORDERS_DEADLINE)
        .isTrue();
    assertThat(outcomes.keySet()).as("outcomes, seed %d", seed).isSubsetOf(TYPED_OUTCOMES);
    assertThat(outcomes.values().stream().mapToLong(AtomicLong::get).sum()).isEqualTo(ORDERS);
    initialStock()
        .forEach(
            (id, initial) -> {
              long soldOfProduct = sold.getOrDefault(id, 0L);
              assertThat(left.get(id)).as("left of product %d", id).isNotNegative();
              assertThat(soldOfProduct + left.get(id))
                  .as("sold + left of product %d, seed %d", id, seed)
                  .isEqualTo(initial);
              AtomicLong replied = soldPerReplies.get(id);
              assertThat(replied == null ? 0 : replied.get())
                  .as("units of product %d in 201 replies", id)
                  .isEqualTo(soldOfProduct);
            });
    assertThat(orderCount()).isEqualTo(outcomes.getOrDefault("placed", new AtomicLong()).get());
  }

  @Test
  void anOrderSumsTheLinesOfAProductAndAnswers201WithTheOrder() {
    ShopClient.Reply reply =
        first
            .http()
            .placeOrder(
                "summed", List.of(new OrderLine(1, 2), new OrderLine(3, 1), new OrderLine(1, 1)));

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.body()).containsEntry("id", "summed");
    assertThat(reply.lines()).containsExactly(new OrderLine(1, 3), new OrderLine(3, 1));
    assertThat(second.http().product(1).number("stock")).isEqualTo(REGULAR_STOCK - 3);
    assertThat(second.http().product(3).number("stock")).isEqualTo(REGULAR_STOCK - 1);
  }

  @Test
  void anOrderOneProductCannotFillAnswers409AndWritesNothing() {
    ShopClient.Reply reply =
        first
            .http()
            .placeOrder(
                "too-many",
                List.of(new OrderLine(1, 1), new OrderLine(2, (int) REGULAR_STOCK + 1)));

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.outcome()).isEqualTo("OutOfStockException");
    assertThat(reply.number("productId")).isEqualTo(2);
    assertThat(reply.number("available")).isEqualTo(REGULAR_STOCK);
    assertThat(stock()).isEqualTo(initialStock());
    assertThat(orderCount()).isZero();
  }

  @Test
  void anOrderForAnUnknownProductAnswers422AndWritesNothing() {
    ShopClient.Reply reply =
        first.http().placeOrder("unknown", List.of(new OrderLine(1, 1), new OrderLine(99, 1)));

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.outcome()).isEqualTo("UnknownProductException");
    assertThat(stock()).isEqualTo(initialStock());
    assertThat(orderCount()).isZero();
  }

  @Test
  void anOrderWithAHotProductWaitsOnlyTheHotPolicysWait() {
    OrderService orders = first.bean(OrderService.class);
    LockTemplate otherInstance = second.bean(LockTemplate.class);

    Throwable thrown =
        LockHolder.whileHeld(
            otherInstance,
            OrderService.PRODUCT_LOCK_PREFIX + HOT,
            () ->
                catchThrowable(
                    () ->
                        orders.createOrder(
                            "hot", List.of(new OrderLine(1, 1), new OrderLine(HOT, 1)))));

    assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
    LockNotAcquiredException busy = (LockNotAcquiredException) thrown;
    assertThat(busy.blockingKeys()).containsExactly(OrderService.PRODUCT_LOCK_PREFIX + HOT);
    assertThat(busy.waited())
        .isGreaterThanOrEqualTo(Duration.ofMillis(200))
        .isLessThan(Duration.ofSeconds(2));
    assertThat(stock()).isEqualTo(initialStock());
  }

  @Test
  void anOrderForABusyProductAnswers503WithRetryAfter() {
    LockTemplate otherInstance = second.bean(LockTemplate.class);

    ShopClient.Reply reply =
        LockHolder.whileHeld(
            otherInstance,
            OrderService.PRODUCT_LOCK_PREFIX + HOT,
            () -> first.http().placeOrder("busy", List.of(new OrderLine(HOT, 1))));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.retryAfter()).contains("1");
    assertThat(reply.outcome()).isEqualTo("LockNotAcquiredException");
    assertThat(stock()).isEqualTo(initialStock());
  }

  @Test
  void theTransactionGuardRefusesAnOrderPlacedInsideATransaction() {
    OrderService orders = first.bean(OrderService.class);
    TransactionTemplate transaction = first.bean(TransactionTemplate.class);

    Throwable thrown =
        catchThrowable(
            () ->
                transaction.execute(
                    status -> orders.createOrder("inside", List.of(new OrderLine(1, 1)))));

    assertThat(thrown).isInstanceOf(LockInsideTransactionException.class);
    assertThat(((LockInsideTransactionException) thrown).method()).contains("createOrder");
    assertThat(stock()).isEqualTo(initialStock());
    assertThat(orderCount()).isZero();
  }

  @Test
  void aTransactionThatOutlivesItsLeaseRollsBackAndTheCallerGetsLockLostException() {
    OrderService orders = first.bean(OrderService.class);

    Throwable thrown =
        outliveTheLease(
            () ->
                catchThrowable(
                    () -> orders.createOrder("outlived", List.of(new OrderLine(BRIEF, 1)))));

    assertThat(thrown).isInstanceOf(LockLostException.class);
    assertThat(((LockLostException) thrown).lostKeys())
        .containsExactly(OrderService.PRODUCT_LOCK_PREFIX + BRIEF);
    assertThat(stock()).isEqualTo(initialStock());
    assertThat(orderCount()).isZero();
  }

  @Test
  void aTransactionThatOutlivesItsLeaseAnswers503SayingItRolledBack() {
    ShopClient.Reply reply =
        outliveTheLease(
            () -> first.http().placeOrder("outlived-http", List.of(new OrderLine(BRIEF, 1))));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.outcome()).isEqualTo("LockLostException");
    assertThat(String.valueOf(reply.body().get("detail"))).contains("rolled back");
    assertThat(reply.retryAfter()).contains("1");
    assertThat(stock()).isEqualTo(initialStock());
    assertThat(orderCount()).isZero();
  }

  /**
   * Runs {@code order}, an order of the {@link #BRIEF} product, while the test holds that product's
   * row locked in the database, as a slow statement would: the order takes its lock and then waits
   * in its claim on the row. Once the lease has ended (another client can take the key), the test
   * lets the row go, and the order's transaction goes on to write and reach its commit.
   */
  private <T> T outliveTheLease(Supplier<T> order) {
    String key = OrderService.PRODUCT_LOCK_PREFIX + BRIEF;
    LockTemplate otherInstance = second.bean(LockTemplate.class);
    try (Connection rowHolder = database.connect()) {
      rowHolder.setAutoCommit(false);
      try (PreparedStatement lockRow =
          rowHolder.prepareStatement("SELECT stock FROM product WHERE id = ? FOR UPDATE")) {
        lockRow.setLong(1, BRIEF);
        lockRow.executeQuery().close();
      }
      CompletableFuture<T> placing = CompletableFuture.supplyAsync(order);

      await("the order holds " + key)
          .atMost(Duration.ofSeconds(10))
          .until(() -> !isFree(otherInstance, key));
      await("the lease of " + key + " ended")
          .atMost(BRIEF_LEASE.multipliedBy(10))
          .until(() -> isFree(otherInstance, key));
      rowHolder.rollback();

      return placing.orTimeout(10, TimeUnit.SECONDS).join();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not hold product " + BRIEF + "'s row", e);
    }
  }

  /** Whether {@code key} can be taken at once: taken and given back, or held by someone. */
  private static boolean isFree(LockTemplate locks, String key) {
    try {
      return locks.executeWithLock(key, Duration.ZERO, Duration.ofSeconds(1), held -> true);
    } catch (LockNotAcquiredException e) {
      return false;
    }
  }

  private static SortedMap<Long, Long> initialStock() {
    SortedMap<Long, Long> stock = new TreeMap<>();
    REGULAR.forEach(id -> stock.put(id, REGULAR_STOCK));
    stock.put(HOT, HOT_STOCK);
    stock.put(BRIEF, BRIEF_STOCK);
    return stock;
  }

  /**
   * Orders of one to three lines of one to three units, over the regular and the hot products; a
   * product may appear on two lines, and lines come in any order.
   */
  private static List<List<OrderLine>> randomOrders(Random random) {
    List<Long> products = new ArrayList<>(REGULAR);
    products.add(HOT);
    List<List<OrderLine>> orders = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      List<OrderLine> lines = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      for (int line = 0; line < count; line++) {
        lines.add(
            new OrderLine(products.get(random.nextInt(products.size())), 1 + random.nextInt(3)));
      }
      orders.add(List.copyOf(lines));
    }
    return orders;
  }

  private SortedMap<Long, Long> stock() {
    return longs("SELECT id, stock FROM product");
  }

  private SortedMap<Long, Long> unitsSold() {
    return longs("SELECT product_id, SUM(quantity) FROM order_line GROUP BY product_id");
  }

  private long orderCount() {
    return first
        .bean(JdbcClient.class)
        .sql("SELECT COUNT(*) FROM purchase_order")
        .query(Long.class)
        .single();
  }

  private SortedMap<Long, Long> longs(String sql) {
    SortedMap<Long, Long> values = new TreeMap<>();
    first
        .bean(JdbcClient.class)
        .sql(sql)
        .query(
            row -> {
              values.put(row.getLong(1), row.getLong(2));
            });
    return values;
  }
}
