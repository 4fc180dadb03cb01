package dev.holdfast.lock.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the lock table's channel on one dedicated connection, taken from the provider's
 * DataSource for the provider's lifetime, and wakes this provider's waiters of each released key. A
 * release by any client notifies the channel when its transaction commits. A lost connection is
 * opened again after a pause, and every waiter is woken then, since releases may have been missed
 * meanwhile; the waiters' bounded back-off covers the gap.
 *
 * <p>Loaded only when the PostgreSQL driver is on the class path (it is an optional dependency).
 */
final class PostgresReleaseListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresReleaseListener.class);

  /** How long one read for notifications blocks, and so how soon {@link #close()} is noticed. */
  private static final int READ_MILLIS = 250;

  private final DataSource dataSource;
  private final String channel;
  private final ReleaseSignals signals;
  private final long reconnectPauseNanos;
  private final Thread thread;
  private volatile boolean closed;
  private volatile @Nullable Connection connection;

  PostgresReleaseListener(
      DataSource dataSource, String channel, ReleaseSignals signals, long reconnectPauseNanos) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.signals = signals;
    this.reconnectPauseNanos = reconnectPauseNanos;
    this.thread = new Thread(this::listen, "holdfast-jdbc-listen-" + channel);
    thread.setDaemon(true);
  }

  /**
   * Opens the listening connection and starts the listening thread.
   *
   * @throws SQLException if the connection cannot be opened or LISTEN fails
   */
  void start() throws SQLException {
    connection = connectAndListen();
    thread.start();
  }

  private Connection connectAndListen() throws SQLException {
    Connection opened = dataSource.getConnection();
    try {
      if (!opened.getAutoCommit()) {
        opened.setAutoCommit(true);
      }
      try (Statement statement = opened.createStatement()) {
        statement.execute("LISTEN " + channel);
      }
      return opened;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(opened);
      throw e;
    }
  }

  private void listen() {
    while (!closed) {
      Connection current = connection;
      try {
        if (current == null) {
          current = connectAndListen();
          connection = current;
          signals.releasedAll();
        }
        PGNotification[] notifications =
            current.unwrap(PGConnection.class).getNotifications(READ_MILLIS);
        if (notifications != null) {
          for (PGNotification notification : notifications) {
            signals.released(notification.getParameter());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("Listening for releases on {} failed; listening again shortly", channel, e);
        if (current != null) {
          closeQuietly(current);
        }
        connection = null;
        signals.releasedAll();
        pause();
      }
    }
  }

  private void pause() {
    try {
      TimeUnit.NANOSECONDS.sleep(reconnectPauseNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops listening and gives the connection back to the pool; waits for the thread to end. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection current = connection;
    if (current != null) {
      closeQuietly(current);
    }
  }

  private static void closeQuietly(Connection connection) {
    try (Statement statement = connection.createStatement()) {
      statement.execute("UNLISTEN *");
    } catch (SQLException e) {
      log.debug("UNLISTEN failed on a connection being closed", e);
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("Closing the listening connection failed", e);
    }
  }
}
