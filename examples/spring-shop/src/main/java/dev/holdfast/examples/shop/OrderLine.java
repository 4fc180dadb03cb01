package dev.holdfast.examples.shop;

/**
 * One line of an order: a quantity of one product.
 *
 * @param productId the product
 * @param quantity how many units, at least one
 */
public record OrderLine(long productId, int quantity) {

  /**
   * Validates the line.
   *
   * @param productId the product
   * @param quantity how many units
   * @throws IllegalArgumentException if {@code quantity} is less than one, naming the value
   */
  public OrderLine {
    if (quantity < 1) {
      throw new IllegalArgumentException(
          "quantity must be at least 1, was " + quantity + " for product " + productId);
    }
  }
}
