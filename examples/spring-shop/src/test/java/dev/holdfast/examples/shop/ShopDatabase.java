package dev.holdfast.examples.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A database of a test's own on one of the servers the shop is tested on: a named in-memory H2
 * database that every shop instance of this JVM shares, or a schema (PostgreSQL) or database
 * (MariaDB) created on the local server and dropped at {@link #close()}, so that the shop's
 * unprefixed tables never meet another test's.
 */
final class ShopDatabase implements AutoCloseable {

  /**
   * Set ({@code -Ddatabases.required=true}) by {@code .ci/run}: CI has every server, so a missing
   * one is a failure there, not a skip.
   */
  static final String REQUIRED_PROPERTY = "databases.required";

  private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

  /** The user Spring Boot connects to an embedded database as, when none is configured. */
  private static final String H2_USER = "sa";

  private final String url;

  /** The user to connect as, or empty where the URL names it. */
  private final String user;

  private final String adminUrl;
  private final String dropStatement;

  private ShopDatabase(String url, String user, String adminUrl, String dropStatement) {
    this.url = url;
    this.user = user;
    this.adminUrl = adminUrl;
    this.dropStatement = dropStatement;
  }

  /**
   * An in-memory H2 database that lives until closed. H2 gives up on a row lock after one second by
   * default; ten, so that a test can hold a row as long as a lease lasts.
   */
  static ShopDatabase h2() {
    String url = "jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    return new ShopDatabase(url, H2_USER, url, "SHUTDOWN");
  }

  /** A schema of its own on the PostgreSQL server of this machine. */
  static ShopDatabase postgres() {
    String schema = uniqueName();
    execute(
        POSTGRES_URL,
        "CREATE SCHEMA " + schema,
        "start PostgreSQL on 127.0.0.1:5432 with a database \"test\" that user postgres may use"
            + " without a password (Debian: apt-get install postgresql)");
    return new ShopDatabase(
        POSTGRES_URL + "&currentSchema=" + schema,
        "",
        POSTGRES_URL,
        "DROP SCHEMA " + schema + " CASCADE");
  }

  /** A database of its own on the MariaDB server of this machine. */
  static ShopDatabase mariaDb() {
    String database = uniqueName();
    execute(
        MARIADB_URL,
        "CREATE DATABASE " + database,
        "start MariaDB on 127.0.0.1:3306 with user root and no password"
            + " (Debian: apt-get install mariadb-server)");
    return new ShopDatabase(
        "jdbc:mariadb://127.0.0.1:3306/" + database + "?user=root",
        "",
        MARIADB_URL,
        "DROP DATABASE " + database);
  }

  /** The JDBC URL the shop instances use ({@code spring.datasource.url}). */
  String url() {
    return url;
  }

  /** A connection of the test's own, outside the instances' pools. */
  Connection connect() throws SQLException {
    return user.isEmpty()
        ? DriverManager.getConnection(url)
        : DriverManager.getConnection(url, user, "");
  }

  @Override
  public void close() {
    try (Connection connection =
            user.isEmpty()
                ? DriverManager.getConnection(adminUrl)
                : DriverManager.getConnection(adminUrl, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute(dropStatement);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop the test's database: " + dropStatement, e);
    }
  }

  @Override
  public String toString() {
    return url;
  }

  private static String uniqueName() {
    return "shop_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /**
   * Runs {@code sql} at {@code url}. When nothing answers there, fails the test if {@link
   * #REQUIRED_PROPERTY} is true (CI), else aborts it with a message naming the URL and how to start
   * such a server: a machine without PostgreSQL or MariaDB skips those tests visibly.
   */
  private static void execute(String url, String sql, String howToStart) {
    Connection connection;
    try {
      connection = DriverManager.getConnection(url);
    } catch (SQLException e) {
      String missing =
          "No database at " + url + " (" + e.getMessage() + "); to run these tests " + howToStart;
      if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
        throw new IllegalStateException(missing + " (-D" + REQUIRED_PROPERTY + "=true)", e);
      }
      Assumptions.abort(missing);
      return;
    }
    try (connection;
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run " + sql + " at " + url, e);
    }
  }
}
