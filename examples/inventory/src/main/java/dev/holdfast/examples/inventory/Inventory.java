package dev.holdfast.examples.inventory;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Products with stock, and the orders that bought them, in three tables of a JDBC database (H2,
 * PostgreSQL and MariaDB are tested): {@code <prefix>product (id, stock, fencing_token)}, {@code
 * <prefix>purchase_order (id, units)} and {@code <prefix>order_line (order_id, product_id,
 * quantity)}.
 *
 * <p>{@link #placeOrder(Order, Map)} is one transaction: read the stock of each product, refuse the
 * order if any is short, write the new stock, record the order, commit. Its stock update is a plain
 * read-then-write, as most services' is: without a lock around it, two orders that read the same
 * stock both sell it. Given fencing tokens, each row also keeps the newest token that claimed it: a
 * transaction first claims its rows with its token, which refuses a token that is not newer and
 * takes the rows' locks, so a lock holder that was overtaken cannot sell what its successor sold,
 * nor make its successor fail.
 *
 * <p>Runs at the database's default isolation level (read committed on H2 and PostgreSQL,
 * repeatable read on MariaDB): the lock, not the isolation level, keeps two orders from selling the
 * same unit. Thread-safe; it does not own the data source.
 */
public final class Inventory {

  private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,39}|");

  private final DataSource dataSource;
  private final String productTable;
  private final String orderTable;
  private final String lineTable;
  private final Consumer<Order> afterStockRead;

  private Inventory(Builder builder) {
    this.dataSource = builder.dataSource;
    this.productTable = builder.tablePrefix + "product";
    this.orderTable = builder.tablePrefix + "purchase_order";
    this.lineTable = builder.tablePrefix + "order_line";
    this.afterStockRead = builder.afterStockRead;
  }

  /**
   * Starts building an inventory over {@code dataSource}.
   *
   * @param dataSource where the tables are; the inventory never closes it
   * @return a builder
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Creates the three tables unless they exist.
   *
   * @throws StoreException if the database failed
   */
  public void createTables() {
    execute(
        "create tables",
        "CREATE TABLE IF NOT EXISTS "
            + productTable
            + " (id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, fencing_token BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS "
            + orderTable
            + " (id VARCHAR("
            + Order.MAX_ID_LENGTH
            + ") PRIMARY KEY, units INT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS "
            + lineTable
            + " (order_id VARCHAR("
            + Order.MAX_ID_LENGTH
            + ") NOT NULL, product_id BIGINT NOT NULL, quantity INT NOT NULL,"
            + " PRIMARY KEY (order_id, product_id))");
  }

  /**
   * Drops the three tables if they exist.
   *
   * @throws StoreException if the database failed
   */
  public void dropTables() {
    execute(
        "drop tables",
        "DROP TABLE IF EXISTS " + lineTable,
        "DROP TABLE IF EXISTS " + orderTable,
        "DROP TABLE IF EXISTS " + productTable);
  }

  /**
   * Deletes every order and product, then inserts the products with the given stock and a fencing
   * token of zero, in one transaction.
   *
   * @param stock units per product id, none negative
   * @throws IllegalArgumentException if a stock is negative, naming product and value
   * @throws StoreException if the database failed
   */
  public void resetStock(Map<Long, Long> stock) {
    stock.forEach(
        (id, units) -> {
          if (units < 0) {
            throw new IllegalArgumentException(
                "stock must not be negative, was " + units + " for product " + id);
          }
        });
    inTransaction(
        "reset stock",
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM " + lineTable);
            statement.executeUpdate("DELETE FROM " + orderTable);
            statement.executeUpdate("DELETE FROM " + productTable);
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO " + productTable + " (id, stock, fencing_token) VALUES (?, ?, 0)")) {
            for (Map.Entry<Long, Long> product : new TreeMap<>(stock).entrySet()) {
              insert.setLong(1, product.getKey());
              insert.setLong(2, product.getValue());
              insert.addBatch();
            }
            return insert.executeBatch().length;
          }
        });
  }

  /**
   * Places {@code order} in one transaction with nothing to check before the commit: {@link
   * #placeOrder(Order, Map, Runnable)} with a hook that does nothing.
   *
   * @param order the order
   * @param fencingTokens the lock's fencing token per product of the order; empty for plain,
   *     unfenced writes
   * @return what the order bought
   * @throws OutOfStockException if a product has fewer units left than the order asks for
   * @throws StaleFencingTokenException if a product row accepted a token not older than the order's
   * @throws IllegalArgumentException if a product of the order does not exist, or {@code
   *     fencingTokens} is neither empty nor covers every product of the order
   * @throws StoreException if the database failed
   */
  public OrderConfirmation placeOrder(Order order, Map<Long, Long> fencingTokens)
      throws OrderRejectedException {
    return placeOrder(order, fencingTokens, () -> {});
  }

  /**
   * Places {@code order} in one transaction: claims each product row with the order's fencing token
   * (if given), reads each product's stock, refuses the order if one is short, writes the new
   * stock, records the order and its lines, runs {@code beforeCommit}, and commits. Call it while
   * holding the lock of every product of the order, never the other way round: see {@link
   * OrderService}.
   *
   * <p>The claim, {@code UPDATE product SET fencing_token = ? WHERE id = ? AND fencing_token < ?},
   * comes first, in product id order, and must change the row: it refuses a holder whose token is
   * not newer than the row's, and it takes the row's lock in the database, so the rest of the
   * transaction cannot interleave with another fenced holder's. A holder whose lease ended and who
   * claimed the row first finishes before its successor reads the row; the successor then reads
   * what it committed, and is not refused.
   *
   * @param order the order
   * @param fencingTokens the lock's fencing token per product of the order, to claim each row with;
   *     empty for plain, unfenced writes
   * @param beforeCommit runs after every write, right before the commit; an exception it throws
   *     rolls the order back and propagates (an order service checks there that its locks are still
   *     held)
   * @return what the order bought
   * @throws OutOfStockException if a product has fewer units left than the order asks for
   * @throws StaleFencingTokenException if a product row accepted a token not older than the
   *     order's; nothing was written
   * @throws IllegalArgumentException if a product of the order does not exist, or {@code
   *     fencingTokens} is neither empty nor covers every product of the order
   * @throws StoreException if the database failed
   */
  public OrderConfirmation placeOrder(
      Order order, Map<Long, Long> fencingTokens, Runnable beforeCommit)
      throws OrderRejectedException {
    return placeOrder(order, fencingTokens, beforeCommit, false);
  }

  /**
   * Places {@code order} in one transaction under the database's own row locks, with no other lock:
   * reads each product's stock with {@code SELECT ... FOR UPDATE} in product id order, so that
   * concurrent orders wait for each other inside their transactions (each holding its pooled
   * connection while it waits) and, taking rows in one order, do not deadlock each other; then
   * checks, writes and commits as {@link #placeOrder(Order, Map)} does, unfenced.
   *
   * @param order the order
   * @return what the order bought
   * @throws OutOfStockException if a product has fewer units left than the order asks for
   * @throws IllegalArgumentException if a product of the order does not exist
   * @throws StoreException if the database failed, a lock wait timed out among them
   */
  public OrderConfirmation placeOrderWithRowLocks(Order order) throws OrderRejectedException {
    return placeOrder(order, Map.of(), () -> {}, true);
  }

  private OrderConfirmation placeOrder(
      Order order, Map<Long, Long> fencingTokens, Runnable beforeCommit, boolean rowLocks)
      throws OrderRejectedException {
    requireNonNull(beforeCommit, "beforeCommit");
    SortedMap<Long, Integer> quantities = order.quantities();
    SortedMap<Long, Long> tokens = new TreeMap<>(fencingTokens);
    if (!tokens.isEmpty() && !tokens.keySet().equals(quantities.keySet())) {
      throw new IllegalArgumentException(
          "fencingTokens must name exactly the products of order "
              + order.id()
              + " "
              + quantities.keySet()
              + ", was "
              + fencingTokens);
    }
    return inTransaction(
        "place order " + order.id(),
        connection -> {
          claim(connection, order, tokens);
          List<LineState> lines = readLines(connection, order, quantities, rowLocks);
          afterStockRead.accept(order);
          for (LineState line : lines) {
            if (line.stock() < line.quantity()) {
              throw new OutOfStockException(
                  order.id(), line.productId(), line.quantity(), line.stock());
            }
          }
          for (LineState line : lines) {
            writeStock(connection, line);
          }
          insertOrder(connection, order, quantities);
          beforeCommit.run();
          return new OrderConfirmation(order.id(), order.units());
        });
  }

  /**
   * Records {@code order} and its lines without touching stock, for a strategy that keeps stock
   * elsewhere ({@link RedisStock}).
   *
   * @param order the order
   * @return what the order bought
   * @throws StoreException if the database failed, for example because the order id exists
   */
  public OrderConfirmation recordOrder(Order order) {
    return inTransaction(
        "record order " + order.id(),
        connection -> {
          insertOrder(connection, order, order.quantities());
          return new OrderConfirmation(order.id(), order.units());
        });
  }

  /**
   * Whether an order with this id is recorded: after a failure whose outcome is unknown (the commit
   * may have reached the database and only its reply been lost), this tells which it was.
   *
   * @param orderId the order's id
   * @return true if the order is recorded
   * @throws StoreException if the database failed
   */
  public boolean orderExists(String orderId) {
    requireNonNull(orderId, "orderId");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT 1 FROM " + orderTable + " WHERE id = ?")) {
      select.setString(1, orderId);
      try (ResultSet result = select.executeQuery()) {
        return result.next();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not look up order " + orderId + " in " + this, e);
    }
  }

  /**
   * The units left per product.
   *
   * @return product id to stock, in id order
   * @throws StoreException if the database failed
   */
  public SortedMap<Long, Long> stock() {
    return queryLongs("read stock", "SELECT id, stock FROM " + productTable);
  }

  /**
   * The units sold per product, over every recorded order; products that sold nothing are absent.
   *
   * @return product id to units sold, in id order
   * @throws StoreException if the database failed
   */
  public SortedMap<Long, Long> unitsSold() {
    return queryLongs(
        "read units sold",
        "SELECT product_id, SUM(quantity) FROM " + lineTable + " GROUP BY product_id");
  }

  /**
   * The number of recorded orders.
   *
   * @return the count
   * @throws StoreException if the database failed
   */
  public long orderCount() {
    return queryLongs("count orders", "SELECT 0, COUNT(*) FROM " + orderTable).getOrDefault(0L, 0L);
  }

  @Override
  public String toString() {
    return "Inventory[" + productTable + ", " + orderTable + ", " + lineTable + "]";
  }

  /** A product of an order, with the quantity ordered and the stock this transaction read. */
  private record LineState(long productId, int quantity, long stock) {}

  /** Reads the stock of each product in id order, locking each row first if {@code rowLocks}. */
  private List<LineState> readLines(
      Connection connection, Order order, SortedMap<Long, Integer> quantities, boolean rowLocks)
      throws SQLException {
    List<LineState> lines = new ArrayList<>();
    String sql =
        "SELECT stock FROM " + productTable + " WHERE id = ?" + (rowLocks ? " FOR UPDATE" : "");
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (Map.Entry<Long, Integer> line : quantities.entrySet()) {
        select.setLong(1, line.getKey());
        try (ResultSet result = select.executeQuery()) {
          if (!result.next()) {
            throw unknownProduct(order, line.getKey());
          }
          lines.add(new LineState(line.getKey(), line.getValue(), result.getLong(1)));
        }
      }
    }
    return lines;
  }

  private void writeStock(Connection connection, LineState line) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE " + productTable + " SET stock = ? WHERE id = ?")) {
      update.setLong(1, line.stock() - line.quantity());
      update.setLong(2, line.productId());
      update.executeUpdate();
    }
  }

  /**
   * Sets each row's fencing token to the order's, in product id order, where the row's is older.
   * The update takes the row's lock until the commit, so no other fenced transaction reads or
   * writes the row in between; one whose token is newer waits for this one, one whose token is
   * older is refused when its turn comes.
   */
  private void claim(Connection connection, Order order, SortedMap<Long, Long> tokens)
      throws SQLException, StaleFencingTokenException {
    if (tokens.isEmpty()) {
      return;
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE "
                + productTable
                + " SET fencing_token = ? WHERE id = ? AND fencing_token < ?")) {
      for (Map.Entry<Long, Long> product : tokens.entrySet()) {
        update.setLong(1, product.getValue());
        update.setLong(2, product.getKey());
        update.setLong(3, product.getValue());
        if (update.executeUpdate() != 1) {
          throw refusal(connection, order, product.getKey(), product.getValue());
        }
      }
    }
  }

  /** Why a claim changed no row: the product is unknown, or its row holds a newer token. */
  private StaleFencingTokenException refusal(
      Connection connection, Order order, long productId, long token) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT fencing_token FROM " + productTable + " WHERE id = ?")) {
      select.setLong(1, productId);
      try (ResultSet result = select.executeQuery()) {
        if (!result.next()) {
          throw unknownProduct(order, productId);
        }
        return new StaleFencingTokenException(
            order.id(),
            productId,
            token,
            "the row accepted token " + result.getLong(1) + " already");
      }
    }
  }

  private static IllegalArgumentException unknownProduct(Order order, long productId) {
    return new IllegalArgumentException(
        "Order " + order.id() + " names product " + productId + ", which does not exist");
  }

  private void insertOrder(Connection connection, Order order, SortedMap<Long, Integer> quantities)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO " + orderTable + " (id, units) VALUES (?, ?)")) {
      insert.setString(1, order.id());
      insert.setInt(2, order.units());
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO " + lineTable + " (order_id, product_id, quantity) VALUES (?, ?, ?)")) {
      for (Map.Entry<Long, Integer> line : quantities.entrySet()) {
        insert.setString(1, order.id());
        insert.setLong(2, line.getKey());
        insert.setInt(3, line.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private SortedMap<Long, Long> queryLongs(String what, String sql) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      SortedMap<Long, Long> values = new TreeMap<>();
      while (result.next()) {
        values.put(result.getLong(1), result.getLong(2));
      }
      return Collections.unmodifiableSortedMap(values);
    } catch (SQLException e) {
      throw new StoreException("Could not " + what + " in " + this, e);
    }
  }

  private void execute(String what, String... statements) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not " + what + " in " + this, e);
    }
  }

  /** Work inside a transaction; an exception rolls it back. */
  @FunctionalInterface
  private interface TransactionWork<T, X extends Exception> {
    T run(Connection connection) throws SQLException, X;
  }

  private <T, X extends Exception> T inTransaction(String what, TransactionWork<T, X> work)
      throws X {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(connection, e);
        throw e;
      } catch (Exception e) {
        // X: an order refused on purpose; nothing of it may stay written.
        rollback(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("Could not " + what + " in " + this, e);
    }
  }

  private static void rollback(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Configures an {@link Inventory}. Not thread-safe. */
  public static final class Builder {

    private final DataSource dataSource;
    private String tablePrefix = "";
    private Consumer<Order> afterStockRead = order -> {};

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Prefixes the three table names, so that several inventories can share one database schema;
     * none by default.
     *
     * @param tablePrefix empty, or a lower-case letter followed by up to 39 lower-case letters,
     *     digits and underscores
     * @return this builder
     * @throws IllegalArgumentException if the prefix has another form, naming it
     */
    public Builder tablePrefix(String tablePrefix) {
      if (!TABLE_PREFIX.matcher(requireNonNull(tablePrefix, "tablePrefix")).matches()) {
        throw new IllegalArgumentException(
            "tablePrefix must be empty or match " + TABLE_PREFIX + ", was \"" + tablePrefix + "\"");
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /**
     * Runs {@code hook} inside {@link #placeOrder(Order, Map)}'s transaction, between reading the
     * stock and writing it: where a real service prices the order or calls a payment provider, and
     * where a test or a demonstration makes concurrent orders meet (with a barrier, say).
     *
     * @param hook called with the order being placed, on the placing thread
     * @return this builder
     * @throws NullPointerException if {@code hook} is null
     */
    public Builder afterStockRead(Consumer<Order> hook) {
      this.afterStockRead = requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Builds the inventory; creates no tables.
     *
     * @return the inventory
     */
    public Inventory build() {
      return new Inventory(this);
    }
  }
}
