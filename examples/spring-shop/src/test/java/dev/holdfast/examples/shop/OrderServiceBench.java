package dev.holdfast.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The order service end to end, Holdfast's {@code @DistributedLock} against the seeds' sorted-RLock
 * aspect: two shop instances on one MariaDB database of the run's own and one {@code redis-server}
 * of its own, 32 callers (16 per instance) placing orders of 1 to 3 of 10 products, one unit each,
 * for {@code shop.bench.seconds} (15) after {@code shop.bench.warmup} (5) seconds, alternating
 * contenders for {@code shop.bench.rounds} (2) rounds. Prints orders/s, p50 and p99 per round and
 * their ratios (refusals after the whole wait, and Redis replies later than the clients wait, are
 * counted, not timed), and writes them to {@code target/order-benchmark.md}.
 *
 * <p>A benchmark, not a test: its name keeps it out of the build's test run. {@code
 * examples/spring-shop/run-order-benchmark.sh} runs it. It asserts only that the run was valid (no
 * caller failed otherwise, no unit sold twice), never a speed.
 */
final class OrderServiceBench {

  private static final int CALLERS = 32;
  private static final int PRODUCTS = 10;
  private static final long STOCK = 10_000_000;

  /**
   * The shop's hot product 7 waits 200 ms; here every product waits 5 s, as the seeds' do. Holdfast
   * waits for Redis's replies as long as Redisson's default {@code timeout} lets the seeds' locks.
   */
  private static final Map<String, String> PROPERTIES =
      Map.of(
          "holdfast.policies.hot-7.wait-time", "5s",
          "holdfast.redis.response-timeout", "3s");

  private record Contender(String name, OrderPlacer placer) {}

  @FunctionalInterface
  private interface OrderPlacer {
    void place(ShopInstance instance, String orderId, List<OrderLine> lines);
  }

