package dev.holdfast.lock.spring;

/**
 * What the Redis provider does at startup when a check finds Redis set up unsafely: {@code
 * holdfast.redis.eviction-policy-check} and {@code holdfast.redis.replica-count-check}. Mirrors
 * {@code dev.holdfast.lock.redisson.RedissonLockProvider.StartupCheck}, which this type stands in
 * for so that the properties bind without {@code lock-redisson} on the classpath.
 */
public enum RedisStartupCheck {

  /** Log the finding at WARN, show it in the {@code holdfast} health details, and start. */
  WARN,

  /** Fail the application's startup, naming the finding. */
  REFUSE,

  /** Do not check. */
  SKIP
}
