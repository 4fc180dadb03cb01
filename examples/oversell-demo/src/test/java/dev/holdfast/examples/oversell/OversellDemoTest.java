package dev.holdfast.examples.oversell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.examples.inventory.Order;
import dev.holdfast.examples.inventory.OrderLine;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.redisson.api.RedissonClient;
import picocli.CommandLine;

final class OversellDemoTest {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void withoutALockEveryOrderThatReadTheStockBeforeAnyWroteSellsIt() throws Exception {
    // One product, stock for any single order (at most 3 lines of 2 units), one order per thread:
    // every order reads 6 before any writes, so all eight are accepted.
    int threads = 8;
    RunSettings settings = settings("race", 1, 6, threads, false);
    CyclicBarrier allHaveRead = new CyclicBarrier(threads);
    ThreadLocal<Boolean> waited = ThreadLocal.withInitial(() -> false);
    Consumer<Order> firstReadWaitsForTheOthers =
        order -> {
          if (!waited.get()) {
            waited.set(true);
            try {
              allHaveRead.await(20, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException("The orders did not all read the stock", e);
            }
          }
        };
    DemoRun run = new DemoRun(settings, null, List.of(Strategy.NO_LOCK), 0);

    List<StrategyResult> results;
    try (DemoRun.Instances instances = run.inProcess(2, threads, firstReadWaitsForTheOthers)) {
      results = run.run(settings.jdbcUrl(), instances, strategy -> DemoRun.QUIET);
    }

    StrategyResult noLock = results.get(0);
    assertThat(noLock.tally().accepted()).isEqualTo(threads);
    assertThat(noLock.unitsSold()).isGreaterThan(6);
    assertThat(noLock.oversold()).isEqualTo(noLock.unitsSold() - 6);
    assertThat(noLock.balanced()).isFalse();
  }

  @Test
  void underSharedLocksNoTwoOrdersOfOneProductAreInFlightAndNoStrategyOversellsOrFails()
      throws Exception {
    RunSettings settings = settings("shared", 3, 10, 60, true);
    DemoRun run =
        new DemoRun(
            settings,
            redis.address(),
            List.of(
                Strategy.HOLDFAST,
                Strategy.MULTI_LOCK,
                Strategy.JDBC_LOCK,
                Strategy.ROW_LOCKS,
                Strategy.REDIS_STOCK),
            20);

    List<StrategyResult> results;
    try (DemoRun.Instances instances = run.inProcess(3, 9, order -> {})) {
      results = run.run(settings.jdbcUrl(), instances, strategy -> DemoRun.QUIET);
    }

    assertThat(results)
        .extracting(StrategyResult::strategy)
        .containsExactly(
            Strategy.HOLDFAST,
            Strategy.MULTI_LOCK,
            Strategy.MULTI_LOCK,
            Strategy.HOLDFAST,
            Strategy.JDBC_LOCK,
            Strategy.ROW_LOCKS,
            Strategy.REDIS_STOCK);
    for (StrategyResult result : results) {
      assertThat(result.tally().failed()).as(result.label()).isZero();
      assertThat(result.oversold()).as(result.label()).isZero();
      assertThat(result.balanced()).as(result.label()).isTrue();
      // The stock sells out but for a unit or two: which orders come first decides whether a
      // product's last unit goes to an order that also wants a product already sold out (in
      // 200,000 random orderings of this burst, 0.4 % left one or two units of one product).
      assertThat(result.unitsSold()).as(result.label()).isBetween(28L, 30L);
      assertThat(result.tally().rejected()).as(result.label()).isPositive();
      // The Redis-held stock reads no stock in a transaction: the probe never runs for it.
      assertThat(result.mostInFlight())
          .as(result.label())
          .isEqualTo(result.strategy() == Strategy.REDIS_STOCK ? 0 : 1);
    }
  }

