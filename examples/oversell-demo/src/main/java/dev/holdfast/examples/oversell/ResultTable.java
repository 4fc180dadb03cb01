package dev.holdfast.examples.oversell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats the demo's results as one plain-text table, with notes below it. */
final class ResultTable {

  private static final String[] HEADERS = {
    "strategy",
    "accepted",
    "rejected",
    "failed",
    "sold",
    "left",
    "OVERSOLD",
    "orders/s",
    "p50 ms",
    "p99 ms"
  };

  private ResultTable() {}

  static String format(List<StrategyResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (StrategyResult result : results) {
      Tally tally = result.tally();
      rows.add(
          new String[] {
            result.label(),
            Long.toString(tally.accepted()),
            Long.toString(tally.rejected()),
            Long.toString(tally.failed()),
            Long.toString(result.unitsSold()),
            Long.toString(result.unitsLeft()),
            Long.toString(result.oversold()),
            String.format(Locale.ROOT, "%.0f", result.ordersPerSecond()),
            millis(tally.latencyPercentile(50)),
            millis(tally.latencyPercentile(99))
          });
    }
    int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int column = 0; column < row.length; column++) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    StringBuilder table = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int column = 0; column < row.length; column++) {
        String format = column == 0 ? "%-" + widths[column] + "s" : "  %" + widths[column] + "s";
        table.append(String.format(Locale.ROOT, format, row[column]));
      }
      table.append('\n');
      if (r == 0) {
        table.append("-".repeat(table.length() - 1)).append('\n');
      }
    }
    return table.toString();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
