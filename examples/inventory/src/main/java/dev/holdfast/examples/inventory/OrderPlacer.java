package dev.holdfast.examples.inventory;

import dev.holdfast.lock.LockException;

/**
 * Places orders against limited stock; one implementation per strategy, so that the same burst of
 * orders can run through each.
 */
@FunctionalInterface
public interface OrderPlacer {

  /**
   * Places {@code order}: deducts its units from stock and records it, or refuses it whole.
   *
   * @param order the order
   * @return what it bought
   * @throws OrderRejectedException if the order was refused and nothing of it was written
   * @throws StoreException if the database failed
   * @throws LockException if a lock-based strategy could not get or keep its locks
   */
  OrderConfirmation placeOrder(Order order) throws OrderRejectedException;
}
