package dev.holdfast.lock.spring;

/**
 * What a {@code @DistributedLock} method does when it is entered while a transaction is already
 * active on the thread: its locks would then be released before that transaction commits, and the
 * next holder could read the uncommitted state's predecessor (a lost update). Set with {@code
 * holdfast.transaction-check}.
 */
public enum TransactionCheck {

  /** Refuse the call before anything is acquired (the default). */
  FAIL,

  /** Log a warning and take the locks anyway. */
  WARN,

  /** Take the locks without checking. */
  OFF
}
