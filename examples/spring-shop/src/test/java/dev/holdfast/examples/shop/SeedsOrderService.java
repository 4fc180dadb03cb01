package dev.holdfast.examples.shop;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link OrderService#createOrder} as the seeds wrote it, for {@link OrderServiceBench}: the same
 * {@link Inventory#reserve} transaction, locked by {@link SortedRLockAspect} instead of
 * {@code @DistributedLock}. Redisson's locks issue no fencing tokens; so that both contenders write
 * the same rows, the tokens come from one counter for the JVM (both instances of the benchmark run
 * in it), drawn while the products' locks are held, so each product's still only increase.
 */
public class SeedsOrderService {

  private static final AtomicLong TOKENS = new AtomicLong();

  private final Inventory inventory;

  SeedsOrderService(Inventory inventory) {
    this.inventory = inventory;
  }

  /**
   * Places an order under the seeds' locks.
   *
   * @param orderId the order's id
   * @param lines its lines
   * @return the order
   */
  @LockProducts
  public Order createOrder(String orderId, List<OrderLine> lines) {
    Order order = Order.of(orderId, lines);
    Map<Long, Long> tokens = new TreeMap<>();
    for (OrderLine line : order.lines()) {
      tokens.put(line.productId(), TOKENS.incrementAndGet());
    }
    return inventory.reserve(order, tokens);
  }
}
