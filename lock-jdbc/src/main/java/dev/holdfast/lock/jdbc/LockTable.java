package dev.holdfast.lock.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * The lock table's statements, each run in one short transaction on a connection borrowed from the
 * pool and given back before the method returns. Rows are touched one key at a time in the
 * request's order, so that every transaction on the table locks rows in the one order every caller
 * shares and none can deadlock another. Thread-safe.
 */
final class LockTable {

  /** What one attempt found. */
  sealed interface Attempt {}

  /** Every key taken. */
  static final class Taken implements Attempt {
    private final long[] tokens;
    private final long sentAt;

    Taken(long[] tokens, long sentAt) {
      this.tokens = tokens;
      this.sentAt = sentAt;
    }

    /**
     * The {@link System#nanoTime()} before the updates that took the keys were sent: their leases
     * began at the database's clock after it.
     */
    long sentAt() {
      return sentAt;
    }

    /** The keys' fencing tokens in the request's order; the array is the caller's to keep. */
    long[] tokens() {
      return tokens;
    }
  }

  /** Nothing taken: the key at {@code index} of the request is held by another owner. */
  record Held(int index) implements Attempt {}

  /**
   * The commit of a transaction failed: unlike a failed statement, it may have taken effect (the
   * database committed, the answer was lost). Carries the cause's SQL state and error code.
   */
  static final class CommitFailed extends SQLException {
    private static final long serialVersionUID = 1L;

    CommitFailed(SQLException cause) {
      super(
          "commit failed: " + cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
    }
  }

  /**
   * The JDBC spec's executor for {@link Connection#setNetworkTimeout}, which drivers seldom use.
   */
  private static final Executor CALLING_THREAD = Runnable::run;

  final String name;
  final Dialect dialect;
  private final DataSource dataSource;
  private final int statementTimeoutMillis;

  private final String take;
  private final String insertIfAbsent;
  private final String release;
  private final String renew;

