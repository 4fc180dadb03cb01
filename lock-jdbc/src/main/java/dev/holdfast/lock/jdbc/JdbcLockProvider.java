package dev.holdfast.lock.jdbc;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Locks in a table of a relational database (PostgreSQL, MariaDB, MySQL or H2), reached through a
 * {@link DataSource} the caller creates, configures and closes. Thread-safe; share one per table.
 *
 * <pre>{@code
 * JdbcLockProvider locks = JdbcLockProvider.builder(dataSource).createTableIfMissing(true).build();
 * LockTemplate template = LockTemplate.of(locks);
 * }</pre>
 *
 * <h2>The table</h2>
 *
 * <p>One row per key ever locked: the key, the owner token of the acquisition that holds it (null
 * while free), its lease end in microseconds by the database's clock, and the key's last fencing
 * token. The DDL for each database ships in this jar ({@code
 * dev/holdfast/lock/jdbc/postgresql.sql}, {@code mariadb.sql}, {@code h2.sql}), for {@code
 * holdfast_lock}; {@link Builder#createTableIfMissing(boolean)} runs it for the configured name.
 * Rows are never deleted: a row keeps its key's token counter. Keys are at most {@value
 * #MAX_KEY_LENGTH} characters.
 *
 * <h2>Acquisition</h2>
 *
 * <p>Each attempt is one short READ COMMITTED transaction on a pooled connection: it takes every
 * key of the request whose lease has ended or that is free, in the request's order, and commits
 * only if it got them all; otherwise it rolls back and holds nothing. Keys that have no row yet get
 * one, free, in an insert-only transaction of its own, and the attempt is made again. Every
 * transaction on the table thus locks its rows in one pass in that one order, so none waits for
 * another in a cycle. Between attempts the caller waits <b>without a connection</b>: woken at once
 * by a release through this provider, on PostgreSQL by a release through any client (LISTEN/NOTIFY
 * on a channel named after the table, read on one dedicated connection this provider takes from the
 * DataSource for its lifetime), and otherwise after a back-off that doubles from 5 ms up to the
 * {@linkplain Builder#pollInterval poll interval}. A waiter waits for every key of its request, and
 * is woken by the release of any. A new caller whose keys another caller of this provider waits for
 * waits one back-off before its first attempt, so that a request for many keys is not starved by
 * requests for few; beyond that, waiters are not queued (whoever tries first after a release gets
 * the key), and callers of other providers are not held back.
 *
 * <h2>Fencing tokens</h2>
 *
 * <p>A key's token is the greater of its last token plus one and the database's clock in
 * microseconds since 1970, so it grows with each acquisition of the key, and a deleted row does not
 * start the key over as long as the database's clock has not gone back by more than the time since
 * the key's last token. Tokens of different keys are not comparable.
 *
 * <h2>Time</h2>
 *
 * <p>Every statement's network reads are bounded by the {@linkplain Builder#statementTimeout
 * statement timeout} ({@link Connection#setNetworkTimeout}): a stalled database fails the call with
 * a {@link LockBackendException} instead of hanging it; a driver closes a connection whose read
 * timed out, and the pool replaces it. An acquisition thus ends within its wait time plus the
 * statement timeout per statement of its last attempt (an update batch and a read; on first use of
 * a key also an insert batch, another update batch and read), plus whatever {@link
 * DataSource#getConnection()} waits for a free connection, which the pool decides (HikariCP: {@code
 * connectionTimeout}). An embedded H2 has no network: its own lock timeout bounds a wait for a row.
 * An attempt that took its keys but returned a whole lease after its updates were sent gives them
 * back and fails with a {@link LockBackendException}: the lease may have ended before the caller
 * could use it.
 *
 * <p>{@link #close()} stops lease renewals and the listener; it never closes the DataSource.
 */
public final class JdbcLockProvider implements LockProvider, AutoCloseable {

  /** The table's name unless configured: {@code holdfast_lock}. */
  public static final String DEFAULT_TABLE_NAME = Dialect.DEFAULT_TABLE;

  /** How long one statement may wait for the database, unless configured: 2 s. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(2);

  /** The longest back-off between two attempts without news of a release: 200 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

  /** The longest key the table holds, in characters. */
  public static final int MAX_KEY_LENGTH = 255;

  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  private static final Set<LockCapability> CAPABILITIES = EnumSet.allOf(LockCapability.class);

  private final LockTable table;
  private final ReleaseSignals signals = new ReleaseSignals();
  private final ScheduledThreadPoolExecutor renewals;
  private final long pollIntervalNanos;
  private final @Nullable AutoCloseable listener;

  private JdbcLockProvider(Builder builder, LockTable table) throws SQLException {
    this.table = table;
    this.pollIntervalNanos = builder.pollInterval.toNanos();
    this.listener = listensForReleases(builder) ? startListener() : null;
    this.renewals =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "holdfast-jdbc-renew-" + table);
              thread.setDaemon(true);
              return thread;
            });
    renewals.setRemoveOnCancelPolicy(true);
  }

  private boolean listensForReleases(Builder builder) {
    return builder.releaseNotifications
        && table.dialect == Dialect.POSTGRESQL
        && isOnClassPath("org.postgresql.PGConnection");
  }

  private AutoCloseable startListener() throws SQLException {
    PostgresReleaseListener started =
        new PostgresReleaseListener(
            table.dataSource(), table.releaseChannel(), signals, pollIntervalNanos);
    started.start();
    return started;
  }

  private static boolean isOnClassPath(String className) {
    try {
      Class.forName(className, false, JdbcLockProvider.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Starts a builder over {@code dataSource}.
   *
   * @param dataSource the database's connections, pooled; the provider never closes it
   * @return a builder with the defaults: {@link #DEFAULT_TABLE_NAME}, no table creation, {@link
   *     #DEFAULT_STATEMENT_TIMEOUT}, {@link #DEFAULT_POLL_INTERVAL}, release notifications on
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource must not be null"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws dev.holdfast.lock.LockBackendException if the database failed or did not answer within
   *     the statement timeout; an attempt whose commit failed (it may have taken effect) is given
   *     back at once, which may take one more statement timeout, or frees itself when its lease
   *     ends
   * @throws IllegalArgumentException if a key is longer than {@value #MAX_KEY_LENGTH} characters
   * @throws IllegalStateException if the provider is closed: it could no longer renew leases
   */
  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    if (renewals.isShutdown()) {
      throw new IllegalStateException(this + " is closed");
    }
    List<String> keys = request.keys();
    for (String key : keys) {
      if (key.length() > MAX_KEY_LENGTH) {
        throw new IllegalArgumentException(
            "keys must be at most "
                + MAX_KEY_LENGTH
                + " characters, was "
                + key.length()
                + ": "
                + key);
      }
    }
    long leaseMicros = leaseMicros(request);
    long backoffNanos = Math.min(FIRST_BACKOFF_NANOS, pollIntervalNanos);
    boolean waitedOnce = false;
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while acquiring " + keys);
      }
      if (!waitedOnce && signals.anyWaiting(keys)) {
        waitedOnce = true;
        long remaining = deadline.remainingNanos();
        if (remaining > 0) {
          signals.await(keys, Math.min(backoffNanos, remaining));
          continue;
        }
      }
      String owner = UUID.randomUUID().toString();
      LockTable.Attempt attempt = attempt(request, owner, leaseMicros);
      if (attempt instanceof LockTable.Taken taken) {
        return taken(request, owner, taken.tokens(), taken.sentAt());
      }
      int blocking = ((LockTable.Held) attempt).index();
      long remaining = deadline.remainingNanos();
      if (remaining == 0) {
        return new Acquisition.Blocked(List.of(keys.get(blocking)));
      }
      waitedOnce = true;
      signals.await(keys, Math.min(backoffNanos, remaining));
      backoffNanos = Math.min(backoffNanos * 2, pollIntervalNanos);
    }
  }

  /**
   * Makes one attempt.
   *
   * @return the tokens, or the index of a key held by another owner (the first key when the attempt
   *     lost a race it cannot name)
   */
  private LockTable.Attempt attempt(LockRequest request, String owner, long leaseMicros) {
    List<String> keys = request.keys();
    LockTable.Attempt attempt;
    try {
      attempt = table.tryTake(keys, owner, leaseMicros);
    } catch (SQLException e) {
      if (table.dialect.isContention(e)) {
        return new LockTable.Held(0); // lost a race with another attempt: try again, as if blocked
      }
      LockBackendException failure =
          new LockBackendException("Could not take " + keys + " in " + table, keys, e);
      if (e instanceof LockTable.CommitFailed) {
        giveBackQuietly(keys, owner, failure); // the commit may have taken effect
      }
      throw failure;
    }
    return attempt;
  }

  private Acquisition taken(LockRequest request, String owner, long[] tokens, long sentAt) {
    JdbcHandle handle = new JdbcHandle(this, request, owner, tokens);
    long elapsed = System.nanoTime() - sentAt;
    if (elapsed >= request.leaseTime().toNanos()) {
      LockBackendException late =
          new LockBackendException(
              "Taking "
                  + request.keys()
                  + " took "
                  + TimeUnit.NANOSECONDS.toMillis(elapsed)
                  + " ms, longer than its lease of "
                  + request.leaseTime().toMillis()
                  + " ms; the keys were given back",
              request.keys(),
              new IllegalStateException("lease ran out before the acquisition returned"));
      giveBackQuietly(request.keys(), owner, late);
      throw late;
    }
    if (request.leaseMode() == LeaseMode.RENEWING) {
      handle.renewFrom(sentAt, renewals);
    }
    return new Acquisition.Acquired(handle);
  }

  private void giveBackQuietly(List<String> keys, String owner, Exception failure) {
    try {
      releaseRows(keys, owner);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Frees the rows {@code owner} holds and wakes this provider's waiters of those keys.
   *
   * @return the keys {@code owner} no longer held
   * @throws LockBackendException if the database failed; the keys free themselves at lease end
   */
  List<String> releaseRows(List<String> keys, String owner) {
    try {
      return table.release(keys, owner, listener != null);
    } catch (SQLException e) {
      throw new LockBackendException(
          "Could not release "
              + keys
              + " in "
              + table
              + "; they free themselves when their leases end",
          keys,
          e);
    } finally {
      keys.forEach(signals::released);
    }
  }

  LockTable table() {
    return table;
  }

  long leaseMicros(LockRequest request) {
    return TimeUnit.NANOSECONDS.toMicros(request.leaseTime().toNanos());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Every capability: fencing tokens, lease expiry and renewal, exclusion between clients (every
   * provider on the same table), and atomic multi-key acquisition (one transaction per attempt).
   */
  @Override
  public Set<LockCapability> capabilities() {
    return CAPABILITIES;
  }

  /**
   * Returns the table this provider locks in.
   *
   * @return its name as configured
   */
  public String tableName() {
    return table.name;
  }

  /**
   * Tells whether this provider is woken by releases of other clients: on PostgreSQL, with release
   * notifications on and the PostgreSQL driver on the class path. It then holds one connection of
   * the DataSource for its lifetime.
   *
   * @return {@code true} if it listens on the table's channel
   */
  public boolean listensForReleases() {
    return listener != null;
  }

  /**
   * Stops lease renewals and the listener, giving its connection back; keys still held free
   * themselves when their leases end. Does not close the DataSource. Idempotent.
   */
  @Override
  public void close() {
    renewals.shutdownNow();
    if (listener != null) {
      try {
        listener.close();
      } catch (Exception e) {
        throw new IllegalStateException("Could not stop listening on " + table, e);
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcLockProvider{table=" + table + ", database=" + table.dialect + '}';
  }

  /** Configures a {@link JdbcLockProvider}. Not thread-safe. */
  public static final class Builder {

    private final DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private boolean createTableIfMissing;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private boolean releaseNotifications = true;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets the lock table's name, optionally qualified by a schema; it is used as given in SQL.
     *
     * @param tableName letters, digits and underscores, not starting with a digit, at most 63 of
     *     them, optionally {@code schema.table}
     * @return this builder
     * @throws NullPointerException if {@code tableName} is null
     * @throws IllegalArgumentException if it is not such a name, naming it
     */
    public Builder tableName(String tableName) {
      Objects.requireNonNull(tableName, "tableName must not be null");
      if (!TABLE_NAME.matcher(tableName).matches()) {
        throw new IllegalArgumentException(
            "tableName must be an unquoted SQL identifier (letters, digits, _; optionally"
                + " schema.table), was "
                + tableName);
      }
      this.tableName = tableName;
      return this;
    }

    /**
     * Sets whether {@link #build()} creates the table from the shipped DDL when it does not exist.
     * Off by default: most teams create tables by migration (Flyway, Liquibase).
     *
     * @param create {@code true} to create it
     * @return this builder
     */
    public Builder createTableIfMissing(boolean create) {
      this.createTableIfMissing = create;
      return this;
    }

    /**
     * Sets how long one statement may wait for the database before the call fails with a {@link
     * LockBackendException}; keep it well above the round-trip time under load.
     *
     * @param statementTimeout from 1 ms to 1 hour
     * @return this builder
     * @throws NullPointerException if {@code statementTimeout} is null
     * @throws IllegalArgumentException if it is out of range, naming the value
     */
    public Builder statementTimeout(Duration statementTimeout) {
      this.statementTimeout = inRange("statementTimeout", statementTimeout);
      return this;
    }

    /**
     * Sets the longest back-off between two attempts of a waiting caller that heard of no release.
     * Shorter finds keys released by other clients sooner (on databases without notifications) and
     * costs more transactions while waiting.
     *
     * @param pollInterval from 1 ms to 1 hour
     * @return this builder
     * @throws NullPointerException if {@code pollInterval} is null
     * @throws IllegalArgumentException if it is out of range, naming the value
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = inRange("pollInterval", pollInterval);
      return this;
    }

    /**
     * Sets whether, on PostgreSQL, the provider listens for releases of other clients (LISTEN on a
     * dedicated connection held for the provider's lifetime) and notifies its own. On by default;
     * without it, waiters of a key released by another client find out by polling. Ignored on the
     * other databases.
     *
     * @param notifications {@code false} to poll only
     * @return this builder
     */
    public Builder releaseNotifications(boolean notifications) {
      this.releaseNotifications = notifications;
      return this;
    }

    /**
     * Finds the database, creates the table if asked, and starts the provider (and, on PostgreSQL,
     * its listener).
     *
     * @return a new provider; close it when done
     * @throws IllegalStateException if the database is not PostgreSQL, MariaDB, MySQL or H2 (naming
     *     it), or cannot be reached, or the table cannot be created
     */
    public JdbcLockProvider build() {
      try {
        Dialect dialect;
        try (Connection connection = dataSource.getConnection()) {
          dialect = Dialect.of(connection.getMetaData().getDatabaseProductName());
        }
        LockTable table =
            new LockTable(dataSource, dialect, tableName, (int) statementTimeout.toMillis());
        if (createTableIfMissing) {
          table.createIfMissing();
        }
        return new JdbcLockProvider(this, table);
      } catch (SQLException e) {
        throw new IllegalStateException(
            "Could not set up the lock table " + tableName + ": " + e.getMessage(), e);
      }
    }

    private static Duration inRange(String name, Duration value) {
      Objects.requireNonNull(value, () -> name + " must not be null");
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(name + " must be between 1 ms and 1 hour, was " + value);
      }
      return value;
    }
  }
}
