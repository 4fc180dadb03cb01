package dev.holdfast.examples.shop;

/**
 * A product row refused the order's claim because the order's fencing token was not newer than the
 * newest token that had claimed the row: the order's lock holder was overtaken (its lease ended and
 * a holder with a newer token claimed the row first). The order rolled back; nothing of it was
 * written, and placing it again is safe.
 */
public final class StaleFencingTokenException extends OrderRejectedException {

  private static final long serialVersionUID = 1L;

  private final long token;
  private final long rowToken;

  /**
   * Creates the exception.
   *
   * @param orderId the refused order
   * @param productId the product whose row refused the claim
   * @param token the order's fencing token for that product
   * @param rowToken the newest token the row had accepted
   */
  public StaleFencingTokenException(String orderId, long productId, long token, long rowToken) {
    super(
        "Order "
            + orderId
            + " was refused by product "
            + productId
            + ": its fencing token "
            + token
            + " is not newer than the row's "
            + rowToken,
        orderId,
        productId);
    this.token = token;
    this.rowToken = rowToken;
  }

  /**
   * The order's fencing token for the product that refused it.
   *
   * @return the token
   */
  public long token() {
    return token;
  }

  /**
   * The newest token the product's row had accepted.
   *
   * @return the row's token
   */
  public long rowToken() {
    return rowToken;
  }
}
