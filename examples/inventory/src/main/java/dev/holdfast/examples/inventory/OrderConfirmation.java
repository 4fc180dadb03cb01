package dev.holdfast.examples.inventory;

/**
 * What a placed order bought.
 *
 * @param orderId the order's id
 * @param units the units deducted from stock, all lines together
 */
public record OrderConfirmation(String orderId, int units) {}
