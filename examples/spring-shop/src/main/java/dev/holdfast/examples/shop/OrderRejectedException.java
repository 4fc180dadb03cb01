package dev.holdfast.examples.shop;

/**
 * The shop refused an order because of one of its products; the order's transaction rolled back, so
 * nothing of it was written. Unchecked, so that {@code @Transactional} rolls back on it by default.
 */
public abstract sealed class OrderRejectedException extends RuntimeException
    permits OutOfStockException, UnknownProductException, StaleFencingTokenException {

  private static final long serialVersionUID = 1L;

  private final String orderId;
  private final long productId;

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
   * The product that refused it.
   *
   * @return the product's id
   */
  public long productId() {
    return productId;
  }
}
