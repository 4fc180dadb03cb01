package dev.holdfast.lock.jdbc;

import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole contract on a lock table in PostgreSQL. */
final class JdbcLockProviderPostgresContractTest extends LockProviderContract {

  @RegisterExtension
  static final SharedDatabase database = new SharedDatabase(TestDatabase::postgres);

  @Override
  protected LockProvider createProvider() {
    return database.provider();
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(database.secondClient());
  }
}