  @Test
  void theExclusionProbeSeesTwoOrdersOfOneProductInFlightAtOnce() {
    String keyPrefix = "test-probe-" + System.nanoTime() + ":";
    RedissonClient client = ServiceInstance.connect(redis.address(), 2);
    try {
      ExclusionProbe probe = new ExclusionProbe(client, keyPrefix);
      Order first = new Order("o-1", List.of(new OrderLine(1, 1), new OrderLine(2, 1)));
      Order second = new Order("o-2", List.of(new OrderLine(2, 1)));

      probe.enter(first);
      probe.enter(second);
      probe.leave(second);
      probe.leave(first);

      assertThat(ExclusionProbe.takeMostInFlight(client, keyPrefix)).isEqualTo(2);
      assertThat(ExclusionProbe.takeMostInFlight(client, keyPrefix)).isZero();
    } finally {
      client.getKeys().deleteByPattern(keyPrefix + "*");
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  void acrossRealProcessesTheSharedLocksExcludeAndNeitherOversellsNorFails() {
    Execution run =
        execute(
            "--processes",
            "2",
            "--threads",
            "6",
            "--products",
            "3",
            "--stock",
            "10",
            "--orders",
            "40",
            "--check-exclusion",
            "--redis",
            redis.address());

    // Exit code 0 includes: no lock row failed an order or let two orders of a product in at once.
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    for (String label :
        List.of(
            "Holdfast lock (Redis) #1",
            "Holdfast lock (Redis) #2",
            "RedissonMultiLock (hand-written) #1",
            "RedissonMultiLock (hand-written) #2")) {
      long[] row = numbersOfRow(run.out(), label);
      long failed = row[2];
      long sold = row[3];
      long left = row[4];
      long oversold = row[5];
      assertThat(failed).as(label).isZero();
      assertThat(oversold).as(label).isZero();
      assertThat(sold + left).as(label).isEqualTo(30);
    }
    assertThat(run.out()).contains("2 service processes").contains("x the orders/s");
  }

  @Test
  void badOptionsGetAOneLineErrorAndTheUsage() {
    StringWriter err = new StringWriter();
    CommandLine demo = OversellDemo.commandLine();
    demo.setErr(new PrintWriter(err));

    int exitCode = demo.execute("--products", "0");

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString().lines().findFirst()).hasValue("--products must be 1 to 10000, was 0");
    assertThat(err.toString()).contains("Usage: oversell-demo");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--processes 0            | --processes must be 1 to 32, was 0",
        "--processes 33           | --processes must be 1 to 32, was 33",
        "--redis http://127.0.0.1 | --redis must start with redis:// or rediss://, was http://127.0.0.1",
        "--jdbc-url postgres://db | --jdbc-url must start with jdbc:, was postgres://db"
      })
  void rejectsAnOptionOutOfRangeOrOfTheWrongKindNamingItAndTheValue(String args, String error) {
    Execution run = execute(args.split(" ", -1));

    assertThat(run.exitCode()).isEqualTo(OversellDemo.BAD_OPTIONS);
    assertThat(run.err().lines().findFirst()).hasValue(error);
  }

  @Test
  void instancesAndProcessesAreAlternatives() {
    Execution run = execute("--instances", "2", "--processes", "2");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("mutually exclusive").contains("Usage: oversell-demo");
  }

  @Test
  void onlyAJvmLockWithOneInstanceAndTheSharedStrategiesMustNeverOversell() {
    assertThat(Strategy.NO_LOCK.mustNotOversell(1)).isFalse();
    assertThat(Strategy.JVM_LOCK.mustNotOversell(1)).isTrue();
    assertThat(Strategy.JVM_LOCK.mustNotOversell(2)).isFalse();
    assertThat(Strategy.HOLDFAST.mustNotOversell(4)).isTrue();
    assertThat(Strategy.MULTI_LOCK.mustNotOversell(4)).isTrue();
    assertThat(Strategy.REDIS_STOCK.mustNotOversell(4)).isTrue();
    assertThat(Strategy.JDBC_LOCK.mustNotOversell(4)).isTrue();
    assertThat(Strategy.ROW_LOCKS.mustNotOversell(4)).isTrue();
  }

  private record Execution(int exitCode, String out, String err) {}

  private static Execution execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine demo = OversellDemo.commandLine();
    demo.setOut(new PrintWriter(out));
    demo.setErr(new PrintWriter(err));
    int exitCode = demo.execute(args);
    return new Execution(exitCode, out.toString(), err.toString());
  }

  private static RunSettings settings(
      String name, int products, long stock, int orders, boolean checkExclusion) {
    return new RunSettings(
        "jdbc:h2:mem:oversell-test-" + name + ";DB_CLOSE_DELAY=-1",
        null,
        "t_" + name + "_",
        "test-" + name + "-" + System.nanoTime() + ":",
        products,
        stock,
        orders,
        42,
        checkExclusion);
  }

  /** The numbers of the table row that starts with {@code label}. */
  private static long[] numbersOfRow(String table, String label) {
    String row =
        table
            .lines()
            .filter(line -> line.startsWith(label))
            .findFirst()
            .orElseThrow(() -> new AssertionError("No row " + label + " in\n" + table));
    return Arrays.stream(row.substring(label.length()).trim().split("\\s+", -1))
        .mapToLong(field -> Math.round(Double.parseDouble(field)))
        .toArray();
  }
}
