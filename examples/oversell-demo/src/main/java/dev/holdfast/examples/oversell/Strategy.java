package dev.holdfast.examples.oversell;

/** A way to keep concurrent orders from selling the same unit, as the demo's table names it. */
public enum Strategy {

  /** Read stock, check, write: nothing keeps two orders apart. */
  NO_LOCK("no lock", false),

  /** Holdfast's in-memory provider, one per service instance: excludes within one JVM only. */
  JVM_LOCK("JVM lock per instance", false),

  /** Holdfast on Redis, shared by every instance: all product locks in one step, fenced writes. */
  HOLDFAST("Holdfast lock (Redis)", true),

  /** What many write by hand: a RedissonMultiLock over per-product RLocks, in product order. */
  MULTI_LOCK("RedissonMultiLock (hand-written)", true),

  /** Holdfast on a lock table in the run's database: all product locks in one transaction. */
  JDBC_LOCK("Holdfast lock (JDBC)", false),

  /** The database's own row locks: SELECT ... FOR UPDATE in product order, in the transaction. */
  ROW_LOCKS("row locks (SELECT FOR UPDATE)", false),

  /** Stock held in Redis, all lines of an order decremented by one Lua script; no lock. */
  REDIS_STOCK("Redis-held stock (Lua)", true);

  private final String label;
  private final boolean needsRedis;

  Strategy(String label, boolean needsRedis) {
    this.label = label;
    this.needsRedis = needsRedis;
  }

  /**
   * The strategy's name in the table.
   *
   * @return a short human-readable name
   */
  public String label() {
    return label;
  }

  /**
   * Whether the strategy needs Redis.
   *
   * @return true for the shared-lock and Redis-stock strategies
   */
  public boolean needsRedis() {
    return needsRedis;
  }

  /**
   * Whether the strategy must never oversell with this many service instances: a run where it does
   * fails. A JVM lock excludes only within its instance, so it is safe with one instance only.
   *
   * @param instances how many service instances share the stock
   * @return true if overselling is a defect
   */
  public boolean mustNotOversell(int instances) {
    return switch (this) {
      case NO_LOCK -> false;
      case JVM_LOCK -> instances == 1;
      case HOLDFAST, MULTI_LOCK, JDBC_LOCK, ROW_LOCKS, REDIS_STOCK -> true;
    };
  }
}
