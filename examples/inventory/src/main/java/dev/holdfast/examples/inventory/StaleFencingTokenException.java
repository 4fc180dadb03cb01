package dev.holdfast.examples.inventory;

/**
 * A product row refused a stock update because the order's fencing token was not newer than the
 * token of the last update the row accepted, or the row changed since the order read it: the
 * order's lock holder was overtaken (its lease ended, and another holder went ahead). The whole
 * order was rolled back.
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
