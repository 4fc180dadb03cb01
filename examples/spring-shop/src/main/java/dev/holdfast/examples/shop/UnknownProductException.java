package dev.holdfast.examples.shop;

/** An order named a product the shop does not have; nothing of it was written. */
public final class UnknownProductException extends OrderRejectedException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param orderId the refused order
   * @param productId the product that does not exist
   */
  public UnknownProductException(String orderId, long productId) {
    super(
        "Order " + orderId + " names product " + productId + ", which does not exist",
        orderId,
        productId);
  }
}
