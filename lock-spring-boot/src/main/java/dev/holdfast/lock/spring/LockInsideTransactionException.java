package dev.holdfast.lock.spring;

/**
 * A {@link DistributedLock} method was entered while a transaction was already active on the
 * thread, and {@code holdfast.transaction-check} is {@link TransactionCheck#FAIL}: its locks would
 * be released when the method returns, before that transaction commits, and the next holder could
 * read the state this transaction has not committed yet. Thrown before anything is acquired.
 *
 * <p>Move the transaction inside the locked method (the locked method calls the
 * {@code @Transactional} one), or lock before the transaction begins.
 */
public final class LockInsideTransactionException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String method;

  /**
   * Creates the exception.
   *
   * @param method the locked method, such as {@code OrderService.reserve(List)}
   */
  public LockInsideTransactionException(String method) {
    super(
        "@DistributedLock method "
            + method
            + " was entered inside an active transaction: its locks would be released when it"
            + " returns, before that transaction commits, so the next holder could read what this"
            + " transaction has not committed yet. Call it before the transaction begins (the"
            + " locked method calls the @Transactional one), or set holdfast.transaction-check to"
            + " warn or off if the outer transaction commits nothing the locks protect");
    this.method = method;
  }

  /**
   * Returns the locked method that was entered.
   *
   * @return the method, such as {@code OrderService.reserve(List)}
   */
  public String method() {
    return method;
  }
}
