package dev.holdfast.lock.jdbc;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.OnceReleasedHandle;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows one acquisition holds under its owner token. With a renewing lease, a task on the
 * provider's scheduler extends every key's lease each third of the lease, in one short transaction;
 * a key a renewal finds no longer ours is lost at once, and every key is lost once no renewal has
 * succeeded for a whole lease (another owner may have taken them).
 */
final class JdbcHandle extends OnceReleasedHandle {

  private static final Logger log = LoggerFactory.getLogger(JdbcHandle.class);

  private final JdbcLockProvider provider;
  private final String owner;
  private final long[] tokens;
  private final Set<String> lostByRenewal = ConcurrentHashMap.newKeySet();

  private volatile @Nullable ScheduledFuture<?> renewal;

  /** The {@link System#nanoTime()} of the last renewal that succeeded, or of the acquisition. */
  private volatile long renewedAt;

  private volatile boolean renewalExpired;

  JdbcHandle(JdbcLockProvider provider, LockRequest request, String owner, long[] tokens) {
    super(request);
    this.provider = provider;
    this.owner = owner;
    this.tokens = tokens;
  }

  /**
   * Renews the lease every third of it, counted from {@code sentAt}, when the attempt that took the
   * keys was sent: the lease began then at the earliest.
   */
  void renewFrom(long sentAt, ScheduledExecutorService scheduler) {
    renewedAt = sentAt;
    long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(1), request().leaseTime().toNanos() / 3);
    long firstDelay = Math.max(0, sentAt + interval - System.nanoTime());
    try {
      renewal =
          scheduler.scheduleAtFixedRate(this::renew, firstDelay, interval, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      log.debug("Provider closed; {} are not renewed", request().keys());
    }
  }

  private void renew() {
    long sentAt = System.nanoTime();
    try {
      List<String> lost =
          provider.table().renew(request().keys(), owner, provider.leaseMicros(request()));
      lostByRenewal.addAll(lost);
      renewedAt = sentAt;
    } catch (SQLException | RuntimeException e) {
      if (sentAt - renewedAt >= request().leaseTime().toNanos() && !renewalExpired) {
        renewalExpired = true;
        log.warn(
            "Could not renew {} in {} for a whole lease; treating them as lost",
            request().keys(),
            provider.table(),
            e);
        lostByRenewal.addAll(request().keys());
      } else {
        log.debug("Renewal of {} failed; trying again", request().keys(), e);
      }
    }
  }

  @Override
  public OptionalLong fencingToken(String key) {
    int index = request().keys().indexOf(key);
    return index < 0 ? OptionalLong.empty() : OptionalLong.of(tokens[index]);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Asks the table, in one short transaction, which keys this owner still holds by the
   * database's clock.
   */
  @Override
  protected List<String> checkLostKeys() {
    Set<String> lost = new HashSet<>(lostByRenewal);
    try {
      lost.addAll(provider.table().lost(request().keys(), owner));
    } catch (SQLException e) {
      throw new LockBackendException(
          "Could not check " + request().keys() + " in " + provider.table(), request().keys(), e);
    }
    return inRequestOrder(lost);
  }

  @Override
  protected List<String> releaseKeys() {
    ScheduledFuture<?> renewing = renewal;
    if (renewing != null) {
      renewing.cancel(false);
    }
    Set<String> lost = new HashSet<>(provider.releaseRows(request().keys(), owner));
    lost.addAll(lostByRenewal);
    return inRequestOrder(lost);
  }
}
