package dev.holdfast.lock.spring;

import dev.holdfast.lock.LeaseMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Holdfast's {@code holdfast.*} configuration properties.
 *
 * <p>Defaults written as literals here (so that the configuration processor can put them in the
 * metadata) equal lock-api's and lock-redisson's own defaults; a test keeps them equal.
 */
@ConfigurationProperties("holdfast")
public class HoldfastProperties {

  /**
   * Which backend holds the locks: redisson (Redis, through the application's RedissonClient bean)
   * or in-memory (this JVM only: for a single instance or tests; two instances would each grant the
   * same key). There is no fallback from one to the other.
   */
  private ProviderType provider = ProviderType.REDISSON;

  /**
   * What a @DistributedLock method does when a transaction is already active on the thread as it is
   * entered: fail (refuse the call), warn, or off.
   */
  private TransactionCheck transactionCheck = TransactionCheck.FAIL;

  /** Wait, lease and lease mode of keys that no policy's pattern matches. */
  private final Defaults defaults = new Defaults();

  /**
   * Named policies, each the wait, lease and lease mode of the keys its pattern matches:
   * holdfast.policies.<name>.pattern (required), .wait-time, .lease-time, .lease-mode. The name
   * tags the metrics of its keys. Settings a policy leaves out come from holdfast.defaults.
   */
  private final Map<String, Policy> policies = new LinkedHashMap<>();

  /** The Redis provider's settings. */
  private final Redis redis = new Redis();

  /** The JDBC provider's settings. */
  private final Jdbc jdbc = new Jdbc();

  /** Creates the properties with their defaults. */
  public HoldfastProperties() {}

  /**
   * Returns which backend holds the locks.
   *
   * @return the provider; {@link ProviderType#REDISSON} by default
   */
  public ProviderType getProvider() {
    return provider;
  }

  /**
   * Sets which backend holds the locks.
   *
   * @param provider the provider
   */
  public void setProvider(ProviderType provider) {
    this.provider = provider;
  }

  /**
   * Returns what a {@code @DistributedLock} method does when a transaction is already active.
   *
   * @return the check; {@link TransactionCheck#FAIL} by default
   */
  public TransactionCheck getTransactionCheck() {
    return transactionCheck;
  }

  /**
   * Sets what a {@code @DistributedLock} method does when a transaction is already active.
   *
   * @param transactionCheck the check
   */
  public void setTransactionCheck(TransactionCheck transactionCheck) {
    this.transactionCheck = transactionCheck;
  }

  /**
   * Returns the settings of keys that no policy's pattern matches.
   *
   * @return the defaults, mutable for binding
   */
  public Defaults getDefaults() {
    return defaults;
  }

  /**
   * Returns the named policies, in the order they were bound.
   *
   * @return policies by name, mutable for binding
   */
  public Map<String, Policy> getPolicies() {
    return policies;
  }

  /**
   * Returns the Redis provider's settings.
   *
   * @return the settings, mutable for binding
   */
  public Redis getRedis() {
    return redis;
  }

  /**
   * Returns the JDBC provider's settings.
   *
   * @return the settings, mutable for binding
   */
  public Jdbc getJdbc() {
    return jdbc;
  }

  /** {@code holdfast.defaults.*}: the policy of keys no pattern matches, named {@code default}. */
  public static class Defaults {

    /** How long a call may wait for its whole key set; 0 tries once. */
    private Duration waitTime = Duration.ofSeconds(5);

    /**
     * How long a key stays held if never released; in renewing mode, how far each renewal reaches.
     */
    private Duration leaseTime = Duration.ofSeconds(30);

    /** Whether a lease is fixed or renewed while the work runs. */
    private LeaseMode leaseMode = LeaseMode.FIXED;

    /** Creates the defaults of {@link dev.holdfast.lock.LockPolicy#ofDefaults()}. */
    public Defaults() {}

    /**
     * Returns the wait time.
     *
     * @return the wait time; 5 s by default
     */
    public Duration getWaitTime() {
      return waitTime;
    }

    /**
     * Sets the wait time.
     *
     * @param waitTime the wait time
     */
    public void setWaitTime(Duration waitTime) {
      this.waitTime = waitTime;
    }

    /**
     * Returns the lease time.
     *
     * @return the lease time; 30 s by default
     */
    public Duration getLeaseTime() {
      return leaseTime;
    }

    /**
     * Sets the lease time.
     *
     * @param leaseTime the lease time
     */
    public void setLeaseTime(Duration leaseTime) {
      this.leaseTime = leaseTime;
    }

    /**
     * Returns the lease mode.
     *
     * @return the lease mode; {@link LeaseMode#FIXED} by default
     */
    public LeaseMode getLeaseMode() {
      return leaseMode;
    }

    /**
     * Sets the lease mode.
     *
     * @param leaseMode the lease mode
     */
    public void setLeaseMode(LeaseMode leaseMode) {
      this.leaseMode = leaseMode;
    }
  }

