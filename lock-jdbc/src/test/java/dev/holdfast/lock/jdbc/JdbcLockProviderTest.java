package dev.holdfast.lock.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockTemplate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the JDBC backend promises beyond the contract kit, on each database. */
final class JdbcLockProviderTest {

  private static final Duration LEASE = Duration.ofSeconds(30);

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of("H2", (Supplier<TestDatabase>) TestDatabase::h2),
        Arguments.of("PostgreSQL", (Supplier<TestDatabase>) TestDatabase::postgres),
        Arguments.of("MariaDB", (Supplier<TestDatabase>) TestDatabase::mariadb));
  }

  @AfterEach
  void closeEverything() throws Exception {
    threads.shutdownNow();
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
  }

  private TestDatabase open(Supplier<TestDatabase> database) {
    TestDatabase opened = database.get();
    closeAfter.add(opened);
    return opened;
  }

  private JdbcLockProvider provider(JdbcLockProvider.Builder builder) {
    JdbcLockProvider provider = builder.build();
    closeAfter.add(provider);
    return provider;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void waitersHoldNoConnectionWhileTheyWait(String name, Supplier<TestDatabase> database)
      throws Exception {
    TestDatabase db = open(database);
    InstrumentedDataSource counted = new InstrumentedDataSource(db.pool());
    LockTemplate template =
        LockTemplate.of(provider(db.provider().pollInterval(Duration.ofMillis(50))));
    LockTemplate counting =
        LockTemplate.of(provider(db.provider(counted).pollInterval(Duration.ofMillis(50))));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> holder =
        threads.submit(
            () -> {
              template.runWithLock(
                  "k",
                  Duration.ZERO,
                  LEASE,
                  locks -> {
                    held.countDown();
                    release.await();
                  });
              return null;
            });
    held.await();
    List<Thread> waiters = new ArrayList<>();
    List<Future<?>> waiting = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      waiting.add(
          threads.submit(
              () -> {
                synchronized (waiters) {
                  waiters.add(Thread.currentThread());
                }
                return counting.executeWithLock("k", Duration.ofSeconds(10), LEASE, locks -> 1);
              }));
    }

    int parkedObservations = 0;
    int connectionsOfParkedWaiters = 0;
    long start = System.nanoTime();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < end) {
      synchronized (waiters) {
        for (Thread waiter : waiters) {
          // Waiting before and after the count, with no connection borrowed meanwhile by anyone:
          // the count is what the thread held while it waited.
          int attemptsBefore = counted.attempts();
          if (isWaitingBetweenAttempts(waiter)) {
            int borrowed = counted.borrowedBy(waiter);
            if (isWaitingBetweenAttempts(waiter) && counted.attempts() == attemptsBefore) {
              parkedObservations++;
              connectionsOfParkedWaiters += borrowed;
            }
          }
        }
      }
      Thread.sleep(1);
    }
    double connectionsPerWaiter =
        (double) counted.heldNanos() / (4.0 * (System.nanoTime() - start));
    release.countDown();
    holder.get();
    for (Future<?> waiter : waiting) {
      waiter.get(10, TimeUnit.SECONDS);
    }

    assertThat(parkedObservations).as("waiters seen waiting").isGreaterThan(100);
    assertThat(connectionsOfParkedWaiters).as("connections held by waiting callers").isZero();
    assertThat(counted.attempts()).as("connections borrowed, one per attempt").isGreaterThan(4);
    System.out.printf(
        "%s: a waiter held %.4f connections on average, in %d attempts of 4 waiters in 1 s%n",
        name, connectionsPerWaiter, counted.attempts());
  }

  /** Whether {@code thread} is parked between two attempts, where no connection may be held. */
  private static boolean isWaitingBetweenAttempts(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals(ReleaseSignals.class.getName())) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aDatabaseErrorIsABackendFailureNotATimeout(String name, Supplier<TestDatabase> database)
      throws Exception {
    TestDatabase db = open(database);
    LockTemplate template = LockTemplate.of(provider(db.provider()));
    template.runWithLock("k", Duration.ZERO, LEASE, locks -> {});
    db.execute("DROP TABLE " + db.table);

    assertThatThrownBy(() -> template.runWithLock("k", Duration.ofSeconds(1), LEASE, locks -> {}))
        .isInstanceOf(LockBackendException.class)
        .hasMessageContaining(db.table);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void tokensKeepGrowingAfterTheKeysRowIsDeleted(String name, Supplier<TestDatabase> database)
      throws Exception {
    TestDatabase db = open(database);
    LockTemplate template = LockTemplate.of(provider(db.provider()));
    long first =
        template.executeWithLock(
            "k", Duration.ZERO, LEASE, locks -> locks.fencingToken("k").orElseThrow());
    db.execute("DELETE FROM " + db.table);

    long afterDelete =
        template.executeWithLock(
            "k", Duration.ZERO, LEASE, locks -> locks.fencingToken("k").orElseThrow());

    assertThat(afterDelete).isGreaterThan(first);
  }

  /** A transaction that holds a key's row and never ends stands for a database that stalls. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("serverDatabases")
  void aStalledDatabaseFailsTheCallWithinTheStatementTimeout(
      String name, Supplier<TestDatabase> database) throws Exception {
    TestDatabase db = open(database);
    Duration statementTimeout = Duration.ofMillis(500);
    LockTemplate template =
        LockTemplate.of(provider(db.provider().statementTimeout(statementTimeout)));
    template.runWithLock("k", Duration.ZERO, LEASE, locks -> {});
    try (Connection stalled = db.pool().getConnection()) {
      stalled.setAutoCommit(false);
      try (PreparedStatement lockRow =
          stalled.prepareStatement(
              "SELECT * FROM " + db.table + " WHERE lock_key = ? FOR UPDATE")) {
        lockRow.setString(1, "k");
        lockRow.executeQuery().close();
      }

      long start = System.nanoTime();
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> template.runWithLock("k", Duration.ZERO, LEASE, locks -> {}));
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      stalled.rollback();

      assertThat(thrown).isInstanceOf(LockBackendException.class);
      assertThat(elapsed).isBetween(statementTimeout, statementTimeout.plusMillis(500));
    }
  }

  /**
   * A take inserts the rows its keys lack in a transaction of their own, holding no other row: a
   * take that still held the rows it had updated while it inserted would lock rows out of the one
   * order every caller shares, and two such takes deadlock (PostgreSQL needs a second to pick a
   * victim, and the calls queued behind them ran past the statement timeout).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aTakeHoldsNoRowWhileItInsertsTheRowsItsKeysLack(String name, Supplier<TestDatabase> database)
      throws Exception {
    TestDatabase db = open(database);
    InstrumentedDataSource instrumented = new InstrumentedDataSource(db.pool());
    LockTemplate template = LockTemplate.of(provider(db.provider(instrumented)));
    template.runWithLock("a", Duration.ZERO, LEASE, locks -> {}); // "a" has a row, "b" none
    CountDownLatch inserting = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    instrumented.pauseBefore("INSERT", inserting, resume);
    Future<List<String>> taking =
        threads.submit(
            () ->
                template.executeWithLocks(
                    List.of("a", "b"), Duration.ofSeconds(5), LEASE, locks -> locks.keys()));
    try {
      assertThat(inserting.await(5, TimeUnit.SECONDS)).as("the take inserts a row").isTrue();

      assertThatCode(() -> lockRowAtOnce(db, "a")).doesNotThrowAnyException();
    } finally {
      resume.countDown();
    }
    assertThat(taking.get(10, TimeUnit.SECONDS)).containsExactly("a", "b");
  }

  /** Locks {@code key}'s row in a transaction of its own, failing at once if another holds it. */
  private static void lockRowAtOnce(TestDatabase db, String key) throws SQLException {
    try (Connection connection = db.pool().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement lockRow =
          connection.prepareStatement(
              "SELECT lock_key FROM " + db.table + " WHERE lock_key = ? FOR UPDATE NOWAIT")) {
        lockRow.setString(1, key);
        lockRow.executeQuery().close();
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    }
  }

  static Stream<Arguments> serverDatabases() {
    return databases().skip(1);
  }

  @Test
  void aReleaseByAnotherClientWakesAWaiterOnPostgresAtOnce() throws Exception {
    TestDatabase db = open(TestDatabase::postgres);
    // Polling alone would find the key long after its release: attempts 5, 10, ... 1280 ms apart.
    JdbcLockProvider waitingClient = provider(db.provider().pollInterval(Duration.ofHours(1)));
    LockTemplate first = LockTemplate.of(provider(db.provider()));
    LockTemplate second = LockTemplate.of(waitingClient);
    CountDownLatch held = new CountDownLatch(1);
    Future<Long> releasedAt =
        threads.submit(
            () ->
                first.executeWithLock(
                    "k",
                    Duration.ZERO,
                    LEASE,
                    locks -> {
                      held.countDown();
                      Thread.sleep(1_500);
                      return System.nanoTime();
                    }));
    held.await();

    long acquiredAt =
        second.executeWithLock("k", Duration.ofSeconds(10), LEASE, locks -> System.nanoTime());

    assertThat(waitingClient.listensForReleases()).isTrue();
    assertThat(Duration.ofNanos(acquiredAt - releasedAt.get())).isLessThan(Duration.ofMillis(300));
  }

  @Test
  void refusesATableNameThatIsNotAPlainIdentifier() {
    JdbcLockProvider.Builder builder = JdbcLockProvider.builder(open(TestDatabase::h2).pool());

    assertThatThrownBy(() -> builder.tableName("locks; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tableName")
        .hasMessageContaining("locks; DROP TABLE x");
  }

  @Test
  void refusesAStatementTimeoutOutOfRange() {
    JdbcLockProvider.Builder builder = JdbcLockProvider.builder(open(TestDatabase::h2).pool());

    assertThatThrownBy(() -> builder.statementTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("statementTimeout")
        .hasMessageContaining("PT0S");
  }

  @Test
  void refusesAKeyLongerThanTheTableHolds() throws Exception {
    TestDatabase db = open(TestDatabase::h2);
    LockTemplate template = LockTemplate.of(provider(db.provider()));
    String longKey = "k".repeat(JdbcLockProvider.MAX_KEY_LENGTH + 1);

    assertThatThrownBy(() -> template.runWithLock(longKey, Duration.ZERO, LEASE, locks -> {}))
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .rootCause()
        .hasMessageContaining("256");
  }
}
