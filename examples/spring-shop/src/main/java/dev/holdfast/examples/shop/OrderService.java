package dev.holdfast.examples.shop;

import dev.holdfast.lock.HeldLocks;
import dev.holdfast.lock.LockLostException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.spring.CurrentLocks;
import dev.holdfast.lock.spring.DistributedLock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * Places orders under a lock per product: {@code lock:product:<id>} for every product of the order,
 * all taken in one {@code @DistributedLock} call before the {@link Inventory} transaction begins,
 * and released only after it committed.
 *
 * <p>The lock's wait and lease come from {@code holdfast.*} properties: the defaults, or a named
 * policy whose pattern matches the product's key (hot products wait less). Thread-safe.
 */
@Service
public class OrderService {

  /** The prefix of a product's lock key: {@code lock:product:<id>}. */
  public static final String PRODUCT_LOCK_PREFIX = "lock:product:";

  private final Inventory inventory;

  OrderService(Inventory inventory) {
    this.inventory = inventory;
  }

  /**
   * Places an order: takes the lock of every product of it (a product on several lines is one key),
   * all or none within one wait, then runs {@link Inventory#reserve} with the locks' fencing
   * tokens. That transaction begins inside this method, so before it commits Holdfast checks that
   * every lock is still held, and rolls it back if a lease ended.
   *
   * @param orderId the order's id; an id that was placed before is refused
   * @param lines one or more lines, a product possibly on several of them (their quantities are
   *     summed)
   * @return the order, one line per product
   * @throws OrderRejectedException if a product is short, unknown, or refused the order's fencing
   *     token; nothing was written
   * @throws LockNotAcquiredException if another order held one of the products for the whole wait;
   *     nothing happened, so placing the order again is safe
   * @throws LockLostException if a product's lease ended while the order was placed: if it ended
   *     before the commit, the order rolled back; if after, the order committed. {@link #order}
   *     tells which
   * @throws org.springframework.dao.DuplicateKeyException if an order with this id exists
   */
  @DistributedLock(prefix = PRODUCT_LOCK_PREFIX, keys = "#lines.![productId]")
  public Order createOrder(String orderId, List<OrderLine> lines) {
    Order order = Order.of(orderId, lines);
    HeldLocks held = CurrentLocks.held();
    Map<Long, Long> tokens = new TreeMap<>();
    for (OrderLine line : order.lines()) {
      tokens.put(line.productId(), fencingToken(held, line.productId()));
    }
    return inventory.reserve(order, tokens); // @Transactional: begins and commits in here
  }

  /**
   * A placed order.
   *
   * @param orderId the order's id
   * @return the order, or empty if none with this id was placed
   */
  public Optional<Order> order(String orderId) {
    return inventory.order(orderId);
  }

  private static long fencingToken(HeldLocks held, long productId) {
    String key = PRODUCT_LOCK_PREFIX + productId;
    return held.fencingToken(key)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "The lock provider issued no fencing token for "
                        + key
                        + "; the shop needs one that does (holdfast.redis.mode=atomic)"));
  }
}
