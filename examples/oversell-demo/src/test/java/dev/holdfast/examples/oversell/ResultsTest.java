package dev.holdfast.examples.oversell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How the demo judges and shows a run's results, on results made up for the purpose. */
final class ResultsTest {

  private static final long STOCK = 10;

  @Test
  void countsOnlyTheUnitsSoldBeyondEachProductsStockAsOversold() {
    StrategyResult result =
        result(Strategy.NO_LOCK, Map.of(1L, 13L, 2L, 4L), Map.of(1L, 1L, 2L, 6L));

    assertThat(result.oversold()).isEqualTo(3);
    assertThat(result.unitsSold()).isEqualTo(17);
    assertThat(result.balanced()).isFalse();
  }

  @Test
  void exitsWithOversoldWhenASharedStrategyOversoldButNotForNoLock() {
    StrategyResult noLockOversold = result(Strategy.NO_LOCK, Map.of(1L, 12L), Map.of(1L, 0L));
    StrategyResult holdfastOversold = result(Strategy.HOLDFAST, Map.of(1L, 12L), Map.of(1L, 0L));
    StrategyResult holdfastExact = result(Strategy.HOLDFAST, Map.of(1L, 10L), Map.of(1L, 0L));

    assertThat(OversellDemo.exitCode(List.of(noLockOversold, holdfastExact), 4)).isZero();
    assertThat(OversellDemo.exitCode(List.of(noLockOversold, holdfastOversold), 4))
        .isEqualTo(OversellDemo.OVERSOLD);
  }

  @Test
  void exitsWithOversoldWhenASharedStrategyLostUnitsWithoutOverselling() {
    StrategyResult lostUnits = result(Strategy.REDIS_STOCK, Map.of(1L, 6L), Map.of(1L, 3L));

    assertThat(OversellDemo.exitCode(List.of(lostUnits), 4)).isEqualTo(OversellDemo.OVERSOLD);
  }

  @Test
  void aJvmLockMustNotOversellWithOneInstanceOnly() {
    StrategyResult jvmOversold = result(Strategy.JVM_LOCK, Map.of(1L, 12L), Map.of(1L, 0L));

    assertThat(OversellDemo.exitCode(List.of(jvmOversold), 4)).isZero();
    assertThat(OversellDemo.exitCode(List.of(jvmOversold), 1)).isEqualTo(OversellDemo.OVERSOLD);
  }

  @Test
  void withoutRedisTheNotesSayHowToAddTheRedisRows() {
    String notes = OversellDemo.notes(List.of(), 4, true);

    assertThat(notes).contains("apt-get install redis-server").contains("--redis redis://");
  }

  @Test
  void theTableHasOneRowPerStrategyUnderTheHeaders() {
    String table =
        ResultTable.format(
            List.of(
                result(Strategy.NO_LOCK, Map.of(1L, 12L), Map.of(1L, 0L)),
                result(Strategy.HOLDFAST, Map.of(1L, 10L), Map.of(1L, 0L))));

    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("strategy").contains("OVERSOLD").endsWith("p99 ms");
    // accepted, rejected, failed, sold, left, oversold, orders/s, p50 ms, p99 ms
    assertThat(lines.get(2).split("\\s+", -1))
        .containsExactly("no", "lock", "1", "0", "0", "12", "0", "2", "1", "1.00", "1.00");
    assertThat(lines.get(3)).startsWith("Holdfast lock (Redis)");
  }

  @Test
  void aProductWithoutAStockLeftIsNotBalanced() {
    StrategyResult missingProductTwo =
        row(Strategy.HOLDFAST, 0, tally(1, Map.of()), 2, Map.of(1L, 10L), Map.of(1L, 0L), 0);
    StrategyResult bothProducts =
        row(
            Strategy.HOLDFAST,
            0,
            tally(1, Map.of()),
            2,
            Map.of(1L, 10L),
            Map.of(1L, 0L, 2L, 10L),
            0);

    assertThat(missingProductTwo.balanced()).isFalse();
    assertThat(bothProducts.balanced()).isTrue();
  }

  @Test
  void aSharedStrategyThatFailedOrdersAcceptedNoneOrLetTwoOrdersInFailsTheSmokeTest() {
    StrategyResult failedOne =
        row(
            Strategy.MULTI_LOCK,
            0,
            tally(1, Map.of("lock timeout", 1L)),
            1,
            Map.of(1L, 1L),
            Map.of(1L, 9L),
            0);
    StrategyResult acceptedNone =
        row(Strategy.HOLDFAST, 0, tally(0, Map.of()), 1, Map.of(), Map.of(1L, 10L), 0);
    StrategyResult twoInFlight =
        row(Strategy.HOLDFAST, 0, tally(1, Map.of()), 1, Map.of(1L, 1L), Map.of(1L, 9L), 2);
    StrategyResult noLockTwoInFlight =
        row(Strategy.NO_LOCK, 0, tally(1, Map.of()), 1, Map.of(1L, 1L), Map.of(1L, 9L), 2);

    assertThat(OversellDemo.exitCode(List.of(failedOne), 4))
        .isEqualTo(OversellDemo.SMOKE_TEST_FAILED);
    assertThat(OversellDemo.exitCode(List.of(acceptedNone), 4))
        .isEqualTo(OversellDemo.SMOKE_TEST_FAILED);
    assertThat(OversellDemo.exitCode(List.of(twoInFlight), 4))
        .isEqualTo(OversellDemo.SMOKE_TEST_FAILED);
    assertThat(OversellDemo.exitCode(List.of(noLockTwoInFlight), 4)).isZero();
  }

