package dev.holdfast.lock.jdbc;

import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole contract on a lock table in an in-process H2. */
final class JdbcLockProviderH2ContractTest extends LockProviderContract {

  private static TestDatabase database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabase.h2();
  }

  @AfterAll
  static void dropTableAndClosePools() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected LockProvider createProvider() {
    return database.provider().build();
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(database.secondClient());
  }
}
