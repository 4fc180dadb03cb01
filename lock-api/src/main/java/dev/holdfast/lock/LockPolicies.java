package dev.holdfast.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses the {@link LockPolicy} of each key by pattern, so that for instance {@code
 * lock:product:hot-*} can wait less than other products:
 *
 * <pre>{@code
 * LockPolicy product = LockPolicy.custom("product").leaseTime(Duration.ofSeconds(10)).build();
 * LockPolicy hot = LockPolicy.custom("hot-product").waitTime(Duration.ofMillis(200)).build();
 * LockPolicies policies = LockPolicies.builder()
 *     .policy("lock:product:*", product)
 *     .policy("lock:product:hot-*", hot)
 *     .build();
 * }</pre>
 *
 * <p>In a pattern {@code *} stands for any run of characters. Where several patterns match a key,
 * the one with the most literal characters wins, so a specific pattern beats a general one in
 * whatever order they were registered; between equally specific patterns, the first registered
 * wins. Keys no pattern matches get the default policy.
 *
 * <p>When the keys of one call fall under different policies, the call uses the shortest wait (the
 * strictest caller wins), the longest lease (no key's lease is cut short), renewing mode if any
 * policy renews, and the policy names joined by {@code +} in alphabetical order as its name.
 *
 * <p>Immutable and thread-safe.
 */
public final class LockPolicies {

  private static final LockPolicies DEFAULTS = new LockPolicies(LockPolicy.ofDefaults(), List.of());

  private final LockPolicy defaultPolicy;
  private final List<Rule> rules;

  private LockPolicies(LockPolicy defaultPolicy, List<Rule> rules) {
    this.defaultPolicy = defaultPolicy;
    this.rules = rules;
  }

  /**
   * Returns policies that give every key {@link LockPolicy#ofDefaults()}.
   *
   * @return the default policies
   */
  public static LockPolicies ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Starts building policies.
   *
   * @return a builder whose default policy is {@link LockPolicy#ofDefaults()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the policy for keys that no pattern matches.
   *
   * @return the default policy
   */
  public LockPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /**
   * Returns the policy of one key: that of the most specific matching pattern, else the default.
   *
   * @param key a lock key
   * @return its policy
   * @throws NullPointerException if {@code key} is null
   */
  public LockPolicy policyFor(String key) {
    Arguments.requireNonNull(key, "key");
    for (Rule rule : rules) {
      if (rule.pattern.matches(key)) {
        return rule.policy;
      }
    }
    return defaultPolicy;
  }

  /**
   * Returns the policy a call on all of {@code keys} uses, merging theirs as the class describes.
   *
   * @param keys one or more lock keys
   * @return the policy of the call
   * @throws NullPointerException if {@code keys} or one of them is null
   * @throws IllegalArgumentException if {@code keys} is empty
   */
  public LockPolicy policyFor(List<String> keys) {
    Arguments.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty, was []");
    }
    if (rules.isEmpty()) {
      return defaultPolicy; // the usual case, and on every call's path: no key to look at
    }
    LockPolicy first = policyFor(keys.get(0));
    Set<LockPolicy> others = null;
    for (int i = 1; i < keys.size(); i++) {
      LockPolicy policy = policyFor(keys.get(i));
      if (policy != first) {
        if (others == null) {
          others = new HashSet<>();
        }
        others.add(policy);
      }
    }
    if (others == null) {
      return first;
    }
    others.add(first);
    return merge(others);
  }

  private static LockPolicy merge(Set<LockPolicy> policies) {
    Set<String> names = new TreeSet<>();
    Duration waitTime = null;
    Duration leaseTime = null;
    LeaseMode leaseMode = LeaseMode.FIXED;
    for (LockPolicy policy : policies) {
      names.add(policy.name());
      waitTime =
          waitTime == null || policy.waitTime().compareTo(waitTime) < 0
              ? policy.waitTime()
              : waitTime;
      leaseTime =
          leaseTime == null || policy.leaseTime().compareTo(leaseTime) > 0
              ? policy.leaseTime()
              : leaseTime;
      if (policy.leaseMode() == LeaseMode.RENEWING) {
        leaseMode = LeaseMode.RENEWING;
      }
    }
    if (waitTime == null || leaseTime == null) {
      // Unreachable: policyFor merges two or more policies. Says so to NullAway.
      throw new IllegalStateException("No policies to merge: " + policies);
    }
    return LockPolicy.merged(String.join("+", names), waitTime, leaseTime, leaseMode);
  }

  @Override
  public String toString() {
    return "LockPolicies{default=" + defaultPolicy + ", rules=" + rules + '}';
  }

  private static final class Rule {
    final KeyPattern pattern;
    final LockPolicy policy;

    Rule(KeyPattern pattern, LockPolicy policy) {
      this.pattern = pattern;
      this.policy = policy;
    }

    @Override
    public String toString() {
      return pattern + "=" + policy.name();
    }
  }

  /** Builds {@link LockPolicies}; every method validates its arguments. Not thread-safe. */
  public static final class Builder {

    private LockPolicy defaultPolicy = LockPolicy.ofDefaults();
    private final List<Rule> rules = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the policy of keys no pattern matches.
     *
     * @param policy the default policy
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public Builder defaultPolicy(LockPolicy policy) {
      this.defaultPolicy = Arguments.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Applies {@code policy} to the keys {@code pattern} matches.
     *
     * @param pattern a key pattern; {@code *} stands for any run of characters
     * @param policy the policy of the matching keys
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code pattern} is blank or already registered
     */
    public Builder policy(String pattern, LockPolicy policy) {
      KeyPattern compiled = KeyPattern.compile(pattern, "pattern");
      Arguments.requireNonNull(policy, "policy");
      for (Rule rule : rules) {
        if (rule.pattern.toString().equals(pattern)) {
          throw new IllegalArgumentException(
              "pattern " + Arguments.quote(pattern) + " is already mapped to " + rule.policy);
        }
      }
      rules.add(new Rule(compiled, policy));
      return this;
    }

    /**
     * Builds the policies.
     *
     * @return immutable policies
     */
    public LockPolicies build() {
      List<Rule> bySpecificity = new ArrayList<>(rules);
      bySpecificity.sort(
          Comparator.comparingInt((Rule rule) -> rule.pattern.specificity()).reversed());
      return new LockPolicies(defaultPolicy, List.copyOf(bySpecificity));
    }
  }
}
