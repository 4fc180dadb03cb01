package dev.holdfast.lock.spring;

import dev.holdfast.lock.HeldLocks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.transaction.ConfigurableTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Checks the held locks right before a transaction that began inside {@link DistributedLock}
 * methods commits: a lease lost meanwhile throws {@link dev.holdfast.lock.LockLostException} from
 * the commit, and the transaction rolls back instead of committing work no lock protected.
 *
 * <p>As a {@link TransactionExecutionListener}, it learns when a transaction begins on any
 * transaction manager it is added to, and then registers a {@link TransactionSynchronization}
 * holding the locks of the methods running on the thread; the synchronization's {@code
 * beforeCommit}, which Spring documents as rolling back on an exception, does the check. The
 * listener is stateless, so one instance serves every manager.
 */
final class CommitCheck implements TransactionExecutionListener {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedLock.class);

  static final CommitCheck INSTANCE = new CommitCheck();

  /** A transaction without synchronization cannot be checked: said once, not per transaction. */
  private final AtomicBoolean warnedWithoutSynchronization = new AtomicBoolean();

  private CommitCheck() {}

  /**
   * Adds the check to {@code manager}'s listeners if it is a thread-bound transaction manager
   * without it. The listeners are replaced by a copy: the manager's collection may be immutable.
   */
  static void addTo(Object manager) {
    if (manager instanceof PlatformTransactionManager
        && manager instanceof ConfigurableTransactionManager configurable
        && !configurable.getTransactionExecutionListeners().contains(INSTANCE)) {
      List<TransactionExecutionListener> listeners =
          new ArrayList<>(configurable.getTransactionExecutionListeners());
      listeners.add(INSTANCE);
      configurable.setTransactionExecutionListeners(listeners);
    }
  }

  @Override
  public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
    if (beginFailure != null || !transaction.isNewTransaction()) {
      return;
    }
    HeldLocks[] held = LockFrames.ofThisThread().all();
    if (held.length == 0) {
      return;
    }
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      if (warnedWithoutSynchronization.compareAndSet(false, true)) {
        LOG.warn(
            "Transaction {} began inside a @DistributedLock method without transaction"
                + " synchronization, so its commit cannot check that the locks are still held;"
                + " a lost lease will only be reported after it commits (said once)",
            transaction.getTransactionName());
      }
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(new BeforeCommit(held));
  }

  @Override
  public String toString() {
    return "Holdfast's check of held locks before commit";
  }

  /** The check itself, registered with one transaction. */
  private static final class BeforeCommit implements TransactionSynchronization {
    private final HeldLocks[] held;

    BeforeCommit(HeldLocks[] held) {
      this.held = held;
    }

    /** Last among synchronizations: as close to the commit as Spring allows. */
    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }

    /** A read-only transaction commits nothing the locks protect. */
    @Override
    public void beforeCommit(boolean readOnly) {
      if (readOnly) {
        return;
      }
      for (HeldLocks locks : held) {
        locks.checkHeld();
      }
    }
  }
}
