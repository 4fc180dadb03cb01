package dev.holdfast.lock.spring;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Up when a connection of the lock table's DataSource answers within the statement timeout ({@link
 * Connection#isValid}, whole seconds, at least one).
 */
final class JdbcBackendHealth implements BackendHealth {

  private final DataSource dataSource;
  private final String table;
  private final int timeoutSeconds;

  JdbcBackendHealth(DataSource dataSource, String table, Duration statementTimeout) {
    this.dataSource = dataSource;
    this.table = table;
    this.timeoutSeconds = (int) Math.max(1, (statementTimeout.toMillis() + 999) / 1000);
  }

  @Override
  public Status check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("backend", "jdbc");
    details.put("table", table);
    try (Connection connection = dataSource.getConnection()) {
      boolean valid = connection.isValid(timeoutSeconds);
      if (!valid) {
        details.put("error", "the connection did not answer within " + timeoutSeconds + " s");
      }
      return new Status(valid, details);
    } catch (SQLException e) {
      details.put("error", String.valueOf(e.getMessage()));
      return new Status(false, details);
    }
  }
}
