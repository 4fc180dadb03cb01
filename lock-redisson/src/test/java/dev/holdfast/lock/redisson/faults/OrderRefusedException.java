package dev.holdfast.lock.redisson.faults;

/**
 * The workload's own refusal of an order, thrown by the callback and passed through unchanged by
 * the template: not enough stock, or the fenced store refused a stale holder.
 */
final class OrderRefusedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why the order was refused. */
  enum Reason {
    /** A product had fewer units than ordered; nothing was written. */
    OUT_OF_STOCK,
    /** The store refused the read or the write: a holder with a newer token came in between. */
    STALE_FENCE;

    /** How a failure for this reason reads in a history line. */
    String label() {
      return OrderRefusedException.class.getSimpleName() + ":" + name();
    }
  }

  private final Reason reason;

  OrderRefusedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
