package dev.holdfast.examples.inventory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
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
   * Opens a pool to {@code url}, or aborts the test with a message naming the URL and how to start
   * such a server when nothing answers there: a fresh machine without PostgreSQL or MariaDB skips
   * those tests visibly, and CI, which has both, runs them.
   */
  static TestDatabase open(String url, int poolSize, String howToStart) {
    try (Connection probe = DriverManager.getConnection(url)) {
      probe.isValid(2);
    } catch (SQLException e) {
      Assumptions.abort(
          "No database at " + url + " (" + e.getMessage() + "); to run these tests " + howToStart);
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

  /** An inventory on fresh tables of this test's own. */
  Inventory.Builder inventory() {
    return Inventory.builder(dataSource).tablePrefix(tablePrefix);
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
