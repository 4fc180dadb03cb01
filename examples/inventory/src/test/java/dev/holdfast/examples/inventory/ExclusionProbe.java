package dev.holdfast.examples.inventory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An {@link Inventory.Builder#afterStockRead} hook that proves exclusion instead of inferring it
 * from the totals: while an order is between reading and writing its stock, it counts itself in
 * flight on each of its products, and records the most orders ever in flight on one product. Under
 * a lock that excludes, that is 1.
 */
final class ExclusionProbe implements Consumer<Order> {

  private final Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger mostInFlight = new AtomicInteger();

  @Override
  public void accept(Order order) {
    for (long productId : order.quantities().keySet()) {
      int now = inFlight.computeIfAbsent(productId, id -> new AtomicInteger()).incrementAndGet();
      mostInFlight.accumulateAndGet(now, Math::max);
    }
    try {
      // Long enough for an order that is not excluded to arrive while this one is in flight.
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (long productId : order.quantities().keySet()) {
        inFlight.get(productId).decrementAndGet();
      }
    }
  }

  /** The most orders that were ever between reading and writing one product's stock at once. */
  int mostInFlightOnOneProduct() {
    return mostInFlight.get();
  }
}
