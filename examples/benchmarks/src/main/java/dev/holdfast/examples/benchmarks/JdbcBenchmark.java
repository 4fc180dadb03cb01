package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.jdbc.JdbcLockProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Holdfast's JDBC backend against what a team with only a database would use instead, on one
 * database in one run (PostgreSQL on 127.0.0.1 unless {@code -p jdbcUrl=...}), one thread,
 * uncontended: for one key, Spring Integration's {@code JdbcLockRegistry} (its default settings, a
 * {@code DataSourceTransactionManager}); for a 3-key order, the database's own row locks, {@code
 * SELECT ... FOR UPDATE} of three product rows in id order inside a transaction, committed. Every
 * contender uses the same HikariCP pool; each trial gets tables of its own, dropped at the end.
 */
@Threads(1)
public class JdbcBenchmark {

  private static final String KEY = "lock:product:1";
  private static final List<String> THREE_KEYS =
      List.of("lock:product:1", "lock:product:2", "lock:product:3");

  /** The name of the parameter that carries the database's address; not part of a result's name. */
  public static final String URL_PARAM = "jdbcUrl";

  /** Creates the benchmark; JMH calls it. */
  public JdbcBenchmark() {}

  /** The pool, the lock tables and the contenders, on the database {@link #jdbcUrl} names. */
  @State(Scope.Benchmark)
  public static class Database {

    /** The database, with its credentials. */
    @Param("jdbc:postgresql://127.0.0.1:5432/test?user=postgres")
    public String jdbcUrl = "";

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private @Nullable HikariDataSource pool;
    private @Nullable JdbcLockProvider provider;
    private @Nullable LockTemplate template;
    private @Nullable DefaultLockRepository repository;
    private @Nullable JdbcLockRegistry registry;

    /** Creates the state; JMH calls it. */
    public Database() {}

    /**
     * Opens the pool, creates the tables and starts the contenders.
     *
     * @throws SQLException if the database cannot be reached
     */
    @Setup(Level.Trial)
    public void open() throws SQLException {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setMaximumPoolSize(4);
      pool = new HikariDataSource(config);
      provider =
          JdbcLockProvider.builder(pool).tableName(lockTable()).createTableIfMissing(true).build();
      template = LockTemplate.of(provider);
      execute(
          "CREATE TABLE " + productTable() + " (id BIGINT PRIMARY KEY, stock BIGINT NOT NULL)",
          "INSERT INTO " + productTable() + " VALUES (1, 100), (2, 100), (3, 100)",
          "CREATE TABLE "
              + registryPrefix()
              + "LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL,"
              + " CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL,"
              + " EXPIRED_AFTER TIMESTAMP NOT NULL, PRIMARY KEY (LOCK_KEY, REGION))");
      repository = new DefaultLockRepository(pool);
      repository.setPrefix(registryPrefix());
      repository.setTransactionManager(new DataSourceTransactionManager(pool));
      repository.afterPropertiesSet();
      repository.afterSingletonsInstantiated();
      repository.start();
      registry = new JdbcLockRegistry(repository);
    }

    /**
     * Stops the contenders, drops the tables and closes the pool.
     *
     * @throws SQLException if the tables cannot be dropped
     */
    @TearDown(Level.Trial)
    public void close() throws SQLException {
      try {
        if (repository != null) {
          repository.stop();
          repository.close();
        }
        if (provider != null) {
          provider.close();
        }
        execute(
            "DROP TABLE IF EXISTS " + lockTable(),
            "DROP TABLE IF EXISTS " + productTable(),
            "DROP TABLE IF EXISTS " + registryPrefix() + "LOCK");
      } finally {
        if (pool != null) {
          pool.close();
        }
      }
    }

    private String lockTable() {
      return "bench_lock_" + suffix;
    }

    private String productTable() {
      return "bench_product_" + suffix;
    }

    private String registryPrefix() {
      return "BENCH_" + suffix.toUpperCase(Locale.ROOT) + "_";
    }

    private void execute(String... statements) throws SQLException {
      try (Connection connection = pool().getConnection();
          Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
      }
    }

    private HikariDataSource pool() {
      return Objects.requireNonNull(pool, "not set up");
    }

    private LockTemplate template() {
      return Objects.requireNonNull(template, "not set up");
    }

    private JdbcLockRegistry registry() {
      return Objects.requireNonNull(registry, "not set up");
    }
  }

  /**
   * One key through {@code JdbcLockProvider}.
   *
   * @param database the contenders
   */
  @Benchmark
  public void holdfastOneKey(Database database) {
    database.template().runWithLock(KEY, WAIT, LEASE, NOTHING);
  }

  /**
   * One key through Spring Integration's {@code JdbcLockRegistry}: {@code tryLock} with the same
   * wait, then {@code unlock}.
   *
   * @param database the contenders
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void jdbcLockRegistryOneKey(Database database) throws InterruptedException {
    Lock lock = database.registry().obtain(KEY);
    if (!lock.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("JdbcLockRegistry did not get " + KEY + " within " + WAIT);
    }
    lock.unlock();
  }

  /**
   * A 3-key order's locks through {@code JdbcLockProvider}: one transaction takes all three, one
   * releases them.
   *
   * @param database the contenders
   */
  @Benchmark
  public void holdfastThreeKeys(Database database) {
    database.template().runWithLocks(THREE_KEYS, WAIT, LEASE, NOTHING);
  }

  /**
   * A 3-key order's row locks: {@code SELECT ... FOR UPDATE} of products 1, 2 and 3 in id order in
   * one transaction, then commit, which releases them.
   *
   * @param database the contenders
   * @return the stock read, so that nothing is optimised away
   * @throws SQLException if the database failed
   */
  @Benchmark
  public long selectForUpdateThreeKeys(Database database) throws SQLException {
    long stock = 0;
    try (Connection connection = database.pool().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT stock FROM " + database.productTable() + " WHERE id = ? FOR UPDATE")) {
        for (long id = 1; id <= 3; id++) {
          select.setLong(1, id);
          try (ResultSet row = select.executeQuery()) {
            row.next();
            stock += row.getLong(1);
          }
        }
      }
      connection.commit();
    }
    return stock;
  }
}
