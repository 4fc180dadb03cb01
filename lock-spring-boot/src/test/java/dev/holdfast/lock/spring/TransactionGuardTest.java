package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockLostException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Locks stay outside transactions: a transaction advisor ordered outside the lock advisor fails the
 * context, entering a locked method inside a transaction fails, warns or passes as {@code
 * holdfast.transaction-check} says, and a transaction that begins inside a locked method checks the
 * locks before it commits, on a real H2 database.
 */
@ExtendWith(OutputCaptureExtension.class)
final class TransactionGuardTest {

  private static final String WARNING = "was entered inside an active transaction";

  private final ApplicationContextRunner runner =
      TestLocks.runner(Database.class)
          .withUserConfiguration(Transactions.class)
          .withBean(Reservations.class)
          .withBean(Orders.class)
          .withBean(CallerInTransaction.class);

  @Test
  void commitsATransactionWhoseLocksAreHeldAtCommit() {
    runner.run(
        context -> {
          Orders orders = context.getBean(Orders.class);

          orders.reserve(1, () -> {});

          assertThat(context.getBean(Reservations.class).count(1)).isOne();
        });
  }

  @Test
  void rollsBackATransactionWhoseLeaseEndedBeforeItCommitted() {
    runner.run(
        context -> {
          Orders orders = context.getBean(Orders.class);
          ExpiringLeases leases = context.getBean(ExpiringLeases.class);

          Throwable thrown =
              catchThrowable(() -> orders.reserve(2, () -> leases.advance(Duration.ofSeconds(2))));

          assertThat(thrown)
              .isExactlyInstanceOf(LockLostException.class)
              .extracting(e -> ((LockLostException) e).lostKeys())
              .isEqualTo(List.of("lock:product:2"));
          assertThat(context.getBean(Reservations.class).count(2)).isZero();
        });
  }

  @Test
  void rollsBackATransactionOfATransactionTemplateWhoseLeaseEnded() {
    runner.run(
        context -> {
          Orders orders = context.getBean(Orders.class);
          ExpiringLeases leases = context.getBean(ExpiringLeases.class);

          Throwable thrown =
              catchThrowable(
                  () ->
                      orders.reserveProgrammatically(
                          3, () -> leases.advance(Duration.ofSeconds(2))));

          assertThat(thrown).isExactlyInstanceOf(LockLostException.class);
          assertThat(context.getBean(Reservations.class).count(3)).isZero();
        });
  }

  @Test
  void refusesToLockInsideAnActiveTransactionByDefaultBeforeAcquiring(CapturedOutput output) {
    runner.run(
        context -> {
          CallerInTransaction caller = context.getBean(CallerInTransaction.class);

          Throwable thrown = catchThrowable(() -> caller.reserveInside(4));

          assertThat(thrown)
              .isExactlyInstanceOf(LockInsideTransactionException.class)
              .hasMessageStartingWith(
                  "@DistributedLock method TransactionGuardTest.Orders.reserve(long, Runnable)"
                      + " was entered inside an active transaction: its locks would be released"
                      + " when it returns, before that transaction commits");
          assertThat(((LockInsideTransactionException) thrown).method())
              .isEqualTo("TransactionGuardTest.Orders.reserve(long, Runnable)");
          assertThat(context.getBean(RecordingListener.class).attempts()).isEmpty();
          assertThat(context.getBean(Reservations.class).count(4)).isZero();
        });
  }

  @Test
  void warnsOncePerMethodWhenSetToWarn(CapturedOutput output) {
    runner
        .withPropertyValues("holdfast.transaction-check=warn")
        .run(
            context -> {
              CallerInTransaction caller = context.getBean(CallerInTransaction.class);

              caller.reserveInside(5);
              caller.reserveInside(6);

              assertThat(context.getBean(Reservations.class).count(5)).isOne();
              assertThat(context.getBean(Reservations.class).count(6)).isOne();
              assertThat(output.getAll().split(WARNING, -1)).hasSize(2);
              assertThat(output.getAll())
                  .contains(
                      "@DistributedLock method TransactionGuardTest.Orders.reserve(long, Runnable)"
                          + " was entered inside an active transaction");
            });
  }

  @Test
  void locksInsideATransactionSilentlyWhenSetToOff(CapturedOutput output) {
    runner
        .withPropertyValues("holdfast.transaction-check=off")
        .run(
            context -> {
              CallerInTransaction caller = context.getBean(CallerInTransaction.class);

              caller.reserveInside(7);

              assertThat(context.getBean(Reservations.class).count(7)).isOne();
              assertThat(context.getBean(RecordingListener.class).attempts()).hasSize(1);
              assertThat(output.getAll()).doesNotContain(WARNING);
            });
  }

