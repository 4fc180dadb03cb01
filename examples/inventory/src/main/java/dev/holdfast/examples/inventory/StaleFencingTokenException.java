package dev.holdfast.examples.inventory;

/**
 * A product row refused the order's claim because the order's fencing token was not newer than the
 * newest token that claimed the row: the order's lock holder was overtaken (its lease ended, and a
 * holder with a newer token claimed the row first). The whole order was rolled back.
 */
public final class StaleFencingTokenException extends OrderRejectedException {

  private static final long serialVersionUID = 1L;

  private final long token;

  /**
   * Creates the exception.
   *
   * @param orderId the refused order
   * @param productId the product whose row refused the update
   * @param token the order's fencing token for that product
   * @param reason why the row refused it
   */
  public StaleFencingTokenException(String orderId, long productId, long token, String reason) {
    super(
        "Order "
            + orderId
            + " was refused by product "
            + productId
            + " with fencing token "
            + token
            + ": "
            + reason,
        orderId,
        productId);
    this.token = token;
  }

  /**
   * The order's fencing token for the product that refused it.
   *
   * @return the token
   */
  public long token() {
    return token;
  }
}
