package dev.holdfast.lock.spring;

import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.time.Duration;
import java.util.function.Consumer;
import org.redisson.api.RedissonClient;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds the Redis provider from {@code holdfast.redis.*}. A value the provider's builder rejects
 * fails with an {@link InvalidConfigurationPropertyValueException} naming the property.
 */
final class RedisProviderFactory {

  private static final String PREFIX = "holdfast.redis.";

  private RedisProviderFactory() {}

  /**
   * Builds the provider, which runs its startup checks against Redis.
   *
   * @throws InvalidConfigurationPropertyValueException naming the first invalid property
   * @throws IllegalStateException if a startup check refused Redis's setup, naming the finding
   */
  static RedissonLockProvider build(RedissonClient redisson, HoldfastProperties.Redis redis) {
    RedissonLockProvider.Builder builder =
        RedissonLockProvider.builder(redisson)
            .mode(RedissonLockProvider.Mode.valueOf(redis.getMode().name()))
            .evictionPolicyCheck(startupCheck(redis.getEvictionPolicyCheck()))
            .replicaCountCheck(startupCheck(redis.getReplicaCountCheck()));
    set(builder::responseTimeout, PREFIX + "response-timeout", redis.getResponseTimeout());
    set(builder::pollInterval, PREFIX + "poll-interval", redis.getPollInterval());
    HoldfastProperties.ReplicaAcknowledgement acknowledgement = redis.getReplicaAcknowledgement();
    int replicas = acknowledgement.getReplicas();
    String replicasProperty = PREFIX + "replica-acknowledgement.replicas";
    if (replicas < 0) {
      throw new InvalidConfigurationPropertyValueException(
          replicasProperty, replicas, "replicas must be 0 (no acknowledgement) or more");
    }
    if (replicas > 0) {
      if (redis.getMode() != RedisMode.ATOMIC) {
        throw new InvalidConfigurationPropertyValueException(
            replicasProperty,
            replicas,
            "a replica acknowledgement works in holdfast.redis.mode=atomic only, not in "
                + redis.getMode());
      }
      set(
          timeout -> builder.replicaAcknowledgement(replicas, timeout),
          PREFIX + "replica-acknowledgement.timeout",
          acknowledgement.getTimeout());
    }
    return builder.build();
  }

  private static RedissonLockProvider.StartupCheck startupCheck(RedisStartupCheck check) {
    return RedissonLockProvider.StartupCheck.valueOf(check.name());
  }

  private static void set(Consumer<Duration> setter, String property, Duration value) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | NullPointerException rejected) {
      throw new InvalidConfigurationPropertyValueException(property, value, rejected.getMessage());
    }
  }
}
