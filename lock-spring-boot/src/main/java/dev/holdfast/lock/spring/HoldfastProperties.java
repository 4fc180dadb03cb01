package dev.holdfast.lock.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Holdfast's {@code holdfast.*} configuration properties. */
@ConfigurationProperties("holdfast")
public class HoldfastProperties {

  /**
   * What a {@code @DistributedLock} method does when a transaction is already active on the thread
   * as it is entered.
   */
  private TransactionCheck transactionCheck = TransactionCheck.FAIL;

  /** Creates the properties with their defaults. */
  public HoldfastProperties() {}

  /**
   * Returns what a {@code @DistributedLock} method does when a transaction is already active.
   *
   * @return the check; {@link TransactionCheck#FAIL} by default
   */
  public TransactionCheck getTransactionCheck() {
    return transactionCheck;
  }

  /**
   * Sets what a {@code @DistributedLock} method does when a transaction is already active.
   *
   * @param transactionCheck the check
   */
  public void setTransactionCheck(TransactionCheck transactionCheck) {
    this.transactionCheck = transactionCheck;
  }
}
