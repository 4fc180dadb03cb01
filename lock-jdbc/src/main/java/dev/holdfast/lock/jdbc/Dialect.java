package dev.holdfast.lock.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;
import java.util.stream.Collectors;

/** What differs between the databases the lock table runs on: the clock, insert-if-absent, DDL. */
enum Dialect {
  POSTGRESQL(
      "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)",
      "INSERT INTO %1$s (lock_key, fencing_token) VALUES (?, %2$s) ON CONFLICT (lock_key) DO NOTHING",
      "postgresql.sql"),

  MARIADB(
      "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))",
      // IGNORE turns only the duplicate key into "0 rows": the key's length is checked beforehand.
      "INSERT IGNORE INTO %1$s (lock_key, fencing_token) VALUES (?, %2$s)",
      "mariadb.sql"),

  H2(
      "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000 AS BIGINT)",
      "MERGE INTO %1$s USING (VALUES (CAST(? AS VARCHAR(255)))) AS adding(lock_key)"
          + " ON %1$s.lock_key = adding.lock_key"
          + " WHEN NOT MATCHED THEN INSERT (lock_key, fencing_token) VALUES (adding.lock_key, %2$s)",
      "h2.sql");

  /** The table name in the shipped DDL, replaced by the configured one. */
  static final String DEFAULT_TABLE = "holdfast_lock";

  /** The database's clock in microseconds since 1970, UTC. */
  final String nowMicros;

  /**
   * Inserts a free row for a key that has none yet, its token at the database's clock; nothing if
   * the key has one. Parameter: the key.
   */
  private final String insertIfAbsent;

  private final String ddlResource;

  Dialect(String nowMicros, String insertIfAbsent, String ddlResource) {
    this.nowMicros = nowMicros;
    this.insertIfAbsent = insertIfAbsent;
    this.ddlResource = ddlResource;
  }

  /**
   * Finds the dialect of a database by the product name its driver reports.
   *
   * @throws IllegalStateException if the database is none of the supported ones, naming it
   */
  static Dialect of(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalStateException(
        "lock-jdbc supports PostgreSQL, MariaDB, MySQL and H2; the DataSource's database is "
            + productName);
  }

  String insertIfAbsent(String table) {
    return String.format(Locale.ROOT, insertIfAbsent, table, nowMicros);
  }

  /** The shipped {@code CREATE TABLE IF NOT EXISTS} statement, for {@code table}. */
  String createTable(String table) {
    return resource(ddlResource)
        .lines()
        .filter(line -> !line.startsWith("--"))
        .collect(Collectors.joining("\n"))
        .replace(DEFAULT_TABLE, table)
        .trim();
  }

  /**
   * Tells whether a failed statement lost a race with another attempt (a duplicate insert, a
   * deadlock victim, a serialization failure, a lock wait given up) rather than a failure of the
   * database: the attempt counts as blocked and is tried again.
   */
  boolean isContention(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return false;
    }
    return state.startsWith("23") // integrity: a concurrent insert of the same key
        || state.startsWith("40") // 40001 serialization failure or deadlock, 40P01 deadlock
        || (this == POSTGRESQL && state.equals("55P03")) // lock not available
        || (this == MARIADB && e.getErrorCode() == 1205) // lock wait timeout
        || (this == H2 && (state.equals("90131") || state.equals("HYT00"))); // concurrent update
  }

  private static String resource(String name) {
    try (InputStream in = Dialect.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("lock-jdbc's resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
