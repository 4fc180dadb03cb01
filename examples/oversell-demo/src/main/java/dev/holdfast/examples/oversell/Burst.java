package dev.holdfast.examples.oversell;

import dev.holdfast.examples.inventory.Order;
import dev.holdfast.examples.inventory.OrderLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The orders of one run, the same for every strategy and every process: drawn from a seeded random
 * source, so that a process can draw them again from the seed rather than receive them.
 */
final class Burst {

  private static final int MAX_LINES = 3;
  private static final int MAX_QUANTITY = 2;

  private Burst() {}

  /**
   * Orders {@code o-0} to {@code o-<count-1>}, each of 1 to 3 lines of 1 or 2 units of a product
   * from 1 to {@code products}; a product may appear on two lines of one order.
   */
  static List<Order> orders(int count, int products, long seed) {
    Random random = new Random(seed);
    List<Order> orders = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int lineCount = 1 + random.nextInt(MAX_LINES);
      List<OrderLine> lines = new ArrayList<>(lineCount);
      for (int line = 0; line < lineCount; line++) {
        lines.add(new OrderLine(1 + random.nextInt(products), 1 + random.nextInt(MAX_QUANTITY)));
      }
      orders.add(new Order("o-" + i, lines));
    }
    return orders;
  }

  /** The orders that process {@code index} of {@code processes} places: every n-th one. */
  static List<Order> share(List<Order> orders, int index, int processes) {
    List<Order> share = new ArrayList<>();
    for (int i = index; i < orders.size(); i += processes) {
      share.add(orders.get(i));
    }
    return share;
  }
}
