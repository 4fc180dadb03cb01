package dev.holdfast.examples.oversell;

import java.util.SortedMap;

/**
 * One row of the demo's table.
 *
 * @param strategy the strategy
 * @param run which of the strategy's measured runs this is, from 1; 0 when it ran once
 * @param tally what happened to its orders
 * @param elapsedNanos from releasing the burst to its last order's outcome
 * @param products the run's products, 1 to this
 * @param initialStock units per product before the burst
 * @param sold units recorded as sold, per product
 * @param left units left, per product, where the strategy keeps stock
 * @param mostInFlight the most orders of one product that were between reading and writing its
 *     stock at once, when the run checked exclusion; else 0
 */
record StrategyResult(
    Strategy strategy,
    int run,
    Tally tally,
    long elapsedNanos,
    int products,
    long initialStock,
    SortedMap<Long, Long> sold,
    SortedMap<Long, Long> left,
    long mostInFlight) {

  /** The strategy's name, and the run's number when it ran more than once. */
  String label() {
    return run == 0 ? strategy.label() : strategy.label() + " #" + run;
  }

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

  /**
   * Whether every product, 1 to {@link #products}, has a stock left and its units sold and left add
   * up to its initial stock; a product whose stock is missing is not balanced.
   */
  boolean balanced() {
    for (long product = 1; product <= products; product++) {
      Long units = left.get(product);
      if (units == null || sold.getOrDefault(product, 0L) + units != initialStock) {
        return false;
      }
    }
    return true;
  }

  /**
   * Orders accepted or rejected for lack of stock per second of the burst: failed orders are left
   * out, since a strategy that fails orders fast would otherwise look fast.
   */
  double ordersPerSecond() {
    long orders = tally.accepted() + tally.rejected();
    return elapsedNanos == 0 ? 0 : orders * 1e9 / elapsedNanos;
  }
}
