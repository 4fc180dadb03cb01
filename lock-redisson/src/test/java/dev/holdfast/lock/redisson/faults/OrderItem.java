package dev.holdfast.lock.redisson.faults;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One line of an order: how many units of which product it takes, or, negative, how many a restock
 * brings.
 */
record OrderItem(int product, int quantity) {

  OrderItem {
    if (product < 0) {
      throw new IllegalArgumentException("product must not be negative, was " + product);
    }
    if (quantity == 0) {
      throw new IllegalArgumentException("quantity must not be 0");
    }
  }

  /** {@code 7x2,3x1}: the form items take in history lines. */
  static String format(List<OrderItem> items) {
    return items.stream()
        .map(item -> item.product + "x" + item.quantity)
        .collect(Collectors.joining(","));
  }

  static List<OrderItem> parse(String text) {
    return Arrays.stream(text.split(","))
        .map(
            item -> {
              String[] parts = item.split("x", -1);
              if (parts.length != 2) {
                throw new IllegalArgumentException("not an order item: " + item);
              }
              return new OrderItem(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            })
        .toList();
  }
}
