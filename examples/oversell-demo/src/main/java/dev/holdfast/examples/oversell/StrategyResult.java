package dev.holdfast.examples.oversell;

import java.util.Map;
import java.util.SortedMap;

/**
 * One row of the demo's table.
 *
 * @param strategy the strategy
 * @param tally what happened to its orders
 * @param elapsedNanos from releasing the burst to its last order's outcome
 * @param initialStock units per product before the burst
 * @param sold units recorded as sold, per product
 * @param left units left, per product, where the strategy keeps stock
 */
record StrategyResult(
    Strategy strategy,
    Tally tally,
    long elapsedNanos,
    long initialStock,
    SortedMap<Long, Long> sold,
    SortedMap<Long, Long> left) {

  long unitsSold() {
    return sold.values().stream().mapToLong(Long::longValue).sum();
  }

  long unitsLeft() {
    return left.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Units sold beyond a product's initial stock, summed over the products. */
  long oversold() {
    return sold.values().stream().mapToLong(units -> Math.max(0, units - initialStock)).sum();
  }

  /** Whether every product's units sold and left add up to its initial stock. */
  boolean balanced() {
    for (Map.Entry<Long, Long> product : left.entrySet()) {
      if (sold.getOrDefault(product.getKey(), 0L) + product.getValue() != initialStock) {
        return false;
      }
    }
    return true;
  }

  double ordersPerSecond() {
    long orders = tally.accepted() + tally.rejected() + tally.failed();
    return elapsedNanos == 0 ? 0 : orders * 1e9 / elapsedNanos;
  }
}
