package dev.holdfast.lock.jdbc;

import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole contract on a lock table in MariaDB. */
final class JdbcLockProviderMariaDbContractTest extends LockProviderContract {

  @RegisterExtension
  static final SharedDatabase database = new SharedDatabase(TestDatabase::mariadb);

  @Override
  protected LockProvider createProvider() {
    return database.provider();
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(database.secondClient());
  }
}
