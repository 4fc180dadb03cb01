package dev.holdfast.examples.inventory;

/**
 * The inventory refused an order and wrote nothing of it. Checked, so that a caller decides what an
 * unfilled order means; {@code LockTemplate} passes it through its callback unchanged.
 */
public abstract sealed class OrderRejectedException extends Exception
    permits OutOfStockException, StaleFencingTokenException {

  private static final long serialVersionUID = 1L;

  private final String orderId;
  private final long productId;

  /**
   * Creates the exception.
   *
   * @param message what was refused
   * @param orderId the refused order
   * @param productId the product that refused it
   */
  OrderRejectedException(String message, String orderId, long productId) {
    super(message);
    this.orderId = orderId;
    this.productId = productId;
  }

  /**
   * The refused order.
   *
   * @return its id
   */
  public String orderId() {
    return orderId;
  }

  /**
   * The product that refused the order (the first one, in product id order).
   *
   * @return the product id
   */
  public long productId() {
    return productId;
  }
}
