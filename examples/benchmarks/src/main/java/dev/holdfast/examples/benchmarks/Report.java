package dev.holdfast.examples.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The suite's result: one markdown table row per {@link Comparison} that was measured. */
final class Report {

  private final Map<String, Measurement> measured;
  private final List<Comparison> comparisons;

  Report(Map<String, Measurement> measured, List<Comparison> comparisons) {
    this.measured = Map.copyOf(measured);
    this.comparisons = List.copyOf(comparisons);
  }

  /**
   * What was measured of {@code benchmark} ({@code Class.method}); {@link Measurement#NONE} if not.
   */
  Measurement of(String benchmark) {
    return measured.getOrDefault(benchmark, Measurement.NONE);
  }

  /** Holdfast's throughput over the peer's; {@code NaN} unless both were measured. */
  double ratio(Comparison comparison) {
    return of(comparison.holdfast()).opsPerSecond() / of(comparison.peer()).opsPerSecond();
  }

  /** Holdfast's p99 latency over the peer's; {@code NaN} unless both were measured. */
  double p99Ratio(Comparison comparison) {
    return of(comparison.holdfast()).p99Micros() / of(comparison.peer()).p99Micros();
  }

  /** Whether the comparison meets its target; null if a figure it needs was not measured. */
  @Nullable Boolean met(Comparison comparison) {
    double ratio = ratio(comparison);
    Double minRatio = comparison.minRatio();
    Double maxP99 = comparison.maxP99Ratio();
    double p99 = maxP99 == null ? 0 : p99Ratio(comparison);
    if (Double.isNaN(ratio) || Double.isNaN(p99)) {
      return null;
    }
    return (minRatio == null || ratio >= minRatio) && (maxP99 == null || p99 <= maxP99);
  }

  /** The comparisons the run included, measured or not (a failed benchmark leaves dashes). */
  List<Comparison> rows() {
    return comparisons;
  }

  /** The table, in markdown. */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        "| workload | Holdfast | compared with | Holdfast ops/s | peer ops/s | ratio | p99 ratio"
            + " | target | met? | Holdfast p50 / p99 / p99.9 µs | peer p50 / p99 / p99.9 µs"
            + " | Redis cmds/op Holdfast / peer | client CPU µs/op Holdfast / peer |\n");
    out.append(
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |\n");
    for (Comparison comparison : rows()) {
      Measurement holdfast = of(comparison.holdfast());
      Measurement peer = of(comparison.peer());
      Boolean met = met(comparison);
      out.append(
          String.join(
              " | ",
              "| " + comparison.workload(),
              comparison.backend(),
              comparison.peerName(),
              throughput(holdfast),
              throughput(peer),
              times(ratio(comparison)),
              times(p99Ratio(comparison)),
              target(comparison),
              met == null
                  ? "**failed** (see the JMH logs)"
                  : comparison.minRatio() == null ? "–" : met ? "yes" : "**no**",
              latencies(holdfast),
              latencies(peer),
              number(holdfast.commandsPerOp(), 1) + " / " + number(peer.commandsPerOp(), 1),
              readable(holdfast.cpuMicrosPerOp())
                  + " / "
                  + readable(peer.cpuMicrosPerOp())
                  + " |\n"));
    }
    return out.toString();
  }

  private static String target(Comparison comparison) {
    Double minRatio = comparison.minRatio();
    if (minRatio == null) {
      return "–";
    }
    // 1 / 1.1 (at most 1.1 times the peer's time) shows as 0.91, not as a rounded 0.9.
    boolean oneDecimal = Math.abs(minRatio * 10 - Math.rint(minRatio * 10)) < 1e-9;
    String target = "≥ " + number(minRatio, oneDecimal ? 1 : 2) + "×";
    Double maxP99 = comparison.maxP99Ratio();
    return maxP99 == null ? target : target + ", p99 ≤ " + number(maxP99, 2) + "×";
  }

  private static String throughput(Measurement measurement) {
    return number(measurement.opsPerSecond(), 0) + " ± " + number(measurement.opsError(), 0);
  }

  private static String latencies(Measurement measurement) {
    return readable(measurement.p50Micros())
        + " / "
        + readable(measurement.p99Micros())
        + " / "
        + readable(measurement.p999Micros());
  }

  /** Three significant digits or more: in-memory operations take well under a microsecond. */
  private static String readable(double micros) {
    return number(micros, micros < 10 ? 2 : micros < 100 ? 1 : 0);
  }

  private static String times(double ratio) {
    return Double.isNaN(ratio) ? "–" : number(ratio, 2) + "×";
  }

  private static String number(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }
}
