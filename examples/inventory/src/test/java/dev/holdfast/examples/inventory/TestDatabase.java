package dev.holdfast.examples.inventory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A connection pool to one of the databases the example is tested on, and a table prefix of the
 * test's own: PostgreSQL and MariaDB are shared servers, so a test creates only its own tables and
 * drops them afterwards.
 */
final class TestDatabase implements AutoCloseable {

  static final String H2_URL = "jdbc:h2:mem:inventory-test;DB_CLOSE_DELAY=-1";
  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

  private final HikariDataSource dataSource;
  private final String tablePrefix;

  private TestDatabase(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.tablePrefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";
  }

  /**
   * Set ({@code -Ddatabases.required=true}) by {@code .ci/run}: CI has every server, so a missing
   * one is a failure there, not a skip.
   */
  static final String REQUIRED_PROPERTY = "databases.required";

  /**
   * Opens a pool to {@code url}. When nothing answers there, fails the test if {@link
   * #REQUIRED_PROPERTY} is true (CI), else aborts it with a message naming the URL and how to start
   * such a server: a fresh machine without PostgreSQL or MariaDB skips those tests visibly.
   */
  static TestDatabase open(String url, int poolSize, String howToStart) {
    try (Connection probe = DriverManager.getConnection(url)) {
      probe.isValid(2);
    } catch (SQLException e) {
      String missing =
          "No database at " + url + " (" + e.getMessage() + "); to run these tests " + howToStart;
      if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
        throw new IllegalStateException(missing + " (-D" + REQUIRED_PROPERTY + "=true)", e);
      }
      Assumptions.abort(missing);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5_000);
    return new TestDatabase(new HikariDataSource(config));
  }

  HikariDataSource dataSource() {
    return dataSource;
  }

  /** The name of one of this test's tables: {@code product}, {@code order_line}, ... */
  String table(String name) {
    return tablePrefix + name;
  }

  /** An inventory on fresh tables of this test's own. */
  Inventory.Builder inventory() {
    return inventory(dataSource);
  }

  /** An inventory on this test's tables, reached through {@code over} (which wraps the pool). */
  Inventory.Builder inventory(DataSource over) {
    return Inventory.builder(over).tablePrefix(tablePrefix);
  }

  @Override
  public void close() {
    try {
      inventory().build().dropTables();
    } finally {
      dataSource.close();
    }
  }
}
