package dev.holdfast.lock.spring;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Refuses, or warns about, entering a {@link DistributedLock} method inside an active transaction,
 * as {@code holdfast.transaction-check} says. Thread-safe.
 */
final class TransactionEntryCheck implements EntryCheck {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedLock.class);

  private final boolean fail;

  /** The methods already warned about: one warning per method, not one per call. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private TransactionEntryCheck(boolean fail) {
    this.fail = fail;
  }

  /** The check {@code transactionCheck} asks for. */
  static EntryCheck of(TransactionCheck transactionCheck) {
    return switch (transactionCheck) {
      case FAIL -> new TransactionEntryCheck(true);
      case WARN -> new TransactionEntryCheck(false);
      case OFF -> EntryCheck.NONE;
    };
  }

  @Override
  public void beforeLocking(LockedMethod method) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      return;
    }
    if (fail) {
      throw new LockInsideTransactionException(method.description());
    }
    if (warned.add(method.description())) {
      LOG.warn(
          "@DistributedLock method {} was entered inside an active transaction: its locks are"
              + " released when it returns, before that transaction commits, so the next holder"
              + " can read what this transaction has not committed yet (holdfast.transaction-check"
              + "=warn; this is said once per method)",
          method.description());
    }
  }
}
