package dev.holdfast.lock.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Connection pools to one of the databases the backend is tested on, and a lock table of the test
 * class's own: PostgreSQL and MariaDB are shared servers, so a test class creates only its own
 * table, with a random name, and drops it afterwards.
 */
final class TestDatabase implements AutoCloseable {

  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

  /**
   * Set ({@code -Ddatabases.required=true}) by {@code .ci/run}: CI has every server, so a missing
   * one is a failure there, not a skip.
   */
  static final String REQUIRED_PROPERTY = "databases.required";

  private static final int POOL_SIZE = 12;

  private final String url;
  private final HikariDataSource pool;
  private @Nullable HikariDataSource secondPool;
  final String table;

  private TestDatabase(String url) {
    this.url = url;
    this.pool = pool(url);
    this.table = "holdfast_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static TestDatabase postgres() {
    return open(POSTGRES_URL, "start PostgreSQL on 127.0.0.1:5432 (user postgres, trust, db test)");
  }

  static TestDatabase mariadb() {
    return open(MARIADB_URL, "start MariaDB on 127.0.0.1:3306 (root, no password, db test)");
  }

  /** An in-process H2 database of its own, which nothing else sees. */
  static TestDatabase h2() {
    return new TestDatabase("jdbc:h2:mem:holdfast-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  /**
   * Opens a pool to {@code url}. When nothing answers there, fails if {@link #REQUIRED_PROPERTY} is
   * true (CI), else aborts the test class with a message naming the URL and how to start a server.
   */
  private static TestDatabase open(String url, String howToStart) {
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
    return new TestDatabase(url);
  }

  private static HikariDataSource pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5_000);
    return new HikariDataSource(config);
  }

  HikariDataSource pool() {
    return pool;
  }

  /** A builder for a provider on this class's table, over the first pool. */
  JdbcLockProvider.Builder provider() {
    return provider(pool);
  }

  /** A builder for a provider on this class's table, over {@code dataSource}: a pool, wrapped. */
  JdbcLockProvider.Builder provider(DataSource dataSource) {
    return JdbcLockProvider.builder(dataSource).tableName(table).createTableIfMissing(true);
  }

  /** A provider on the same table over a pool of its own: another client. */
  JdbcLockProvider secondClient() {
    if (secondPool == null) {
      secondPool = pool(url);
    }
    return JdbcLockProvider.builder(secondPool).tableName(table).build();
  }

  /** Runs {@code sql} on a connection of its own, outside the providers. */
  void execute(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      execute("DROP TABLE IF EXISTS " + table);
    } finally {
      pool.close();
      if (secondPool != null) {
        secondPool.close();
      }
    }
  }
}
