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

  private static StrategyResult result(
      Strategy strategy, Map<Long, Long> sold, Map<Long, Long> left) {
    Tally tally = new Tally(1, 0, Map.of(), new long[] {1_000_000});
    return new StrategyResult(
        strategy, tally, 1_000_000_000L, STOCK, new TreeMap<>(sold), new TreeMap<>(left));
  }
}