  /**
   * {@code holdfast.policies.<name>.*}: one named policy. Where several patterns match a key, the
   * one with the most literal characters wins.
   */
  public static class Policy {

    /** The keys this policy covers: * stands for any run of characters (lock:product:hot-*). */
    private @Nullable String pattern;

    /** How long a call may wait for its whole key set; holdfast.defaults.wait-time if not set. */
    private @Nullable Duration waitTime;

    /** How long a key stays held if never released; holdfast.defaults.lease-time if not set. */
    private @Nullable Duration leaseTime;

    /** Whether a lease is fixed or renewed; holdfast.defaults.lease-mode if not set. */
    private @Nullable LeaseMode leaseMode;

    /** Creates a policy with nothing set. */
    public Policy() {}

    /**
     * Returns the key pattern.
     *
     * @return the pattern, or null if not set (which fails startup)
     */
    public @Nullable String getPattern() {
      return pattern;
    }

    /**
     * Sets the key pattern.
     *
     * @param pattern the pattern
     */
    public void setPattern(@Nullable String pattern) {
      this.pattern = pattern;
    }

    /**
     * Returns the wait time.
     *
     * @return the wait time, or null to use the default
     */
    public @Nullable Duration getWaitTime() {
      return waitTime;
    }

    /**
     * Sets the wait time.
     *
     * @param waitTime the wait time, or null to use the default
     */
    public void setWaitTime(@Nullable Duration waitTime) {
      this.waitTime = waitTime;
    }

    /**
     * Returns the lease time.
     *
     * @return the lease time, or null to use the default
     */
    public @Nullable Duration getLeaseTime() {
      return leaseTime;
    }

    /**
     * Sets the lease time.
     *
     * @param leaseTime the lease time, or null to use the default
     */
    public void setLeaseTime(@Nullable Duration leaseTime) {
      this.leaseTime = leaseTime;
    }

    /**
     * Returns the lease mode.
     *
     * @return the lease mode, or null to use the default
     */
    public @Nullable LeaseMode getLeaseMode() {
      return leaseMode;
    }

    /**
     * Sets the lease mode.
     *
     * @param leaseMode the lease mode, or null to use the default
     */
    public void setLeaseMode(@Nullable LeaseMode leaseMode) {
      this.leaseMode = leaseMode;
    }
  }

  /** {@code holdfast.redis.*}: the options of {@code RedissonLockProvider.Builder}. */
  public static class Redis {

    /**
     * How keys are locked: atomic (one Lua script per request, fencing tokens) or
     * redisson-compatible (Redisson's own RLocks, to share keys with plain Redisson lock users).
     */
    private RedisMode mode = RedisMode.ATOMIC;

    /**
     * How long past its wait time a call waits for a Redis reply before it fails as a backend
     * failure; also bounds a release, a check and the health check. 1 ms to 1 h.
     */
    private Duration responseTimeout = Duration.ofMillis(500);

    /**
     * The longest a waiting call sleeps without a release message before trying again. 1 ms to 1 h.
     */
    private Duration pollInterval = Duration.ofMillis(200);

    /** Replicas that must acknowledge every acquisition and renewal (WAIT); off by default. */
    private final ReplicaAcknowledgement replicaAcknowledgement = new ReplicaAcknowledgement();

    /**
     * What startup does when a Redis master's maxmemory-policy is not noeviction, under which Redis
     * may evict a held lock key.
     */
    private RedisStartupCheck evictionPolicyCheck = RedisStartupCheck.WARN;

    /**
     * What startup does when, with a replica acknowledgement required, a master has fewer replicas
     * online than required (every acquisition would fail).
     */
    private RedisStartupCheck replicaCountCheck = RedisStartupCheck.REFUSE;

    /** Creates the settings with the provider's defaults. */
    public Redis() {}

    /**
     * Returns how keys are locked.
     *
     * @return the mode; {@link RedisMode#ATOMIC} by default
     */
    public RedisMode getMode() {
      return mode;
    }

    /**
     * Sets how keys are locked.
     *
     * @param mode the mode
     */
    public void setMode(RedisMode mode) {
      this.mode = mode;
    }

    /**
     * Returns the response timeout.
     *
     * @return the response timeout; 500 ms by default
     */
    public Duration getResponseTimeout() {
      return responseTimeout;
    }

    /**
     * Sets the response timeout.
     *
     * @param responseTimeout the response timeout
     */
    public void setResponseTimeout(Duration responseTimeout) {
      this.responseTimeout = responseTimeout;
    }

    /**
     * Returns the poll interval.
     *
     * @return the poll interval; 200 ms by default
     */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /**
     * Sets the poll interval.
     *
     * @param pollInterval the poll interval
     */
    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    /**
     * Returns the replica acknowledgement settings.
     *
     * @return the settings, mutable for binding
     */
    public ReplicaAcknowledgement getReplicaAcknowledgement() {
      return replicaAcknowledgement;
    }

