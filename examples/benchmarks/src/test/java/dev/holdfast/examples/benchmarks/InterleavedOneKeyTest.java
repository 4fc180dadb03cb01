package dev.holdfast.examples.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.examples.benchmarks.InterleavedOneKey.Settings;
import dev.holdfast.examples.benchmarks.InterleavedOneKey.Spread;
import dev.holdfast.examples.benchmarks.InterleavedOneKey.Window;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interleaved run against a Redis server of the test's own, in short windows: every contender
 * runs in every round and the ratios come from within rounds. It checks that the run works, not how
 * fast anything is.
 */
final class InterleavedOneKeyTest {

  @Test
  void runsEveryContenderInEveryRoundAndReportsTheRatiosWithinRounds() {
    InterleavedOneKey.Result result;
    try (RedisServer server = RedisServer.start()) {
      result = InterleavedOneKey.run(new Settings(server.address(), 1, 3, Duration.ofMillis(200)));
    }

    assertThat(result.windows()).hasSize(3);
    for (List<Window> round : result.windows()) {
      assertThat(round).hasSize(3).doesNotContainNull();
      for (Window window : round) {
        assertThat(window.opsPerSecond()).isPositive();
        assertThat(window.clientCpuMicrosPerOp()).isPositive();
        assertThat(window.redisCpuMicrosPerOp()).isNotNegative();
      }
    }
    double[] ratios =
        result.ratios(InterleavedOneKey.HOLDFAST, InterleavedOneKey.FLOOR, Window::opsPerSecond);
    for (int round = 0; round < ratios.length; round++) {
      List<Window> windows = result.windows().get(round);
      assertThat(ratios[round])
          .isEqualTo(
              windows.get(InterleavedOneKey.HOLDFAST).opsPerSecond()
                  / windows.get(InterleavedOneKey.FLOOR).opsPerSecond());
    }
    assertThat(result.table())
        .contains("3 rounds of 200 ms a contender after 1 rounds of warm-up")
        .contains("| Holdfast `runWithLock` |")
        .contains("| floor: two no-op `EVALSHA`s |")
        .contains("| Redisson `RLock` |")
        .containsPattern(
            "\\| Holdfast / floor \\| [0-9.]+× \\([0-9.]+× to [0-9.]+×\\) \\| ≥ 0\\.8× \\|")
        .contains("| Holdfast / `RLock` |");
  }

  @Test
  void takesTheMiddleFigureOrTheMeanOfTheTwoMiddleOnes() {
    assertThat(Spread.of(new double[] {3, 1, 2})).isEqualTo(new Spread(2, 1, 3));
    assertThat(Spread.of(new double[] {4, 1, 3, 2})).isEqualTo(new Spread(2.5, 1, 4));
    assertThatThrownBy(() -> Spread.of(new double[0])).hasMessageContaining("values");
  }

  @Test
  void refusesSettingsThatMeasureNothing() {
    assertThatThrownBy(() -> new Settings("redis://127.0.0.1:6390", 0, 0, Duration.ofSeconds(1)))
        .hasMessageContaining("rounds must be >= 1: 0");
    assertThatThrownBy(() -> new Settings("redis://127.0.0.1:6390", -1, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("warmupRounds must be >= 0: -1");
    assertThatThrownBy(() -> new Settings("redis://127.0.0.1:6390", 0, 1, Duration.ZERO))
        .hasMessageContaining("windowMillis must be > 0: PT0S");
  }
}
