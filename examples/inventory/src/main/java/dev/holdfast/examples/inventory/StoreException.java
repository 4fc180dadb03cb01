package dev.holdfast.examples.inventory;

import java.sql.SQLException;

/**
 * The database failed; the transaction, if one was open, was rolled back. Unchecked, as data access
 * failures are in most Java stacks, so that an order's callback has one checked exception: {@link
 * OrderRejectedException}.
 */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Wraps a driver's exception.
   *
   * @param message what was being done
   * @param cause the driver's exception
   */
  public StoreException(String message, SQLException cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