    /**
     * Returns what startup does about an unsafe eviction policy.
     *
     * @return the check; {@link RedisStartupCheck#WARN} by default
     */
    public RedisStartupCheck getEvictionPolicyCheck() {
      return evictionPolicyCheck;
    }

    /**
     * Sets what startup does about an unsafe eviction policy.
     *
     * @param evictionPolicyCheck the check
     */
    public void setEvictionPolicyCheck(RedisStartupCheck evictionPolicyCheck) {
      this.evictionPolicyCheck = evictionPolicyCheck;
    }

    /**
     * Returns what startup does about too few replicas.
     *
     * @return the check; {@link RedisStartupCheck#REFUSE} by default
     */
    public RedisStartupCheck getReplicaCountCheck() {
      return replicaCountCheck;
    }

    /**
     * Sets what startup does about too few replicas.
     *
     * @param replicaCountCheck the check
     */
    public void setReplicaCountCheck(RedisStartupCheck replicaCountCheck) {
      this.replicaCountCheck = replicaCountCheck;
    }
  }

  /** {@code holdfast.redis.replica-acknowledgement.*}: {@code WAIT} after each write. */
  public static class ReplicaAcknowledgement {

    /**
     * How many replicas must acknowledge every acquisition and renewal; 0 (the default) waits for
     * none. Atomic mode only.
     */
    private int replicas;

    /**
     * The longest one acknowledgement is waited for (WAIT's timeout, also capped at a quarter of
     * the lease). 1 ms to 1 h.
     */
    private Duration timeout = Duration.ofMillis(100);

    /** Creates the settings: no acknowledgement. */
    public ReplicaAcknowledgement() {}

    /**
     * Returns how many replicas must acknowledge.
     *
     * @return the count; 0, none, by default
     */
    public int getReplicas() {
      return replicas;
    }

    /**
     * Sets how many replicas must acknowledge.
     *
     * @param replicas the count; 0 for none
     */
    public void setReplicas(int replicas) {
      this.replicas = replicas;
    }

    /**
     * Returns the acknowledgement timeout.
     *
     * @return the timeout; 100 ms by default
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the acknowledgement timeout.
     *
     * @param timeout the timeout
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** {@code holdfast.jdbc.*}: the options of {@code JdbcLockProvider.Builder}. */
  public static class Jdbc {

    /** The lock table's name, optionally schema-qualified. */
    private String tableName = "holdfast_lock";

    /** Whether startup creates the lock table from the shipped DDL when it does not exist. */
    private boolean createTable;

    /**
     * How long one statement may wait for the database before the call fails as a backend failure.
     */
    private Duration statementTimeout = Duration.ofSeconds(2);

    /** The longest back-off of a waiting caller that heard of no release. */
    private Duration pollInterval = Duration.ofMillis(200);

    /**
     * On PostgreSQL, whether waiters are woken by releases of other instances (LISTEN/NOTIFY on one
     * connection the provider holds for its lifetime).
     */
    private boolean releaseNotifications = true;

    /** Creates the settings with their defaults. */
    public Jdbc() {}

    /**
     * Returns the lock table's name.
     *
     * @return the name; {@code holdfast_lock} by default
     */
    public String getTableName() {
      return tableName;
    }

    /**
     * Sets the lock table's name.
     *
     * @param tableName the name
     */
    public void setTableName(String tableName) {
      this.tableName = tableName;
    }

    /**
     * Returns whether startup creates the table when it is missing.
     *
     * @return {@code false} by default
     */
    public boolean isCreateTable() {
      return createTable;
    }

    /**
     * Sets whether startup creates the table when it is missing.
     *
     * @param createTable {@code true} to create it
     */
    public void setCreateTable(boolean createTable) {
      this.createTable = createTable;
    }

    /**
     * Returns the statement timeout.
     *
     * @return the timeout; 2 s by default
     */
    public Duration getStatementTimeout() {
      return statementTimeout;
    }

    /**
     * Sets the statement timeout.
     *
     * @param statementTimeout the timeout
     */
    public void setStatementTimeout(Duration statementTimeout) {
      this.statementTimeout = statementTimeout;
    }

    /**
     * Returns the poll interval.
     *
     * @return the poll interval; 200 ms by default
     */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /**
     * Sets the poll interval.
     *
     * @param pollInterval the poll interval
     */
    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    /**
     * Returns whether PostgreSQL release notifications are used.
     *
     * @return {@code true} by default
     */
    public boolean isReleaseNotifications() {
      return releaseNotifications;
    }

    /**
     * Sets whether PostgreSQL release notifications are used.
     *
     * @param releaseNotifications {@code false} to poll only
     */
    public void setReleaseNotifications(boolean releaseNotifications) {
      this.releaseNotifications = releaseNotifications;
    }
  }
}
