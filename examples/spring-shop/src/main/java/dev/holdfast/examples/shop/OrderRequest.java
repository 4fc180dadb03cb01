package dev.holdfast.examples.shop;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /orders}.
 *
 * @param orderId the order's id, chosen by the client so that it can ask ({@code GET /orders/{id}})
 *     whether an order whose reply it missed was placed; the shop picks a random one when absent
 * @param lines one or more lines; a product may appear on several
 */
public record OrderRequest(@Nullable String orderId, List<OrderLine> lines) {

  /**
   * Validates the request.
   *
   * @param orderId the order's id, or null
   * @param lines one or more lines
   * @throws NullPointerException if {@code lines} is null or holds null
   * @throws IllegalArgumentException if {@code orderId} is blank or too long, or {@code lines} is
   *     empty, naming the value
   */
  public OrderRequest {
    if (orderId != null) {
      Order.requireId(orderId);
    }
    lines = List.copyOf(requireNonNull(lines, "lines"));
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("lines must not be empty, was []");
    }
  }
}
