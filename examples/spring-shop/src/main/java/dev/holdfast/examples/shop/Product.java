package dev.holdfast.examples.shop;

/**
 * A product and the units left of it.
 *
 * @param id the product's id
 * @param name its name
 * @param stock the units left
 */
public record Product(long id, String name, long stock) {}
