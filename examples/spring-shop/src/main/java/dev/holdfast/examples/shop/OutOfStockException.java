package dev.holdfast.examples.shop;

/** An order asked for more units of a product than were left; nothing of it was written. */
public final class OutOfStockException extends OrderRejectedException {

  private static final long serialVersionUID = 1L;

  private final int requested;
  private final long available;

  /**
   * Creates the exception.
   *
   * @param orderId the refused order
   * @param productId the product short of stock
   * @param requested the units the order asked for, its lines summed
   * @param available the units left
   */
  public OutOfStockException(String orderId, long productId, int requested, long available) {
    super(
        "Order "
            + orderId
            + " asks for "
            + requested
            + " of product "
            + productId
            + ", but "
            + available
            + " are left",
        orderId,
        productId);
    this.requested = requested;
    this.available = available;
  }

  /**
   * The units the order asked for.
   *
   * @return the quantity, lines of the product summed
   */
  public int requested() {
    return requested;
  }

  /**
   * The units that were left.
   *
   * @return the stock when the order was checked
   */
  public long available() {
    return available;
  }
}
