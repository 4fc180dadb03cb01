package dev.holdfast.lock.spring;

/** Which backend holds the locks: {@code holdfast.provider}. */
public enum ProviderType {

  /**
   * Redis, through the application's {@code RedissonClient} bean (the default). Needs {@code
   * dev.holdfast:lock-redisson}, which the starter brings.
   */
  REDISSON,

  /**
   * This JVM only, for a service that runs as a single instance, and for tests. Needs {@code
   * dev.holdfast:lock-inmemory}. Two instances of a service would each grant the same key: never
   * choose it for a service that scales out.
   */
  IN_MEMORY,

  /**
   * A lock table in the application's database (PostgreSQL, MariaDB, MySQL or H2), through its
   * {@code DataSource} bean. Needs {@code dev.holdfast:lock-jdbc}; see {@code holdfast.jdbc.*}.
   */
  JDBC
}
