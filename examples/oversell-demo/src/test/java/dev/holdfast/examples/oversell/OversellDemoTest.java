package dev.holdfast.examples.oversell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.examples.inventory.Order;
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
    RunSettings settings = settings("race", 1, 6, threads);
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
  void underSharedRedisLocksAndRedisHeldStockInstancesNeverOversell() throws Exception {
    RunSettings settings = settings("shared", 3, 10, 60);
    DemoRun run =
        new DemoRun(
            settings,
            redis.address(),
            List.of(Strategy.HOLDFAST, Strategy.MULTI_LOCK, Strategy.REDIS_STOCK),
            20);

    List<StrategyResult> results;
    try (DemoRun.Instances instances = run.inProcess(3, 9, order -> Thread.yield())) {
      results = run.run(settings.jdbcUrl(), instances, strategy -> DemoRun.QUIET);
    }

    assertThat(results).hasSize(3);
    for (StrategyResult result : results) {
      assertThat(result.oversold()).as(result.strategy().label()).isZero();
      assertThat(result.balanced()).as(result.strategy().label()).isTrue();
      assertThat(result.unitsSold()).as(result.strategy().label()).isEqualTo(30);
      assertThat(result.tally().rejected()).as(result.strategy().label()).isPositive();
    }
  }

  @Test
  void acrossRealProcessesTheSharedLockNeverOversells() {
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
            "60",
            "--redis",
            redis.address());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    for (String label : List.of("Holdfast lock (Redis)", "RedissonMultiLock (hand-written)")) {
      long[] row = numbersOfRow(run.out(), label);
      long sold = row[row.length - 6];
      long left = row[row.length - 5];
      long oversold = row[row.length - 4];
      assertThat(oversold).as(label).isZero();
      assertThat(sold + left).as(label).isEqualTo(30);
    }
    assertThat(run.out()).contains("2 service processes");
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

  private static RunSettings settings(String name, int products, long stock, int orders) {
    return new RunSettings(
        "jdbc:h2:mem:oversell-test-" + name + ";DB_CLOSE_DELAY=-1",
        "t_" + name + "_",
        "test-" + name + "-" + System.nanoTime() + ":",
        products,
        stock,
        orders,
        42);
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
