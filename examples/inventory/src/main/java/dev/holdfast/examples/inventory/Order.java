package dev.holdfast.examples.inventory;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An order of one or more lines. The same product may appear on several lines: {@link
 * #quantities()} sums them.
 *
 * @param id the order's id, unique among the orders of one {@link Inventory}, at most 64 characters
 * @param lines one or more lines
 */
public record Order(String id, List<OrderLine> lines) {

  /** The longest order id the order table takes. */
  public static final int MAX_ID_LENGTH = 64;

  /**
   * Validates and copies the order.
   *
   * @param id the order's id
   * @param lines one or more lines
   * @throws NullPointerException if {@code id} or {@code lines} is null or holds null
   * @throws IllegalArgumentException if {@code id} is blank or too long, or {@code lines} is empty
   *     or adds up to more than {@link Integer#MAX_VALUE} units, naming the value
   */
  public Order {
    requireNonNull(id, "id");
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "id must be 1 to " + MAX_ID_LENGTH + " characters and not blank, was \"" + id + "\"");
    }
    lines = List.copyOf(requireNonNull(lines, "lines"));
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("lines must not be empty, order " + id);
    }
    // Checked here, so that units() and quantities() cannot overflow later.
    long units = lines.stream().mapToLong(OrderLine::quantity).sum();
    if (units > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "lines must add up to at most "
              + Integer.MAX_VALUE
              + " units, was "
              + units
              + ", order "
              + id);
    }
  }

  /**
   * The quantity of each product, lines of the same product summed, in product id order: the order
   * in which {@link Inventory} touches rows, so that two transactions never wait for each other's
   * rows in opposite orders.
   *
   * @return an unmodifiable map from product id to units
   */
  public SortedMap<Long, Integer> quantities() {
    SortedMap<Long, Integer> quantities = new TreeMap<>();
    for (OrderLine line : lines) {
      quantities.merge(line.productId(), line.quantity(), Integer::sum);
    }
    return Collections.unmodifiableSortedMap(quantities);
  }

  /**
   * The units of every line together.
   *
   * @return the total quantity
   */
  public int units() {
    return lines.stream().mapToInt(OrderLine::quantity).sum();
  }
}