  @Test
  void ordersPerSecondCountsAcceptedAndRejectedOrdersButNotFailedOnes() {
    StrategyResult result =
        row(
            Strategy.HOLDFAST,
            0,
            new Tally(3, 2, Map.of("lock timeout", 5L), new long[10]),
            1,
            Map.of(1L, 3L),
            Map.of(1L, 7L),
            0);

    assertThat(result.ordersPerSecond()).isEqualTo(5.0);
  }

  @Test
  void theRatioIsTheMedianRateOfEachAndIsLeftOutWhenARowFailedOrders() {
    List<StrategyResult> clean =
        List.of(
            ofRate(Strategy.HOLDFAST, 1, 400, Map.of()),
            ofRate(Strategy.MULTI_LOCK, 1, 100, Map.of()),
            ofRate(Strategy.MULTI_LOCK, 2, 300, Map.of()),
            ofRate(Strategy.HOLDFAST, 2, 400, Map.of()));
    List<StrategyResult> oneFailed =
        List.of(
            ofRate(Strategy.HOLDFAST, 1, 400, Map.of()),
            ofRate(Strategy.MULTI_LOCK, 1, 100, Map.of("lock timeout", 1L)));

    assertThat(OversellDemo.ratio(clean, Strategy.HOLDFAST, Strategy.MULTI_LOCK))
        .hasValueSatisfying(sentence -> assertThat(sentence).contains("2.00x"));
    assertThat(OversellDemo.ratio(oneFailed, Strategy.HOLDFAST, Strategy.MULTI_LOCK)).isEmpty();
  }

  @Test
  void theHoldfastLockAndTheMultiLockRunTwiceEachFirstAndLastInTurn() {
    assertThat(DemoRun.measuredOrder(List.of(Strategy.values())))
        .containsExactly(
            Strategy.NO_LOCK,
            Strategy.JVM_LOCK,
            Strategy.HOLDFAST,
            Strategy.MULTI_LOCK,
            Strategy.MULTI_LOCK,
            Strategy.HOLDFAST,
            Strategy.JDBC_LOCK,
            Strategy.ROW_LOCKS,
            Strategy.REDIS_STOCK);
  }

  @Test
  void theNotesTellOversoldUnitsFromLostOnes() {
    String oversold =
        OversellDemo.notes(
            List.of(result(Strategy.NO_LOCK, Map.of(1L, 12L), Map.of(1L, 0L))), 1, false);
    String lost =
        OversellDemo.notes(
            List.of(result(Strategy.REDIS_STOCK, Map.of(1L, 6L), Map.of(1L, 3L))), 1, false);

    assertThat(oversold).contains("no lock: sold 2 units beyond the stock").doesNotContain("lost");
    assertThat(lost)
        .contains("Redis-held stock (Lua): sold 6 + left 3 = 9 units of 10: 1 units")
        .contains("(lost)")
        .doesNotContain("beyond the stock");
  }

  private static final long SECOND = 1_000_000_000L;

  private static Tally tally(long accepted, Map<String, Long> failures) {
    return new Tally(accepted, 0, failures, new long[] {1_000_000});
  }

  private static StrategyResult ofRate(
      Strategy strategy, int run, long accepted, Map<String, Long> failures) {
    return row(strategy, run, tally(accepted, failures), 1, Map.of(1L, 0L), Map.of(1L, STOCK), 0);
  }

  /** A result of {@link #SECOND} over products 1 to {@code products} of {@link #STOCK} units. */
  private static StrategyResult row(
      Strategy strategy,
      int run,
      Tally tally,
      int products,
      Map<Long, Long> sold,
      Map<Long, Long> left,
      long mostInFlight) {
    return new StrategyResult(
        strategy,
        run,
        tally,
        SECOND,
        products,
        STOCK,
        new TreeMap<>(sold),
        new TreeMap<>(left),
        mostInFlight);
  }

  private static StrategyResult result(
      Strategy strategy, Map<Long, Long> sold, Map<Long, Long> left) {
    return row(strategy, 0, tally(1, Map.of()), 1, sold, left, 0);
  }
}
