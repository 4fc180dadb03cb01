package dev.holdfast.examples.shop;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A placed order: one line per product, lines of the same product summed, in product id order.
 *
 * @param id the order's id, 1 to {@value #MAX_ID_LENGTH} characters
 * @param lines one line per product, in product id order
 */
public record Order(String id, List<OrderLine> lines) {

  /** The longest order id the order table takes. */
  public static final int MAX_ID_LENGTH = 64;

  /**
   * Validates and copies the order.
   *
   * @param id the order's id
   * @param lines one or more lines, one per product, in product id order
   * @throws NullPointerException if {@code id} or {@code lines} is null or holds null
   * @throws IllegalArgumentException if {@code id} is blank or too long, if {@code lines} is empty,
   *     or if a product appears twice or out of order, naming the value
   */
  public Order {
    requireId(id);
    lines = List.copyOf(requireNonNull(lines, "lines"));
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("lines must not be empty, order " + id);
    }
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i - 1).productId() >= lines.get(i).productId()) {
        throw new IllegalArgumentException(
            "lines must name each product once, in product id order, was " + lines);
      }
    }
  }

  /**
   * The order of {@code lines}: lines of the same product summed, in product id order.
   *
   * @param id the order's id
   * @param lines one or more lines, a product possibly on several of them
   * @return the order
   * @throws NullPointerException if an argument is null or {@code lines} holds null
   * @throws IllegalArgumentException if {@code id} is blank or too long, if {@code lines} is empty,
   *     or if a product's lines add up to more than {@link Integer#MAX_VALUE} units
   */
  public static Order of(String id, List<OrderLine> lines) {
    SortedMap<Long, Long> quantities = new TreeMap<>();
    for (OrderLine line : requireNonNull(lines, "lines")) {
      quantities.merge(line.productId(), (long) line.quantity(), Long::sum);
    }
    List<OrderLine> summed = new ArrayList<>();
    for (Map.Entry<Long, Long> product : quantities.entrySet()) {
      if (product.getValue() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "lines of product "
                + product.getKey()
                + " must add up to at most "
                + Integer.MAX_VALUE
                + " units, was "
                + product.getValue());
      }
      summed.add(new OrderLine(product.getKey(), Math.toIntExact(product.getValue())));
    }
    return new Order(id, summed);
  }

  /**
   * Checks an order id.
   *
   * @param id an order id
   * @return {@code id}
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if {@code id} is blank or longer than {@value #MAX_ID_LENGTH}
   *     characters, naming it
   */
  public static String requireId(String id) {
    requireNonNull(id, "id");
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "id must be 1 to " + MAX_ID_LENGTH + " characters and not blank, was \"" + id + "\"");
    }
    return id;
  }

  /**
   * The units of every line together.
   *
   * @return the total quantity
   */
  public long units() {
    return lines.stream().mapToLong(OrderLine::quantity).sum();
  }
}
