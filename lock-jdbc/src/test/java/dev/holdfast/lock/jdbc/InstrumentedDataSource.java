package dev.holdfast.lock.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A pool's connections, instrumented for tests: counts, per thread, the connections borrowed and
 * not yet given back, and can stop a statement before it is prepared.
 */
final class InstrumentedDataSource implements DataSource {

  private final DataSource pool;
  private final Map<Thread, AtomicInteger> borrowed = new ConcurrentHashMap<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicLong heldNanos = new AtomicLong();
  private final AtomicReference<@Nullable Pause> pause = new AtomicReference<>();

  /** Stops the next statement whose SQL contains {@code sqlPart}, on the thread preparing it. */
  private record Pause(String sqlPart, CountDownLatch reached, CountDownLatch resume) {

    void awaitResume() throws InterruptedException {
      reached.countDown();
      resume.await();
    }
  }

  InstrumentedDataSource(DataSource pool) {
    this.pool = pool;
  }

  /** The connections {@code thread} holds now. */
  int borrowedBy(Thread thread) {
    AtomicInteger count = borrowed.get(thread);
    return count == null ? 0 : count.get();
  }

  /** How many connections were borrowed in all. */
  int attempts() {
    return attempts.get();
  }

  /** How long, in all, borrowed connections were held before they were given back. */
  long heldNanos() {
    return heldNanos.get();
  }

  /**
   * Stops the next statement whose SQL contains {@code sqlPart} before it is prepared: counts down
   * {@code reached}, then waits for {@code resume}. Once.
   */
  void pauseBefore(String sqlPart, CountDownLatch reached, CountDownLatch resume) {
    pause.set(new Pause(sqlPart, reached, resume));
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = pool.getConnection();
    long borrowedAt = System.nanoTime();
    Thread borrower = Thread.currentThread();
    AtomicInteger count = borrowed.computeIfAbsent(borrower, t -> new AtomicInteger());
    count.incrementAndGet();
    attempts.incrementAndGet();
    AtomicInteger closed = new AtomicInteger();
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && closed.getAndIncrement() == 0) {
                count.decrementAndGet();
                heldNanos.addAndGet(System.nanoTime() - borrowedAt);
              }
              if (method.getName().equals("prepareStatement")) {
                pauseIfDue((String) args[0]);
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void pauseIfDue(String sql) throws InterruptedException {
    Pause due = pause.get();
    if (due != null && sql.contains(due.sqlPart()) && pause.compareAndSet(due, null)) {
      due.awaitResume();
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("not counted");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return pool.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return pool.isWrapperFor(type);
  }
}
