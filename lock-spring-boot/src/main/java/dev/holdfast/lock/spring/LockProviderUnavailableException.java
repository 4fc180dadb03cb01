package dev.holdfast.lock.spring;

import java.util.List;

/**
 * The lock provider that {@code holdfast.provider} names cannot be built: a class or a bean it
 * needs is missing. Holdfast never falls back to another backend instead, since a JVM-local lock in
 * a service that runs several instances does not exclude anything. {@link
 * LockProviderFailureAnalyzer} turns it into Spring Boot's startup failure report.
 */
final class LockProviderUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private static final String IN_MEMORY_ADVICE =
      "Only a service that runs as a single instance (or a test) may set"
          + " holdfast.provider=in-memory and add dev.holdfast:lock-inmemory instead: those locks"
          + " hold within one JVM, so two instances of a service would each grant the same key,"
          + " and an order service would oversell. For that reason Holdfast never falls back to"
          + " them by itself.";

  private final String description;
  private final String action;

  /**
   * @param description what is missing, and for which setting
   * @param action what the application can do about it
   */
  LockProviderUnavailableException(String description, String action) {
    super(description + " " + action);
    this.description = description;
    this.action = action;
  }

  /** Redis is the provider, and the application has no {@code RedissonClient} bean. */
  static LockProviderUnavailableException noRedissonClient() {
    return new LockProviderUnavailableException(
        "Holdfast locks in Redis (holdfast.provider=redisson, the default), but the application"
            + " has no RedissonClient bean to reach Redis with.",
        "Add Redisson's Spring Boot starter (org.redisson:redisson-spring-boot-starter), which"
            + " creates a RedissonClient from the spring.data.redis.* properties, or define a"
            + " RedissonClient bean of your own. "
            + IN_MEMORY_ADVICE);
  }

  /** Redis is the provider, and {@code missing} (class names) are not on the classpath. */
  static LockProviderUnavailableException redisClassesMissing(List<String> missing) {
    return new LockProviderUnavailableException(
        "Holdfast locks in Redis (holdfast.provider=redisson, the default), but "
            + String.join(" and ", missing)
            + (missing.size() == 1 ? " is" : " are")
            + " not on the classpath.",
        "Depend on dev.holdfast:lock-spring-boot-starter, which brings dev.holdfast:lock-redisson"
            + " and Redisson, and give the application a RedissonClient bean (Redisson's Spring"
            + " Boot starter creates one). "
            + IN_MEMORY_ADVICE);
  }

  /** The JVM-local provider is asked for, and {@code lock-inmemory} is not on the classpath. */
  /** JDBC is the provider, and the application has no single {@code DataSource} bean. */
  static LockProviderUnavailableException noDataSource() {
    return new LockProviderUnavailableException(
        "holdfast.provider=jdbc, but the application has no single DataSource bean to lock in.",
        "Configure spring.datasource.* (Spring Boot's JDBC starter creates the DataSource), define"
            + " one DataSource bean, or mark one @Primary.");
  }

  /** JDBC is the provider, and {@code lock-jdbc} is missing. */
  static LockProviderUnavailableException jdbcClassesMissing() {
    return new LockProviderUnavailableException(
        "holdfast.provider=jdbc, but dev.holdfast:lock-jdbc is not on the classpath.",
        "Add dev.holdfast:lock-jdbc, or remove holdfast.provider to lock in Redis (the default)"
            + " through the application's RedissonClient bean.");
  }

  static LockProviderUnavailableException inMemoryClassesMissing() {
    return new LockProviderUnavailableException(
        "holdfast.provider=in-memory, but dev.holdfast:lock-inmemory is not on the classpath.",
        "Add dev.holdfast:lock-inmemory, or remove holdfast.provider to lock in Redis (the"
            + " default) through the application's RedissonClient bean.");
  }

  /** What is missing, and for which setting. */
  String description() {
    return description;
  }

  /** What the application can do about it. */
  String action() {
    return action;
  }
}
