package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.jdbc.JdbcLockProvider;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code holdfast.provider=jdbc}: a lock table in the application's database. */
final class JdbcProviderAutoConfigurationTest {

  private static final Duration WAIT = Duration.ofMillis(100);
  private static final Duration LEASE = Duration.ofSeconds(10);

  /** One in-process database for the test, shared by every context it starts. */
  private final String url =
      "jdbc:h2:mem:holdfast-spring-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
          .withPropertyValues("holdfast.provider=jdbc");

  private final ApplicationContextRunner withDatabase =
      runner
          .withBean(DataSource.class, this::dataSource)
          .withPropertyValues(
              "holdfast.jdbc.table-name=app_locks", "holdfast.jdbc.create-table=true");

  private DataSource dataSource() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(url);
    return dataSource;
  }

  private final String key = "lock:product:" + UUID.randomUUID();

  @Test
  void locksInATableOfTheApplicationsDataSource() {
    withDatabase.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).getBean("holdfastLockProvider").isInstanceOf(JdbcLockProvider.class);
          assertThat(context.getBean(JdbcLockProvider.class).tableName()).isEqualTo("app_locks");

          long token =
              context
                  .getBean(LockTemplate.class)
                  .executeWithLock(key, WAIT, LEASE, held -> held.fencingToken(key).orElseThrow());

          assertThat(token).isPositive();
        });
  }

  @Test
  void twoApplicationsOnOneDatabaseExcludeEachOther() {
    assertThat(TwoInstances.secondTryWhileFirstHolds(withDatabase, key))
        .isInstanceOf(LockNotAcquiredException.class);
  }

  @Test
  void anApplicationsOwnProviderWins() {
    LockProvider own = dev.holdfast.lock.inmemory.InMemoryLockProvider.create();

    withDatabase
        .withBean(LockProvider.class, () -> own)
        .run(context -> assertThat(context.getBean(LockProvider.class)).isSameAs(own));
  }

  @Test
  void withoutADataSourceStartupFailsSayingWhatToConfigure() {
    runner.run(
        context -> {
          FailureAnalysis analysis =
              new LockProviderFailureAnalyzer().analyze(context.getStartupFailure());

          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription())
              .isEqualTo(
                  "holdfast.provider=jdbc, but the application has no single DataSource bean to"
                      + " lock in.");
        });
  }

  @Test
  void withoutLockJdbcOnTheClasspathStartupFailsNamingIt() {
    withDatabase
        .withClassLoader(new FilteredClassLoader(JdbcLockProvider.class))
        .run(
            context -> {
              FailureAnalysis analysis =
                  new LockProviderFailureAnalyzer().analyze(context.getStartupFailure());

              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "holdfast.provider=jdbc, but dev.holdfast:lock-jdbc is not on the"
                          + " classpath.");
            });
  }
}
