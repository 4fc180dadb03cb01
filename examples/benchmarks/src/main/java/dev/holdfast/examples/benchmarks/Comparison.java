package dev.holdfast.examples.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * One line of the report: a workload, the Holdfast benchmark and the peer's, and the target the
 * issue set for their ratio.
 *
 * @param workload what is measured, for the reader
 * @param holdfast the Holdfast benchmark, {@code Class.method}
 * @param peer the peer's benchmark, {@code Class.method}
 * @param peerName what the peer is, for the reader
 * @param minRatio the least Holdfast ops/s over the peer's that meets the target, or null where the
 *     issue set none (the row is there to show a trend)
 * @param maxP99Ratio the most Holdfast's p99 latency over the peer's that meets the target, or null
 *     where the target says nothing about latency
 */
record Comparison(
    String workload,
    String holdfast,
    String peer,
    String peerName,
    @Nullable Double minRatio,
    @Nullable Double maxP99Ratio) {

  private static final String RLOCK = "Redisson `RLock`";
  private static final String MULTI_LOCK = "`RedissonMultiLock` (sorted)";
  private static final String LOCK_MAP = "`ConcurrentHashMap<String, ReentrantLock>`";
  private static final String TEMPLATE = "keys built by hand, `LockTemplate` called directly";
  private static final String PROXIED_TEMPLATE =
      "the same, in a bean behind Spring's proxy with a pass-through interceptor";

  /** The annotation may take at most 1.1 times the direct call's time: 1 / 1.1 of its ops/s. */
  private static final double ANNOTATION_MIN_RATIO = 1 / 1.1;

  /** The workloads, in its order. */
  static final Comparison[] ALL = {
    new Comparison(
        "1 key, 1 thread",
        "RedisOneKeyBenchmark.holdfast",
        "RedisOneKeyBenchmark.redisson",
        RLOCK,
        1.5,
        null),
    new Comparison(
        "1 key, 1 thread, over its floor",
        "RedisOneKeyBenchmark.holdfast",
        "RedisOneKeyBenchmark.twoRoundTrips",
        "two `EVALSHA` round trips of a no-op script, same client",
        0.8,
        null),
    new Comparison(
        "1 key each, 16 threads, 16 keys",
        "RedisOwnKeyBenchmark.holdfast",
        "RedisOwnKeyBenchmark.redisson",
        RLOCK,
        1.0,
        null),
    new Comparison(
        "3 fixed keys, 1 thread",
        "RedisThreeKeysBenchmark.holdfast",
        "RedisThreeKeysBenchmark.redissonMultiLock",
        MULTI_LOCK,
        3.0,
        null),
    new Comparison(
        "3 of 20 random keys, 16 threads",
        "RedisThreeOfTwentyBenchmark.holdfast",
        "RedisThreeOfTwentyBenchmark.redissonMultiLock",
        MULTI_LOCK,
        5.0,
        0.15),
    new Comparison(
        "3 of 20 random keys, 16 threads, a client each",
        "RedisThreeOfTwentyBenchmark.holdfastOwnClients",
        "RedisThreeOfTwentyBenchmark.redissonMultiLockOwnClients",
        MULTI_LOCK,
        5.0,
        0.15),
    keysPerCall(1, null),
    keysPerCall(3, null),
    keysPerCall(10, null),
    keysPerCall(30, 30.0),
    keysPerCall(100, null),
    new Comparison(
        "30 keys a call over 1 key a call, 1 thread",
        keysPerCallBenchmark("holdfast", 30),
        keysPerCallBenchmark("holdfast", 1),
        "Holdfast itself, 1 key a call",
        0.6,
        null),
    new Comparison(
        "one hot key, 16 threads",
        "RedisOneKeyBenchmark.holdfastHotKey",
        "RedisOneKeyBenchmark.redissonHotKey",
        RLOCK,
        1.0,
        0.5),
    new Comparison(
        "renewing lease, 16 threads, 16 keys",
        "RedisRenewingBenchmark.holdfast",
        "RedisRenewingBenchmark.redissonWatchdog",
        "Redisson `RLock`, watchdog",
        1.0,
        null),
    new Comparison(
        "compat mode, 3 of 20 keys, 16 threads",
        "RedisThreeOfTwentyBenchmark.holdfastCompatible",
        "RedisThreeOfTwentyBenchmark.redissonMultiLock",
        MULTI_LOCK,
        1.0,
        null),
    new Comparison(
        "in-memory, 1 key, 1 thread",
        "InMemoryBenchmark.holdfastOneThread",
        "InMemoryBenchmark.handRolledOneThread",
        LOCK_MAP,
        0.5,
        null),
    new Comparison(
        "in-memory, 1 key, 16 threads",
        "InMemoryBenchmark.holdfastSixteenThreads",
        "InMemoryBenchmark.handRolledSixteenThreads",
        LOCK_MAP,
        0.5,
        null),
    new Comparison(
        "Spring `@DistributedLock`, 1 key `#productId`, 1 thread",
        "SpringAnnotationBenchmark.annotationOneKey",
        "SpringAnnotationBenchmark.templateOneKey",
        TEMPLATE,
        ANNOTATION_MIN_RATIO,
        null),
    new Comparison(
        "Spring `@DistributedLock`, 3 keys `#lines.![productId]`, 1 thread",
        "SpringAnnotationBenchmark.annotationThreeKeys",
        "SpringAnnotationBenchmark.templateThreeKeys",
        TEMPLATE,
        ANNOTATION_MIN_RATIO,
        null),
    new Comparison(
        "Spring `@DistributedLock`, 1 key, over the same call in an equally proxied bean",
        "SpringAnnotationBenchmark.annotationOneKey",
        "SpringAnnotationBenchmark.proxiedTemplateOneKey",
        PROXIED_TEMPLATE,
        ANNOTATION_MIN_RATIO,
        null),
    new Comparison(
        "Spring `@DistributedLock`, 3 keys, over the same call in an equally proxied bean",
        "SpringAnnotationBenchmark.annotationThreeKeys",
        "SpringAnnotationBenchmark.proxiedTemplateThreeKeys",
        PROXIED_TEMPLATE,
        ANNOTATION_MIN_RATIO,
        null),
    // Issue 15 set no target for the JDBC backend: these rows show what it costs next to what a
    // team on a database would use instead.
    new Comparison(
        "JDBC (PostgreSQL), 1 key, 1 thread",
        "JdbcBenchmark.holdfastOneKey",
        "JdbcBenchmark.jdbcLockRegistryOneKey",
        "Spring Integration `JdbcLockRegistry`",
        null,
        null),
    new Comparison(
        "JDBC (PostgreSQL), 3-key order, 1 thread",
        "JdbcBenchmark.holdfastThreeKeys",
        "JdbcBenchmark.selectForUpdateThreeKeys",
        "`SELECT … FOR UPDATE` in product order",
        null,
        null),
  };

  private static Comparison keysPerCall(int keys, @Nullable Double minRatio) {
    return new Comparison(
        keys + (keys == 1 ? " key" : " keys") + " a call, 1 thread",
        keysPerCallBenchmark("holdfast", keys),
        keysPerCallBenchmark("redissonMultiLock", keys),
        MULTI_LOCK,
        minRatio,
        null);
  }

  private static String keysPerCallBenchmark(String method, int keys) {
    return "RedisKeysPerCallBenchmark."
        + method
        + '['
        + RedisKeysPerCallBenchmark.KEYS_PARAM
        + '='
        + keys
        + ']';
  }

  /** The backend Holdfast runs on in this workload, for the reader. */
  String backend() {
    if (holdfast.startsWith("InMemory") || holdfast.startsWith("SpringAnnotation")) {
      return "in-memory";
    }
    if (holdfast.startsWith("Jdbc")) {
      return "JDBC";
    }
    return holdfast.endsWith("Compatible") ? "Redis, compat mode" : "Redis";
  }
}
