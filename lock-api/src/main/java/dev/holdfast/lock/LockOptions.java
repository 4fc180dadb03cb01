package dev.holdfast.lock;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Per-call overrides of a key set's {@link LockPolicy}: a wait time, a lease time and a lease mode,
 * each optional. What is set wins over the policy; what is not set comes from it. The request keeps
 * the policy's name (its metrics tag) either way.
 *
 * <pre>{@code
 * LockOptions shortWait = LockOptions.builder().waitTime(Duration.ofMillis(200)).build();
 * locks.executeWithLocks(keys, shortWait, held -> reserve(order)); // lease from the policy
 * }</pre>
 *
 * <p>It serves callers that set some values and leave the rest to configuration, such as an
 * annotation whose attributes are each optional; a caller that sets both times can use {@link
 * LockTemplate#executeWithLocks(java.util.Collection, Duration, Duration, LockCallback)} instead.
 *
 * <p>Immutable and thread-safe.
 */
public final class LockOptions {

  private static final LockOptions FROM_POLICY = new LockOptions(null, null, null);

  private final @Nullable Duration waitTime;
  private final @Nullable Duration leaseTime;
  private final @Nullable LeaseMode leaseMode;

  private LockOptions(
      @Nullable Duration waitTime, @Nullable Duration leaseTime, @Nullable LeaseMode leaseMode) {
    this.waitTime = waitTime;
    this.leaseTime = leaseTime;
    this.leaseMode = leaseMode;
  }

  /**
   * Returns options that override nothing: every value comes from the keys' policy.
   *
   * @return the empty options
   */
  public static LockOptions fromPolicy() {
    return FROM_POLICY;
  }

  /**
   * Starts building options; a value never set comes from the keys' policy.
   *
   * @return a builder that overrides nothing yet
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the wait time that overrides the policy's, if set.
   *
   * @return how long the whole key set may be waited for; zero means one attempt
   */
  public Optional<Duration> waitTime() {
    return Optional.ofNullable(waitTime);
  }

  /**
   * Returns the lease time that overrides the policy's, if set.
   *
   * @return how long a key stays held if never released, or how far each renewal extends it
   */
  public Optional<Duration> leaseTime() {
    return Optional.ofNullable(leaseTime);
  }

  /**
   * Returns the lease mode that overrides the policy's, if set.
   *
   * @return whether leases are fixed or renewed while held
   */
  public Optional<LeaseMode> leaseMode() {
    return Optional.ofNullable(leaseMode);
  }

  /** The template reads the values without an {@link Optional} per call. */
  @Nullable Duration waitTimeOrNull() {
    return waitTime;
  }

  @Nullable Duration leaseTimeOrNull() {
    return leaseTime;
  }

  @Nullable LeaseMode leaseModeOrNull() {
    return leaseMode;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof LockOptions options
        && Objects.equals(waitTime, options.waitTime)
        && Objects.equals(leaseTime, options.leaseTime)
        && leaseMode == options.leaseMode;
  }

  @Override
  public int hashCode() {
    return Objects.hash(waitTime, leaseTime, leaseMode);
  }

  @Override
  public String toString() {
    return "LockOptions{waitTime="
        + (waitTime == null ? "policy" : waitTime)
        + ", leaseTime="
        + (leaseTime == null ? "policy" : leaseTime)
        + ", leaseMode="
        + (leaseMode == null ? "policy" : leaseMode)
        + '}';
  }

  /**
   * Builds {@link LockOptions}; every setter validates its argument as the template validates an
   * explicit one. Not thread-safe.
   */
  public static final class Builder {

    private @Nullable Duration waitTime;
    private @Nullable Duration leaseTime;
    private @Nullable LeaseMode leaseMode;

    private Builder() {}

    /**
     * Sets how long the whole key set may be waited for, instead of the policy's wait.
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
     * Sets the lease, instead of the policy's.
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
     * Sets whether the lease is renewed while held, instead of the policy's mode.
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
     * Builds the options.
     *
     * @return immutable options; {@link #fromPolicy()} itself when nothing was set
     */
    public LockOptions build() {
      if (waitTime == null && leaseTime == null && leaseMode == null) {
        return FROM_POLICY;
      }
      return new LockOptions(waitTime, leaseTime, leaseMode);
    }
  }
}