  /**
   * One contender's measured run.
   *
   * @param reserveMillis the mean time of the inventory's transaction, which runs under the locks
   */
  private record Round(
      String contender,
      long orders,
      long busy,
      long storeFailures,
      double seconds,
      long[] nanos,
      double reserveMillis) {
    double ordersPerSecond() {
      return orders / seconds;
    }

    double percentileMillis(double percentile) {
      if (nanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(percentile / 100 * nanos.length) - 1;
      return nanos[Math.max(0, index)] / 1e6;
    }
  }

  @Test
  void holdfastAgainstTheSeedsSortedRLockAspect() throws Exception {
    int seconds = Integer.getInteger("shop.bench.seconds", 15);
    int warmup = Integer.getInteger("shop.bench.warmup", 5);
    int rounds = Integer.getInteger("shop.bench.rounds", 2);
    List<Contender> contenders =
        List.of(
            new Contender(
                "Holdfast `@DistributedLock`",
                (shop, id, lines) -> shop.bean(OrderService.class).createOrder(id, lines)),
            new Contender(
                "seeds' sorted-`RLock` aspect",
                (shop, id, lines) -> shop.bean(SeedsOrderService.class).createOrder(id, lines)));
    List<Round> results = new ArrayList<>();
    try (RedisServer redis = RedisServer.start();
        ShopDatabase database = ShopDatabase.mariaDb();
        ShopInstance first =
            ShopInstance.start(database, redis, PROPERTIES, List.of(OrderBenchBeans.class));
        ShopInstance second =
            ShopInstance.start(database, redis, PROPERTIES, List.of(OrderBenchBeans.class))) {
      List<ShopInstance> shops = List.of(first, second);
      for (int round = 0; round < rounds; round++) {
        for (Contender contender : contenders) {
          JdbcClient jdbc = first.bean(JdbcClient.class);
          stockUp(jdbc);
          run(contender, shops, warmup);
          Round measured = run(contender, shops, seconds);
          assertNothingSoldTwice(jdbc);
          results.add(measured);
          System.out.printf(
              Locale.ROOT,
              "%s: %.0f orders/s, p50 %.1f ms, p99 %.1f ms, %d busy, %d Redis timeouts,"
                  + " transaction %.1f ms%n",
              measured.contender(),
              measured.ordersPerSecond(),
              measured.percentileMillis(50),
              measured.percentileMillis(99),
              measured.busy(),
              measured.storeFailures(),
              measured.reserveMillis());
        }
      }
    }
    String table = table(results, contenders.size(), seconds, warmup);
    System.out.print(table);
    Path out = Path.of("target", "order-benchmark.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
  }

  private static void stockUp(JdbcClient jdbc) {
    jdbc.sql("DELETE FROM order_line").update();
    jdbc.sql("DELETE FROM purchase_order").update();
    jdbc.sql("DELETE FROM product").update();
    for (long id = 1; id <= PRODUCTS; id++) {
      jdbc.sql(
              "INSERT INTO product (id, name, stock, fencing_token)"
                  + " VALUES (:id, :name, :stock, 0)")
          .param("id", id)
          .param("name", "product " + id)
          .param("stock", STOCK)
          .update();
    }
  }

  /** Every unit sold left the stock exactly once: the locks excluded each other. */
  private static void assertNothingSoldTwice(JdbcClient jdbc) {
    long left = jdbc.sql("SELECT SUM(stock) FROM product").query(Long.class).single();
    long sold =
        jdbc.sql("SELECT COALESCE(SUM(quantity), 0) FROM order_line").query(Long.class).single();
    assertThat(left + sold).as("stock left + units sold").isEqualTo(PRODUCTS * STOCK);
  }

  private static Round run(Contender contender, List<ShopInstance> shops, int seconds)
      throws InterruptedException {
    AtomicLong busy = new AtomicLong();
    AtomicLong storeFailures = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<long[]> latencies = new ArrayList<>();
    long[] counts = new long[CALLERS];
    CountDownLatch done = new CountDownLatch(CALLERS);
    ReserveTimer.reset();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    for (int c = 0; c < CALLERS; c++) {
      int caller = c;
      long[][] mine = {new long[1024]};
      Thread thread =
          new Thread(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                ShopInstance shop = shops.get(caller % shops.size());
                try {
                  while (System.nanoTime() < end && failure.get() == null) {
                    List<OrderLine> lines = randomLines(random);
                    String id = "c" + caller + "-" + counts[caller] + "-" + random.nextInt();
                    long before = System.nanoTime();
                    try {
                      contender.placer().place(shop, id, lines);
                    } catch (LockNotAcquiredException | SortedRLockAspect.ProductsBusyException e) {
                      busy.incrementAndGet();
                      continue;
                    } catch (LockBackendException | RedisException e) {
                      // Redis answered later than the client waits: an outage, not a bug.
                      storeFailures.incrementAndGet();
                      continue;
                    }
                    long took = System.nanoTime() - before;
                    int n = (int) counts[caller]++;
                    if (n == mine[0].length) {
                      mine[0] = Arrays.copyOf(mine[0], n * 2);
                    }
                    mine[0][n] = took;
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                } finally {
                  synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], (int) counts[caller]));
                  }
                  done.countDown();
                }
              },
              "caller-" + caller);
      thread.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    assertThat(failure.get()).as("a caller's failure").isNull();
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Round(
        contender.name(),
        all.length,
        busy.get(),
        storeFailures.get(),
        elapsed,
        all,
        ReserveTimer.meanMillis());
  }

  /** One to three distinct products of ten, one unit each. */
  private static List<OrderLine> randomLines(ThreadLocalRandom random) {
    int count = 1 + random.nextInt(3);
    List<OrderLine> lines = new ArrayList<>(count);
    while (lines.size() < count) {
      long product = 1 + random.nextInt(PRODUCTS);
      if (lines.stream().noneMatch(line -> line.productId() == product)) {
        lines.add(new OrderLine(product, 1));
      }
    }
    return lines;
  }

  private static String table(List<Round> results, int contenders, int seconds, int warmup) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Order service, two instances, MariaDB, %d callers, orders of 1 to 3 of %d products;"
                + " %d s measured after %d s warm-up per round%n%n",
            CALLERS,
            PRODUCTS,
            seconds,
            warmup));
    out.append(
        "| round | contender | orders/s | p50 ms | p99 ms | busy | Redis timeouts"
            + " | transaction ms | ratio | p99 ratio |\n");
    out.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < results.size(); i++) {
      Round round = results.get(i);
      Round holdfast = results.get(i - i % contenders);
      boolean isPeer = i % contenders != 0;
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %,.0f | %.1f | %.1f | %d | %d | %.1f | %s | %s |%n",
              i / contenders + 1,
              round.contender(),
              round.ordersPerSecond(),
              round.percentileMillis(50),
              round.percentileMillis(99),
              round.busy(),
              round.storeFailures(),
              round.reserveMillis(),
              isPeer
                  ? String.format(
                      Locale.ROOT, "%.2f×", holdfast.ordersPerSecond() / round.ordersPerSecond())
                  : "",
              isPeer
                  ? String.format(
                      Locale.ROOT,
                      "%.2f×",
                      holdfast.percentileMillis(99) / round.percentileMillis(99))
                  : ""));
    }
    return out.toString();
  }
}
