package dev.holdfast.lock;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Wait time, lease time and lease mode for a group of keys, under a name that tags its metrics.
 * Build one with {@link #custom(String)}; {@link #ofDefaults()} applies to keys no other policy
 * matches.
 *
 * <p>Immutable and thread-safe.
 */
public final class LockPolicy {

  /**
   * Wait time of {@link #ofDefaults()}: long enough to ride out a busy key, short enough to shed
   * load.
   */
  public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(5);

  /** Lease time of {@link #ofDefaults()}: longer than a typical database transaction. */
  public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

  /** Lease mode of {@link #ofDefaults()}: a dead holder frees its keys within one lease. */
  public static final LeaseMode DEFAULT_LEASE_MODE = LeaseMode.FIXED;

  /** Name of {@link #ofDefaults()}. */
  public static final String DEFAULT_NAME = "default";

  private static final LockPolicy DEFAULTS =
      new LockPolicy(DEFAULT_NAME, DEFAULT_WAIT_TIME, DEFAULT_LEASE_TIME, DEFAULT_LEASE_MODE);

  /** Names become metric tag values: keep them short and plain. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final String name;
  private final Duration waitTime;
  private final Duration leaseTime;
  private final LeaseMode leaseMode;

  private LockPolicy(String name, Duration waitTime, Duration leaseTime, LeaseMode leaseMode) {
    this.name = name;
    this.waitTime = waitTime;
    this.leaseTime = leaseTime;
    this.leaseMode = leaseMode;
  }

  /**
   * Returns the default policy: {@value #DEFAULT_NAME}, {@link #DEFAULT_WAIT_TIME}, {@link
   * #DEFAULT_LEASE_TIME}, {@link #DEFAULT_LEASE_MODE}.
   *
   * @return the default policy
   */
  public static LockPolicy ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Starts a policy with the given name and the default values.
   *
   * @param name 1 to 64 characters of {@code [A-Za-z0-9_.-]}; it becomes a metrics tag value
   * @return a builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} has other characters or length
   */
  public static Builder custom(String name) {
    Arguments.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be 1 to 64 characters of [A-Za-z0-9_.-], was " + Arguments.quote(name));
    }
    return new Builder(name);
  }

  /** Merges the policies of keys that matched different ones: see {@link LockPolicies}. */
  static LockPolicy merged(String name, Duration waitTime, Duration leaseTime, LeaseMode mode) {
    return new LockPolicy(name, waitTime, leaseTime, mode);
  }

  /**
   * Returns the name, used as the metrics tag of the keys this policy covers.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns how long a call may wait for its whole key set.
   *
   * @return the wait time; zero means one attempt
   */
  public Duration waitTime() {
    return waitTime;
  }

  /**
   * Returns how long a key stays held if never released, or how far each renewal extends it.
   *
   * @return the lease time
   */
  public Duration leaseTime() {
    return leaseTime;
  }

  /**
   * Returns whether leases are fixed or renewed while held.
   *
   * @return the lease mode
   */
  public LeaseMode leaseMode() {
    return leaseMode;
  }

  @Override
  public String toString() {
    return "LockPolicy{"
        + name
        + ", waitTime="
        + waitTime
        + ", leaseTime="
        + leaseTime
        + ", leaseMode="
        + leaseMode
        + '}';
  }

  /** Builds a {@link LockPolicy}; every setter validates its argument. Not thread-safe. */
  public static final class Builder {

    private final String name;
    private Duration waitTime = DEFAULT_WAIT_TIME;
    private Duration leaseTime = DEFAULT_LEASE_TIME;
    private LeaseMode leaseMode = DEFAULT_LEASE_MODE;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets how long a call may wait for its whole key set.
     *
     * @param waitTime zero (one attempt) or more
     * @return this builder
     * @throws NullPointerException if {@code waitTime} is null
     * @throws IllegalArgumentException if {@code waitTime} is negative or too large
     */
    public Builder waitTime(Duration waitTime) {
      this.waitTime = Arguments.requireWaitTime(waitTime, "waitTime");
      return this;
    }

    /**
     * Sets the lease.
     *
     * @param leaseTime at least {@link LockTemplate#MIN_LEASE_TIME}
     * @return this builder
     * @throws NullPointerException if {@code leaseTime} is null
     * @throws IllegalArgumentException if {@code leaseTime} is shorter or too large
     */
    public Builder leaseTime(Duration leaseTime) {
      this.leaseTime = Arguments.requireLeaseTime(leaseTime, "leaseTime");
      return this;
    }

    /**
     * Sets whether the lease is renewed while held.
     *
     * @param leaseMode the lease mode
     * @return this builder
     * @throws NullPointerException if {@code leaseMode} is null
     */
    public Builder leaseMode(LeaseMode leaseMode) {
      this.leaseMode = Arguments.requireNonNull(leaseMode, "leaseMode");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return an immutable policy
     */
    public LockPolicy build() {
      return new LockPolicy(name, waitTime, leaseTime, leaseMode);
    }
  }
}
