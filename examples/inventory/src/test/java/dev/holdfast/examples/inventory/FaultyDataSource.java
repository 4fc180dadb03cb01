package dev.holdfast.examples.inventory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A data source over a real one that fails the way networks make databases fail, when told to: a
 * commit whose reply is lost after the database committed, or a database that cannot be reached.
 */
final class FaultyDataSource {

  enum Fault {
    NONE,
    /** The next commit commits, then throws as if its reply had been lost. */
    COMMIT_REPLY_LOST,
    /** Every new connection fails. */
    UNREACHABLE
  }

  private final DataSource dataSource;
  private volatile Fault fault = Fault.NONE;

  /** Wraps {@code real}; it fails only once a fault is injected. */
  FaultyDataSource(DataSource real) {
    this.dataSource =
        proxy(
            DataSource.class,
            (self, method, args) -> {
              if (method.getName().equals("getConnection") && fault == Fault.UNREACHABLE) {
                throw new SQLException("Connection refused (a fault of the test)");
              }
              Object result = invoke(method, real, args);
              return result instanceof Connection connection ? faulty(connection) : result;
            });
  }

  DataSource dataSource() {
    return dataSource;
  }

  void inject(Fault fault) {
    this.fault = fault;
  }

  private Connection faulty(Connection real) {
    return proxy(
        Connection.class,
        (self, method, args) -> {
          Object result = invoke(method, real, args);
          if (method.getName().equals("commit") && fault == Fault.COMMIT_REPLY_LOST) {
            fault = Fault.NONE;
            throw new SQLException(
                "Read timed out after the commit was sent (a fault of the test)");
          }
          return result;
        });
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(
        Proxy.newProxyInstance(
            FaultyDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
