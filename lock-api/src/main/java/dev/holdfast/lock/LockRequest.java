package dev.holdfast.lock;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One resolved acquisition: the keys in acquisition order and the wait, lease and lease mode that
 * apply to them, with the name of the {@link LockPolicy} they came from. The template builds it and
 * hands it to the {@link dev.holdfast.lock.spi.LockProvider} and to every {@link LockListener}.
 *
 * <p>Immutable and thread-safe.
 */
public final class LockRequest {

  private final List<String> keys;
  private final Duration waitTime;
  private final Duration leaseTime;
  private final LeaseMode leaseMode;
  private final String policyName;

  private LockRequest(
      List<String> keys,
      Duration waitTime,
      Duration leaseTime,
      LeaseMode leaseMode,
      String policyName) {
    this.keys = keys;
    this.waitTime = waitTime;
    this.leaseTime = leaseTime;
    this.leaseMode = leaseMode;
    this.policyName = policyName;
  }

  /**
   * Creates a request; backends and their tests use it, the template builds its own.
   *
   * @param keys distinct, valid keys in the order they are to be acquired
   * @param waitTime how long the whole set may be waited for; zero tries once
   * @param leaseTime how long each key stays held if never released (at least {@link
   *     LockTemplate#MIN_LEASE_TIME})
   * @param leaseMode whether the lease is renewed while held
   * @param policyName the policy the values came from, used as a bounded metrics tag
   * @return the request
   * @throws NullPointerException if any argument is null, naming it
   * @throws IllegalArgumentException if a key is invalid or repeated, or a duration is out of
   *     range, naming the parameter and value
   */
  public static LockRequest of(
      List<String> keys,
      Duration waitTime,
      Duration leaseTime,
      LeaseMode leaseMode,
      String policyName) {
    Arguments.requireNonNull(keys, "keys");
    if (keys.isEmpty() || keys.size() > LockTemplate.MAX_KEYS) {
      throw new IllegalArgumentException(
          "keys must hold 1 to " + LockTemplate.MAX_KEYS + " keys, was " + keys.size());
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      String key = Arguments.requireKey(keys.get(i), "keys[" + i + "]");
      if (!seen.add(key)) {
        throw new IllegalArgumentException(
            "keys must be distinct, but keys[" + i + "] repeats " + Arguments.quote(key));
      }
    }
    return new LockRequest(
        List.copyOf(keys),
        Arguments.requireWaitTime(waitTime, "waitTime"),
        Arguments.requireLeaseTime(leaseTime, "leaseTime"),
        Arguments.requireNonNull(leaseMode, "leaseMode"),
        Arguments.requireNonNull(policyName, "policyName"));
  }

  /** For the template, whose arguments are validated and whose keys are already canonical. */
  static LockRequest ofValidated(
      List<String> keys,
      Duration waitTime,
      Duration leaseTime,
      LeaseMode leaseMode,
      String policyName) {
    return new LockRequest(keys, waitTime, leaseTime, leaseMode, policyName);
  }

  /**
   * Returns the keys, distinct, in acquisition order.
   *
   * @return an immutable list of at least one key
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * Returns how long the whole set may be waited for; zero means one attempt.
   *
   * @return the wait time
   */
  public Duration waitTime() {
    return waitTime;
  }

  /**
   * Returns the lease: how long a key stays held if its holder never releases it, or, in {@link
   * LeaseMode#RENEWING} mode, how far each renewal extends it.
   *
   * @return the lease time
   */
  public Duration leaseTime() {
    return leaseTime;
  }

  /**
   * Returns whether the lease is fixed or renewed while held.
   *
   * @return the lease mode
   */
  public LeaseMode leaseMode() {
    return leaseMode;
  }

  /**
   * Returns the name of the policy the request's settings came from; a bounded set of values, fit
   * for a metrics tag (unlike the keys).
   *
   * @return the policy name
   */
  public String policyName() {
    return policyName;
  }

  @Override
  public String toString() {
    return "LockRequest{keys="
        + keys
        + ", waitTime="
        + waitTime
        + ", leaseTime="
        + leaseTime
        + ", leaseMode="
        + leaseMode
        + ", policy="
        + policyName
        + '}';
  }
}