  @Test
  void failsStartupWhenATransactionAdvisorRunsOutsideTheLockAdvisor() {
    TestLocks.runner(Database.class)
        .withUserConfiguration(TransactionsFirst.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage(
                        "The transaction advisor"
                            + " 'org.springframework.transaction.config.internalTransactionAdvisor'"
                            + " has order -2147483648, which runs it outside the @DistributedLock"
                            + " advisor (order 2147483547): its transactions could begin before the"
                            + " locks are taken and commit after they are released, so the next"
                            + " holder could read what was not committed yet. Give it an order"
                            + " greater than 2147483547: leave @EnableTransactionManagement's order"
                            + " at its default (Ordered.LOWEST_PRECEDENCE), or set it to"
                            + " DistributedLock.ADVISOR_ORDER + 1 or more"));
  }

  @Test
  void failsStartupWhenATransactionAdvisorHasTheLockAdvisorsOrder() {
    TestLocks.runner(Database.class)
        .withUserConfiguration(TransactionsAtLockOrder.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining(
                        "has order 2147483547, the same as the @DistributedLock advisor's, which"
                            + " leaves to chance which of them runs outside (order 2147483547)"));
  }

  @Test
  void startsWhenTheTransactionAdvisorIsOrderedJustInsideTheLockAdvisor() {
    TestLocks.runner(Database.class)
        .withUserConfiguration(TransactionsJustInside.class)
        .run(context -> assertThat(context).hasNotFailed());
  }

  /** An H2 database of the test's own, with a transaction manager the application defines. */
  @Configuration(proxyBeanMethods = false)
  static class Database {

    @Bean
    ExpiringLeases lockProvider() {
      return new ExpiringLeases();
    }

    @Bean
    DataSource dataSource() {
      return new EmbeddedDatabaseBuilder()
          .setType(EmbeddedDatabaseType.H2)
          .generateUniqueName(true)
          .build();
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
      return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      jdbc.execute("create table reservation (product_id bigint primary key)");
      return jdbc;
    }

    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
      return new TransactionTemplate(transactionManager);
    }
  }

  /** Transactions at their default order: inside the locks. */
  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement
  static class Transactions {}

  /** Transactions that would run outside the locks. */
  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement(order = Ordered.HIGHEST_PRECEDENCE)
  static class TransactionsFirst {}

  /** Transactions whose order ties with the locks': which runs outside is left to chance. */
  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement(order = DistributedLock.ADVISOR_ORDER)
  static class TransactionsAtLockOrder {}

  /** The closest a transaction advisor may be ordered. */
  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement(order = DistributedLock.ADVISOR_ORDER + 1)
  static class TransactionsJustInside {}

  /** Writes rows in transactions. */
  public static class Reservations {
    private final JdbcTemplate jdbc;

    public Reservations(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    /** Inserts a row, then runs {@code beforeCommit} inside the transaction. */
    @Transactional
    public void insert(long productId, Runnable beforeCommit) {
      jdbc.update("insert into reservation (product_id) values (?)", productId);
      beforeCommit.run();
    }

    public int count(long productId) {
      Integer count =
          jdbc.queryForObject(
              "select count(*) from reservation where product_id = ?", Integer.class, productId);
      return count == null ? 0 : count;
    }
  }

  /** Locks, then writes in a transaction: the right way round. */
  public static class Orders {
    private final Reservations reservations;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;

    public Orders(Reservations reservations, TransactionTemplate transactions, JdbcTemplate jdbc) {
      this.reservations = reservations;
      this.transactions = transactions;
      this.jdbc = jdbc;
    }

    @DistributedLock(prefix = "lock:product:", keys = "#productId", leaseTime = "1s")
    public void reserve(long productId, Runnable beforeCommit) {
      reservations.insert(productId, beforeCommit);
    }

    @DistributedLock(prefix = "lock:product:", keys = "#productId", leaseTime = "1s")
    public void reserveProgrammatically(long productId, Runnable beforeCommit) {
      transactions.executeWithoutResult(
          status -> {
            jdbc.update("insert into reservation (product_id) values (?)", productId);
            beforeCommit.run();
          });
    }
  }

  /** Locks inside its own transaction: the wrong way round. */
  public static class CallerInTransaction {
    private final Orders orders;

    public CallerInTransaction(Orders orders) {
      this.orders = orders;
    }

    @Transactional
    public void reserveInside(long productId) {
      orders.reserve(productId, () -> {});
    }
  }
}
