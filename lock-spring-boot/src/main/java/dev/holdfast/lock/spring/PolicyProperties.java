package dev.holdfast.lock.spring;

import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Maps {@code holdfast.defaults.*} and {@code holdfast.policies.*} onto {@link LockPolicies}. A
 * value that lock-api rejects fails with an {@link InvalidConfigurationPropertyValueException}
 * naming the property, whose failure analysis shows the value as written and where it came from.
 */
final class PolicyProperties {

  private static final String DEFAULTS = "holdfast.defaults.";
  private static final String POLICIES = "holdfast.policies.";

  private PolicyProperties() {}

  /**
   * Builds the policies the properties describe.
   *
   * @throws InvalidConfigurationPropertyValueException naming the first invalid property
   */
  static LockPolicies toLockPolicies(HoldfastProperties properties) {
    HoldfastProperties.Defaults defaults = properties.getDefaults();
    LockPolicy.Builder defaultPolicy = LockPolicy.custom(LockPolicy.DEFAULT_NAME);
    set(defaultPolicy::waitTime, DEFAULTS + "wait-time", defaults.getWaitTime());
    set(defaultPolicy::leaseTime, DEFAULTS + "lease-time", defaults.getLeaseTime());
    set(defaultPolicy::leaseMode, DEFAULTS + "lease-mode", defaults.getLeaseMode());
    LockPolicies.Builder policies = LockPolicies.builder().defaultPolicy(defaultPolicy.build());
    for (Map.Entry<String, HoldfastProperties.Policy> entry : properties.getPolicies().entrySet()) {
      addPolicy(policies, entry.getKey(), entry.getValue(), defaults);
    }
    return policies.build();
  }

  private static void addPolicy(
      LockPolicies.Builder policies,
      String name,
      HoldfastProperties.Policy policy,
      HoldfastProperties.Defaults defaults) {
    String prefix = POLICIES + name + ".";
    if (LockPolicy.DEFAULT_NAME.equals(name)) {
      throw new InvalidConfigurationPropertyValueException(
          POLICIES + name,
          name,
          "\"" + name + "\" is the policy that holdfast.defaults configures; choose another name");
    }
    LockPolicy.Builder builder = set(LockPolicy::custom, POLICIES + name, name);
    set(
        builder::waitTime,
        prefix + "wait-time",
        orElse(policy.getWaitTime(), defaults.getWaitTime()));
    set(
        builder::leaseTime,
        prefix + "lease-time",
        orElse(policy.getLeaseTime(), defaults.getLeaseTime()));
    set(
        builder::leaseMode,
        prefix + "lease-mode",
        orElse(policy.getLeaseMode(), defaults.getLeaseMode()));
    String pattern = policy.getPattern();
    if (pattern == null) {
      throw new InvalidConfigurationPropertyValueException(
          prefix + "pattern",
          null,
          "every policy needs the pattern of the keys it covers, such as lock:product:hot-*");
    }
    LockPolicy built = builder.build();
    set(value -> policies.policy(value, built), prefix + "pattern", pattern);
  }

  private static <T> T orElse(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** Applies {@code value}, turning lock-api's rejection into one that names the property. */
  private static <V, R> R set(Function<V, R> setter, String property, V value) {
    try {
      return setter.apply(value);
    } catch (IllegalArgumentException | NullPointerException rejected) {
      throw new InvalidConfigurationPropertyValueException(property, value, rejected.getMessage());
    }
  }
}
