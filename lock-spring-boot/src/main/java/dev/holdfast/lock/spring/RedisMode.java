package dev.holdfast.lock.spring;

/**
 * How the Redis provider locks keys: {@code holdfast.redis.mode}. Mirrors {@code
 * dev.holdfast.lock.redisson.RedissonLockProvider.Mode}, which this type stands in for so that the
 * properties bind without {@code lock-redisson} on the classpath.
 */
public enum RedisMode {

  /**
   * One Lua script per request (per slot group in a cluster), with fencing tokens (the default).
   */
  ATOMIC,

  /** Redisson's own per-key {@code RLock}s, to interoperate with other Redisson lock users. */
  REDISSON_COMPATIBLE
}
