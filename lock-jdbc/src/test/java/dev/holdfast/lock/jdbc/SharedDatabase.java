package dev.holdfast.lock.jdbc;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestDatabase} opened before a test class's first test and closed (its table dropped)
 * after its last; a class registers it with {@code @RegisterExtension}.
 */
final class SharedDatabase implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<TestDatabase> opener;
  private @Nullable TestDatabase database;

  SharedDatabase(Supplier<TestDatabase> opener) {
    this.opener = opener;
  }

  /** Opens the database for the top-level class; its {@code @Nested} classes share it. */
  @Override
  public void beforeAll(ExtensionContext context) {
    if (isTopLevel(context)) {
      database = opener.get();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (isTopLevel(context) && database != null) {
      database.close();
    }
  }

  /** JUnit calls a static extension for every {@code @Nested} class too. */
  private static boolean isTopLevel(ExtensionContext context) {
    return context.getRequiredTestClass().getEnclosingClass() == null;
  }

  /** A provider on the class's table, over the first pool. */
  JdbcLockProvider provider() {
    return get().provider().build();
  }

  /** A provider on the same table over a pool of its own. */
  JdbcLockProvider secondClient() {
    return get().secondClient();
  }

  private TestDatabase get() {
    if (database == null) {
      throw new IllegalStateException("the database is opened before the class's first test");
    }
    return database;
  }
}