  LockTable(DataSource dataSource, Dialect dialect, String name, int statementTimeoutMillis) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.name = name;
    this.statementTimeoutMillis = statementTimeoutMillis;
    String now = dialect.nowMicros;
    this.take =
        "UPDATE "
            + name
            + " SET owner_token = ?, lease_end = "
            + now
            + " + ?, fencing_token = GREATEST(fencing_token + 1, "
            + now
            + ") WHERE lock_key = ? AND (owner_token IS NULL OR lease_end <= "
            + now
            + ")";
    this.insertIfAbsent = dialect.insertIfAbsent(name);
    this.release =
        "UPDATE "
            + name
            + " SET owner_token = NULL, lease_end = NULL"
            + " WHERE lock_key = ? AND owner_token = ? AND lease_end > "
            + now;
    this.renew =
        "UPDATE "
            + name
            + " SET lease_end = "
            + now
            + " + ? WHERE lock_key = ? AND owner_token = ? AND lease_end > "
            + now;
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Creates the table from the shipped DDL unless it exists. */
  void createIfMissing() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(dialect.createTable(name));
    }
  }

  /**
   * Takes every key for {@code owner}, or none: the lease of each ends {@code leaseMicros} after
   * the database's clock reads at the update, and its token grows past every earlier one (and past
   * the database's clock in microseconds, so that a deleted row does not start the key over).
   *
   * <p>A take only updates rows, in one pass in the request's order. Keys without a row get one,
   * free, in an insert-only transaction of its own, and the take is made again: a take that updated
   * the keys with rows and then inserted the others would lock rows out of the shared order, and
   * two such takes deadlock (PostgreSQL needs a second to break that, InnoDB a victim).
   */
  Attempt tryTake(List<String> keys, String owner, long leaseMicros) throws SQLException {
    List<String> rowless = new ArrayList<>(0);
    Attempt attempt =
        inTransaction(connection -> take(connection, keys, owner, leaseMicros, rowless));
    if (rowless.isEmpty()) {
      return attempt;
    }
    inTransaction(connection -> insertFree(connection, rowless));
    rowless.clear();
    // Rows are never deleted by Holdfast; one deleted meanwhile by hand makes this a Held: a retry.
    return inTransaction(connection -> take(connection, keys, owner, leaseMicros, rowless));
  }

  /**
   * One take, in the caller's transaction, which it rolls back unless every key was taken.
   *
   * @param rowless gets the keys without a row when no key is held by another owner
   * @return the tokens, or the first key held by another owner, else the first key without a row
   */
  private Attempt take(
      Connection connection,
      List<String> keys,
      String owner,
      long leaseMicros,
      List<String> rowless)
      throws SQLException {
    long sentAt = System.nanoTime();
    try (PreparedStatement update = connection.prepareStatement(take)) {
      for (String key : keys) {
        update.setString(1, owner);
        update.setLong(2, leaseMicros);
        update.setString(3, key);
        update.addBatch();
      }
      update.executeBatch();
    }
    Map<String, Long> ours = new HashMap<>();
    Set<String> withRow = new HashSet<>();
    ownedTokens(connection, keys, owner, ours, withRow);
    long[] tokens = new long[keys.size()];
    int firstRowless = -1;
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      Long token = ours.get(key);
      if (token != null) {
        tokens[i] = token;
      } else if (withRow.contains(key)) {
        connection.rollback();
        rowless.clear();
        return new Held(i);
      } else {
        firstRowless = firstRowless < 0 ? i : firstRowless;
        rowless.add(key);
      }
    }
    if (firstRowless >= 0) {
      connection.rollback();
      return new Held(firstRowless);
    }
    return new Taken(tokens, sentAt);
  }

  /**
   * Inserts a free row for each of {@code keys} that has none, in order.
   *
   * @return the update count of each key: 1 if its row was inserted here
   */
  private int[] insertFree(Connection connection, List<String> keys) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(insertIfAbsent)) {
      for (String key : keys) {
        insert.setString(1, key);
        insert.addBatch();
      }
      return insert.executeBatch();
    }
  }

  /**
   * Reads which of {@code keys} have a row ({@code withRow}) and the tokens of those {@code owner}
   * holds ({@code ours}); a plain read, which locks nothing.
   */
  private void ownedTokens(
      Connection connection,
      List<String> keys,
      String owner,
      Map<String, Long> ours,
      Set<String> withRow)
      throws SQLException {
    String sql =
        "SELECT lock_key, owner_token, fencing_token FROM "
            + name
            + " WHERE lock_key IN ("
            + placeholders(keys.size())
            + ")";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < keys.size(); i++) {
        select.setString(i + 1, keys.get(i));
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String key = rows.getString(1);
          withRow.add(key);
          if (owner.equals(rows.getString(2))) {
            ours.put(key, rows.getLong(3));
          }
        }
      }
    }
  }

  /**
   * Frees the keys {@code owner} still holds, in the request's order, and on PostgreSQL notifies
   * the listeners of the released keys when the transaction commits.
   *
   * @return the keys {@code owner} no longer held (lease ended, or taken by another), in order
   */
  List<String> release(List<String> keys, String owner, boolean notify) throws SQLException {
    return inTransaction(
        connection -> {
          List<String> lost;
          List<String> released = new ArrayList<>(keys.size());
          try (PreparedStatement update = connection.prepareStatement(release)) {
            for (String key : keys) {
              update.setString(1, key);
              update.setString(2, owner);
              update.addBatch();
            }
            lost = notUpdated(keys, update.executeBatch(), released);
          }
          if (notify && !released.isEmpty()) {
            try (PreparedStatement notification =
                connection.prepareStatement(
                    "SELECT pg_notify(?, released) FROM unnest(?) released")) {
              notification.setString(1, releaseChannel());
              notification.setArray(2, connection.createArrayOf("text", released.toArray()));
              notification.execute();
            }
          }
          return lost;
        });
  }

  /**
   * Extends the lease of the keys {@code owner} still holds to {@code leaseMicros} from the
   * database's clock.
   *
   * @return the keys {@code owner} no longer held, in order
   */
  List<String> renew(List<String> keys, String owner, long leaseMicros) throws SQLException {
    return inTransaction(
        connection -> {
          try (PreparedStatement update = connection.prepareStatement(renew)) {
            for (String key : keys) {
              update.setLong(1, leaseMicros);
              update.setString(2, key);
              update.setString(3, owner);
              update.addBatch();
            }
            return notUpdated(keys, update.executeBatch(), new ArrayList<>(keys.size()));
          }
        });
  }

  /**
   * Reads which of {@code keys} {@code owner} no longer holds, by the database's clock.
   *
   * @return those keys, in order
   */
  List<String> lost(List<String> keys, String owner) throws SQLException {
    String sql =
        "SELECT lock_key FROM "
            + name
            + " WHERE owner_token = ? AND lease_end > "
            + dialect.nowMicros
            + " AND lock_key IN ("
            + placeholders(keys.size())
            + ")";
    return inTransaction(
        connection -> {
          Set<String> held = new HashSet<>();
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, owner);
            for (int i = 0; i < keys.size(); i++) {
              select.setString(i + 2, keys.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                held.add(rows.getString(1));
              }
            }
          }
          List<String> lost = new ArrayList<>(0);
          for (String key : keys) {
            if (!held.contains(key)) {
              lost.add(key);
            }
          }
          return lost;
        });
  }

  /**
   * The PostgreSQL channel this table's releases are notified on: its name, lower case, dots as
   * underscores.
   */
  String releaseChannel() {
    return name.toLowerCase(Locale.ROOT).replace('.', '_');
  }

  /** Drops the table. For tests and tools. */
  void drop() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + name);
    }
  }

  /**
   * Splits {@code keys} by the update count of their statement: those with a row updated go to
   * {@code updated}, the others are returned.
   */
  private static List<String> notUpdated(List<String> keys, int[] counts, List<String> updated) {
    List<String> missed = new ArrayList<>(0);
    for (int i = 0; i < keys.size(); i++) {
      if (counts[i] < 0) {
        throw new IllegalStateException(
            "The JDBC driver reported no row count for a batched update ("
                + counts[i]
                + "); lock-jdbc needs one per statement");
      }
      (counts[i] == 0 ? missed : updated).add(keys.get(i));
    }
    return missed;
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one READ COMMITTED transaction on a pooled connection, with every
   * statement bounded by the statement timeout, and commits unless the work rolled back; rolls back
   * on any failure. The connection goes back to the pool before this returns.
   */
  private <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      int networkTimeout = boundStatements(connection);
      try {
        if (autoCommit) {
          connection.setAutoCommit(false);
        }
        if (dialect == Dialect.MARIADB) {
          // InnoDB's default REPEATABLE READ takes gap locks on missing keys, which deadlock
          // inserts of different keys; for the next transaction only, so the pool keeps its own.
          try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
          }
        }
        T result = work.run(connection);
        try {
          connection.commit();
        } catch (SQLException e) {
          throw new CommitFailed(e);
        }
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollBackQuietly(connection, e);
        throw e;
      } finally {
        if (autoCommit && !connection.isClosed()) {
          connection.setAutoCommit(true);
        }
        restoreNetworkTimeout(connection, networkTimeout);
      }
    }
  }

  /**
   * Bounds every read on the connection's socket by the statement timeout, so that a stalled
   * database fails the call in time instead of hanging it; an embedded database has no socket.
   *
   * @return the connection's own timeout, to restore; -1 if the driver has none
   */
  private int boundStatements(Connection connection) throws SQLException {
    try {
      int own = connection.getNetworkTimeout();
      connection.setNetworkTimeout(CALLING_THREAD, statementTimeoutMillis);
      return own;
    } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
      return -1;
    }
  }

  private static void restoreNetworkTimeout(Connection connection, int own) throws SQLException {
    if (own >= 0 && !connection.isClosed()) {
      connection.setNetworkTimeout(CALLING_THREAD, own);
    }
  }

  private static void rollBackQuietly(Connection connection, Throwable failure) {
    try {
      if (!connection.isClosed()) {
        connection.rollback();
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
