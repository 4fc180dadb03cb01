package dev.holdfast.lock.spi;

/**
 * What a backend can do beyond mutual exclusion within one provider instance. The contract test kit
 * runs the test groups of the capabilities a backend declares, and checks that an undeclared one is
 * not half-present (for example fencing tokens from a backend that does not declare them).
 */
public enum LockCapability {

  /** Each acquisition of a key gets a token strictly greater than every earlier one of that key. */
  FENCING_TOKENS,

  /** A key whose holder never releases it frees itself when its lease ends. */
  LEASE_EXPIRY,

  /** {@link dev.holdfast.lock.LeaseMode#RENEWING} keeps a lease alive while the callback runs. */
  LEASE_RENEWAL,

  /** Separate provider instances (clients, processes, machines) exclude each other. */
  CROSS_CLIENT_EXCLUSION,

  /**
   * A request's keys are taken in one atomic step: no other caller ever sees part of the set held,
   * and a request that cannot get every key takes none, even for a moment.
   */
  ATOMIC_MULTI_KEY
}
