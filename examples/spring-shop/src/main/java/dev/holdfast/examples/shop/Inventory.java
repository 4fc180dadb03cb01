package dev.holdfast.examples.shop;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Products and orders in three tables ({@code product}, {@code purchase_order}, {@code order_line};
 * see {@code schema.sql}), through plain SQL that H2, PostgreSQL and MariaDB run alike.
 *
 * <p>{@link #reserve} is the order's transaction. Its stock update is a plain read, check and
 * write, as most services' is: without a lock around it, two orders that read the same stock both
 * sell it. The lock comes from the caller ({@link OrderService}), and so do its fencing tokens:
 * each product row keeps the newest token that claimed it, so a lock holder that was overtaken (its
 * lease ended while it was paused, and the next holder went ahead) cannot write after its
 * successor.
 */
@Repository
public class Inventory {

  private final JdbcClient jdbc;

  Inventory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Places {@code order} in one transaction: claims each product row with the order's fencing
   * token, reads the stock, refuses the order if a product is short, writes the new stock and
   * records the order. Call it while holding the lock of every product of the order, and never
   * inside a transaction of the caller's: the locks must be released only after this commits.
   *
   * <p>The claim, {@code UPDATE product SET fencing_token = ? WHERE id = ? AND fencing_token < ?},
   * comes first, in product id order, and must change exactly one row. It refuses a holder whose
   * token is not newer than the row's, and it takes the row's lock in the database until the
   * commit, so the read, the check and the write that follow cannot interleave with another fenced
   * holder's.
   *
   * @param order the order, one line per product
   * @param fencingTokens the lock's fencing token for each product of the order
   * @return the order
   * @throws OutOfStockException if a product has fewer units left than the order asks for
   * @throws UnknownProductException if a product of the order does not exist
   * @throws StaleFencingTokenException if a product row had accepted a token not older than the
   *     order's
   * @throws IllegalArgumentException if {@code fencingTokens} does not name exactly the order's
   *     products
   * @throws org.springframework.dao.DuplicateKeyException if an order with this id exists
   */
  @Transactional
  public Order reserve(Order order, Map<Long, Long> fencingTokens) {
    Map<Long, Long> tokens = new TreeMap<>(requireNonNull(fencingTokens, "fencingTokens"));
    List<Long> productIds = order.lines().stream().map(OrderLine::productId).toList();
    if (!List.copyOf(tokens.keySet()).equals(productIds)) {
      throw new IllegalArgumentException(
          "fencingTokens must name exactly the products "
              + productIds
              + " of order "
              + order.id()
              + ", was "
              + fencingTokens);
    }
    tokens.forEach((productId, token) -> claim(order, productId, token));
    List<OrderLine> lines = order.lines();
    long[] left = new long[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      OrderLine line = lines.get(i);
      left[i] =
          jdbc.sql("SELECT stock FROM product WHERE id = :id")
              .param("id", line.productId())
              .query(Long.class)
              .single();
      if (left[i] < line.quantity()) {
        throw new OutOfStockException(order.id(), line.productId(), line.quantity(), left[i]);
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      jdbc.sql("UPDATE product SET stock = :stock WHERE id = :id")
          .param("stock", left[i] - lines.get(i).quantity())
          .param("id", lines.get(i).productId())
          .update();
    }
    jdbc.sql("INSERT INTO purchase_order (id, units) VALUES (:id, :units)")
        .param("id", order.id())
        .param("units", order.units())
        .update();
    for (OrderLine line : order.lines()) {
      jdbc.sql(
              "INSERT INTO order_line (order_id, product_id, quantity)"
                  + " VALUES (:orderId, :productId, :quantity)")
          .param("orderId", order.id())
          .param("productId", line.productId())
          .param("quantity", line.quantity())
          .update();
    }
    return order;
  }

  /**
   * A product and its stock.
   *
   * @param id the product's id
   * @return the product, or empty if there is none with this id
   */
  public Optional<Product> product(long id) {
    return jdbc.sql("SELECT id, name, stock FROM product WHERE id = :id")
        .param("id", id)
        .query(Product.class)
        .optional();
  }

  /**
   * A placed order.
   *
   * @param id the order's id
   * @return the order, or empty if none with this id was placed
   */
  public Optional<Order> order(String id) {
    List<OrderLine> lines =
        jdbc.sql(
                "SELECT product_id, quantity FROM order_line WHERE order_id = :id"
                    + " ORDER BY product_id")
            .param("id", id)
            .query((row, number) -> new OrderLine(row.getLong(1), row.getInt(2)))
            .list();
    return lines.isEmpty() ? Optional.empty() : Optional.of(new Order(id, lines));
  }

  /**
   * Sets the row's fencing token to the order's if the row's is older; refuses the order if not.
   */
  private void claim(Order order, long productId, long token) {
    int claimed =
        jdbc.sql(
                "UPDATE product SET fencing_token = :token"
                    + " WHERE id = :id AND fencing_token < :token")
            .param("token", token)
            .param("id", productId)
            .update();
    if (claimed != 1) {
      Optional<Long> rowToken =
          jdbc.sql("SELECT fencing_token FROM product WHERE id = :id")
              .param("id", productId)
              .query(Long.class)
              .optional();
      throw rowToken.isEmpty()
          ? new UnknownProductException(order.id(), productId)
          : new StaleFencingTokenException(order.id(), productId, token, rowToken.get());
    }
  }
}
