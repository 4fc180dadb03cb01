package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * Locks in Redis, through a {@link RedissonClient} the caller creates, configures and closes
 * (standalone, Sentinel or Cluster). Thread-safe; share one per client.
 *
 * <pre>{@code
 * RedissonLockProvider locks = RedissonLockProvider.builder(redisson).build();
 * LockTemplate template = LockTemplate.of(locks);
 * }</pre>
 *
 * <h2>Modes</h2>
 *
 * <p>{@link Mode#ATOMIC} (the default) takes every key of a request in one Lua script, so one round
 * trip acquires any number of keys, and issues fencing tokens (below). Each lock key is a Redis
 * string holding a per-acquisition owner token, with the lease as its expiry; beside it a counter
 * named by {@link #fencingCounterKey} keeps the key's last token. Waiters of every provider queue
 * in Redis, oldest first: a release deletes the key and reserves the keys of the first waiter whose
 * keys are all free for that waiter's next try, and wakes it (one message on its provider's
 * channel). A waiter also tries again every {@linkplain Builder#pollInterval poll interval} (sooner
 * when the lease of the key that blocked it runs out first), so a lost message delays it but cannot
 * strand it. In Redis Cluster a script can only touch one hash slot: the keys are taken slot group
 * by slot group, in slot order (a total order every caller shares, so still free of deadlocks), and
 * the request as a whole is no longer atomic ({@link LockCapability#ATOMIC_MULTI_KEY} is not
 * declared).
 *
 * <p>{@link Mode#REDISSON_COMPATIBLE} takes Redisson's own {@code RLock} of each key, one after
 * another, for teams whose other services hold plain Redisson locks on the same key names. It
 * offers no fencing tokens and no atomic multi-key step, and its renewing mode is Redisson's
 * watchdog, which renews by the client's {@code lockWatchdogTimeout} rather than the request's
 * lease. The two modes must not share key names: they store different types.
 *
 * <h2>Fencing tokens</h2>
 *
 * <p>In {@link Mode#ATOMIC} a key's token is the Redis server's clock in microseconds since 1970,
 * read by {@code TIME} inside the acquire script, or one more than the key's last token when that
 * is not smaller (two acquisitions within a microsecond, or a clock that went back): each
 * acquisition of a key gets a token greater than every earlier one of that key. The counter that
 * keeps the last token expires ten leases, and at least a minute, after the key's last acquisition.
 * A counter wiped by a restart without persistence, rolled back by a failover to a replica that
 * missed the last acquisitions, or expired while its key was idle still issues a greater token,
 * <b>as long as the clock of the Redis node that issues it has not gone back by more than the time
 * since the key's last token</b> (the outage, or the idle time). Keep the clocks of Redis's nodes
 * synchronised, masters and replicas alike; NTP that slews, rather than steps back, keeps the
 * promise. Tokens are about 1.8 × 10<sup>15</sup> today, not consecutive, and exact in a {@code
 * long}, a SQL {@code BIGINT} and a double (below 2<sup>53</sup> until the year 2255); tokens of
 * different keys are not comparable. The acquire script needs Redis 6.2 or newer ({@code SET ...
 * GET}).
 *
 * <h2>Time</h2>
 *
 * <p>An acquisition ends within its wait time plus the {@linkplain Builder#responseTimeout response
 * timeout}, whatever the client's own timeout and retry settings are, also while Redis stalls, and
 * also with Redisson's lazy initialisation while Redis is down (until such a client has connected,
 * the provider sends its commands from a thread of its own, since Redisson connects on the thread
 * that sends, inside its asynchronous methods too): a command that has not answered by then fails
 * the call with a {@link dev.holdfast.lock.LockBackendException}. Its outcome is unknown (a stalled
 * server runs it when it resumes), so the provider releases the keys by owner token in the
 * background until that can no longer matter. An acquisition that gives back what it took before it
 * was blocked or failed (on Redis Cluster the slot groups taken before a later one; a set that too
 * few replicas acknowledged or that was answered too late for its lease) waits for that release
 * within the same bound, and leaves what is not released by then to the background. Two things add
 * to that bound: the timeout of a {@linkplain Builder#replicaAcknowledgement replica
 * acknowledgement}, when one is required; and, in {@link Mode#REDISSON_COMPATIBLE}, the give-back
 * of the keys taken before a later one, which is timed as a release. After the callback, the
 * release waits at most one response timeout in all, and so does a check ({@code
 * HeldLocks.isHeld()}), except in {@link Mode#REDISSON_COMPATIBLE}, which releases and checks key
 * by key, one round trip after another: each key's unlock or check may wait that long, so that many
 * keys or a loaded server do not turn a release that succeeds into a failure, but once an unlock
 * has gone unanswered the remaining keys do not wait (they are released in the background), and a
 * release during a stall still ends within one response timeout. A whole {@code LockTemplate} call
 * on this provider thus ends within the wait time, plus one response timeout, plus the
 * acknowledgement timeout if one is required, plus the callback's own time (its checks included),
 * plus one response timeout for the release; in {@link Mode#REDISSON_COMPATIBLE}, a release or
 * give-back of n keys that Redis answers slowly may take up to n response timeouts.
 *
 * <h2>Replicas</h2>
 *
 * <p>Redis replicates asynchronously: a lock written to a master can vanish in a failover to a
 * replica that never received it. {@link Builder#replicaAcknowledgement(int, Duration)} makes every
 * acquisition and renewal wait ({@code WAIT}, at most a quarter of the lease) until enough replicas
 * have it; an acquisition they do not acknowledge in time is released and fails with a {@link
 * dev.holdfast.lock.LockBackendException} caused by a {@link NotDurableException}. Off by default:
 * a standalone Redis has no replica. Whatever the replicas, an acquisition answered so late that
 * its lease may have run out is released and fails with a {@link LeaseRanOutException} as cause.
 *
 * <h2>Startup checks</h2>
 *
 * <p>{@link Builder#build()} asks every master the client knows at that moment, all at once, for
 * its {@code maxmemory-policy}, and waits for the answers at most one {@linkplain
 * Builder#responseTimeout response timeout}: any policy but {@code noeviction} may evict a held
 * lock key, so that a second client takes it. The builder {@linkplain StartupCheck#WARN warns} (the
 * default) or {@linkplain StartupCheck#REFUSE refuses} per {@link
 * Builder#evictionPolicyCheck(StartupCheck)}. With a replica acknowledgement required, it also
 * counts each master's online replicas and by default refuses a master with fewer than required
 * (every acquisition would fail), per {@link Builder#replicaCountCheck(StartupCheck)}. A master
 * that cannot be asked (a managed Redis that refuses {@code CONFIG}, or one that does not answer in
 * time) is logged at WARN and the build goes on. The checks run once, in {@code build()}: a master
 * promoted later (a failover, a resharded cluster) is not checked, and neither are replicas. What
 * they found without refusing stays readable as {@link #startupFindings()}.
 *
 * <p>{@link #close()} stops the provider's background threads (renewals, background releases, and
 * the sending thread of a client not connected yet); it never closes the client.
 */
public final class RedissonLockProvider implements LockProvider, AutoCloseable {

  /** How long past its wait an acquisition waits for Redis's replies, unless configured: 500 ms. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMillis(500);

  /** How often the oldest waiter of a key tries again without news, unless configured: 200 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

  /** How keys are locked in Redis. */
  public enum Mode {

    /** One Lua script per request (per slot group in a cluster), with fencing tokens. */
    ATOMIC,

    /** Redisson's own per-key {@code RLock}s, to interoperate with other Redisson lock users. */
    REDISSON_COMPATIBLE
  }

  /** What {@link Builder#build()} does when a startup check finds Redis set up unsafely. */
  public enum StartupCheck {

    /** Log the finding at WARN and build the provider. */
    WARN,

    /**
     * Throw {@link IllegalStateException} naming the finding; no provider is built. A setting that
     * cannot be read (a managed Redis that refuses {@code CONFIG}, a master that does not answer in
     * time) is no finding: it is logged at WARN and the provider is built.
     */
    REFUSE,

    /** Do not check. */
    SKIP
  }

  /**
   * Too few replicas acknowledged an acquisition or a renewal within the {@linkplain
   * Builder#replicaAcknowledgement(int, Duration) required time}: the cause of the {@link
   * dev.holdfast.lock.LockBackendException} an acquisition then throws, after it has released what
   * it took. A failover could lose a lock the replicas never received.
   */
  public static final class NotDurableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int requiredReplicas;
    private final int acknowledgedReplicas;

    private final Duration timeout;

    NotDurableException(int requiredReplicas, int acknowledgedReplicas, Duration timeout) {
      super(
          acknowledgedReplicas
              + " of "
              + requiredReplicas
              + " required replicas acknowledged within "
              + timeout.toMillis()
              + " ms");
      this.requiredReplicas = requiredReplicas;
      this.acknowledgedReplicas = acknowledgedReplicas;
      this.timeout = timeout;
    }

    /**
     * Returns how many replicas had to acknowledge.
     *
     * @return the configured count
     */
    public int requiredReplicas() {
      return requiredReplicas;
    }

    /**
     * Returns how many replicas acknowledged in time, as {@code WAIT} counted them.
     *
     * @return fewer than {@link #requiredReplicas()}
     */
    public int acknowledgedReplicas() {
      return acknowledgedReplicas;
    }

    /**
     * Returns how long the provider waited for the acknowledgements.
     *
     * @return the configured timeout
     */
    public Duration timeout() {
      return timeout;
    }
  }

  /**
   * The reply to an acquisition came so late that its lease may already have run out (within
   * Redlock's allowance for clock drift, 1 % of the lease plus 2 ms): the cause of the {@link
   * dev.holdfast.lock.LockBackendException} the acquisition then throws, after it has released what
   * it took. Raise the lease well above the round-trip time, the response timeout and the
   * acknowledgement's timeout.
   */
  public static final class LeaseRanOutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration lease;
    private final Duration elapsed;

    LeaseRanOutException(Duration lease, Duration elapsed) {
      super(
          "The acquisition was answered "
              + elapsed.toMillis()
              + " ms after it was sent, too late for its lease of "
              + lease.toMillis()
              + " ms");
      this.lease = lease;
      this.elapsed = elapsed;
    }

    /**
     * Returns the request's lease.
     *
     * @return the lease time
     */
    public Duration lease() {
      return lease;
    }

    /**
     * Returns how long after sending the acquisition its reply came.
     *
     * @return at least the lease, less the allowance for clock drift
     */
    public Duration elapsed() {
      return elapsed;
    }
  }

  private final Mode mode;
  private final LockProvider delegate;
  private final ScheduledThreadPoolExecutor background;
  private final CommandSender sender;
  private final List<String> startupFindings;

  private RedissonLockProvider(
      Builder builder, String id, CommandSender sender, List<String> startupFindings) {
    this.startupFindings = List.copyOf(startupFindings);
    this.mode = builder.mode;
    this.background =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "holdfast-redis-" + id);
              thread.setDaemon(true);
              return thread;
            });
    background.setRemoveOnCancelPolicy(true);
    this.sender = sender;
    this.delegate =
        mode == Mode.ATOMIC
            ? new ScriptLockProvider(
                builder.redisson,
                id,
                builder.responseTimeout,
                builder.pollInterval,
                builder.acknowledgement,
                background,
                sender)
            : new RLockProvider(
                builder.redisson,
                builder.responseTimeout,
                builder.pollInterval,
                background,
                sender);
  }

  /**
   * Starts a builder over {@code redisson}.
   *
   * @param redisson the client; the provider never closes it
   * @return a builder with the defaults: {@link Mode#ATOMIC}, {@link #DEFAULT_RESPONSE_TIMEOUT},
   *     {@link #DEFAULT_POLL_INTERVAL}
   * @throws NullPointerException if {@code redisson} is null
   */
  public static Builder builder(RedissonClient redisson) {
    return new Builder(Objects.requireNonNull(redisson, "redisson must not be null"));
  }

  /**
   * Returns the name of the counter that issues {@code lockKey}'s fencing tokens in {@link
   * Mode#ATOMIC}: {@code {lock:product:7}:fencing-token} for {@code lock:product:7}. It shares the
   * lock key's hash slot, holds the key's last token, expires ten leases (and at least a minute)
   * after the key's last acquisition, and must not be written by anyone else. Its name ends with
   * {@link dev.holdfast.lock.LockTemplate#RESERVED_KEY_SUFFIX}, which no lock key may end with, so
   * no lock key is ever spelled like a counter.
   *
   * @param lockKey a lock key
   * @return the counter's key
   * @throws NullPointerException if {@code lockKey} is null
   */
  public static String fencingCounterKey(String lockKey) {
    return HashSlots.fencingCounterKey(Objects.requireNonNull(lockKey, "lockKey must not be null"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws dev.holdfast.lock.LockBackendException if Redis failed or did not answer within the
   *     deadline plus the response timeout
   * @throws IllegalStateException if the provider is closed: it could no longer renew leases or
   *     clean up after failures
   */
  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    if (background.isShutdown()) {
      throw new IllegalStateException(this + " is closed");
    }
    return delegate.acquire(request, deadline);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@link Mode#ATOMIC}: every capability, but {@link LockCapability#ATOMIC_MULTI_KEY} on Redis
   * Cluster. {@link Mode#REDISSON_COMPATIBLE}: lease expiry, lease renewal and exclusion between
   * clients.
   */
  @Override
  public Set<LockCapability> capabilities() {
    return delegate.capabilities();
  }

  /** {@inheritDoc} On Redis Cluster in {@link Mode#ATOMIC}: by hash slot, then by key. */
  @Override
  public Comparator<String> keyOrder() {
    return delegate.keyOrder();
  }

  /**
   * Returns the mode this provider was built with.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * Stops lease renewals and background releases; keys still held free themselves when their leases
   * end. Does not close the Redisson client. Idempotent.
   */
  @Override
  public void close() {
    background.shutdownNow();
    sender.close();
    if (delegate instanceof ScriptLockProvider scripted) {
      scripted.close();
    }
  }

  /**
   * Returns what the startup checks of {@link Builder#build()} found and logged at WARN without
   * refusing: an unsafe {@code maxmemory-policy} under {@link StartupCheck#WARN}, too few replicas
   * under {@link StartupCheck#WARN}, a master that could not be asked. A health check can show
   * them.
   *
   * @return an immutable list of messages, each naming the master; empty if every check passed or
   *     was skipped
   */
  public List<String> startupFindings() {
    return startupFindings;
  }

  /** The mode's provider. For tests. */
  LockProvider delegate() {
    return delegate;
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  /** Configures a {@link RedissonLockProvider}. Not thread-safe. */
  public static final class Builder {

    private final RedissonClient redisson;
    private Mode mode = Mode.ATOMIC;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private @Nullable ReplicaAcknowledgement acknowledgement;
    private StartupCheck evictionPolicyCheck = StartupCheck.WARN;
    private StartupCheck replicaCountCheck = StartupCheck.REFUSE;

    private Builder(RedissonClient redisson) {
      this.redisson = redisson;
    }

    /**
     * Sets how keys are locked.
     *
     * @param mode the mode
     * @return this builder
     * @throws NullPointerException if {@code mode} is null
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode must not be null");
      return this;
    }

    /**
     * Sets how long past its wait time an acquisition waits for Redis's replies before it fails
     * with a backend failure: the ε in "an acquisition ends within its wait time plus ε" (the class
     * documentation says what adds to it). Also the longest a release, the give-back of a partly
     * taken set, or a check waits in all (in {@link Mode#REDISSON_COMPATIBLE}: per key, while Redis
     * answers). Keep it well above the round-trip time under load.
     *
     * @param responseTimeout from 1 ms to 1 hour
     * @return this builder
     * @throws NullPointerException if {@code responseTimeout} is null
     * @throws IllegalArgumentException if it is out of range, naming the value
     */
    public Builder responseTimeout(Duration responseTimeout) {
      this.responseTimeout = inRange("responseTimeout", responseTimeout);
      return this;
    }

    /**
     * Sets how often a waiter tries again without a hand-off message, and so how long a lost
     * message, or a waiter queue lost to a failover, can hold it up. Shorter costs more Redis calls
     * while waiting. In {@link Mode#REDISSON_COMPATIBLE}, the longest one Redisson {@code RLock}
     * wait lasts before the key is tried again: a waiter that finds none of the client's
     * subscription slots free polls at this interval instead of waiting for a slot until its wait
     * ends.
     *
     * @param pollInterval from 1 ms to 1 hour
     * @return this builder
     * @throws NullPointerException if {@code pollInterval} is null
     * @throws IllegalArgumentException if it is out of range, naming the value
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = inRange("pollInterval", pollInterval);
      return this;
    }

    /**
     * Requires {@code replicas} replicas to acknowledge every acquisition and every lease renewal,
     * by {@code WAIT} on the connection that ran the script. An acquisition that too few
     * acknowledge is released and throws a {@link dev.holdfast.lock.LockBackendException} caused by
     * a {@link NotDurableException}; a renewal that too few acknowledge counts as failed, so a hold
     * with no acknowledged renewal for a whole lease is reported lost (a key a renewal finds gone
     * is lost at once). {@link Mode#ATOMIC} only.
     *
     * <p>Each {@code WAIT} lasts at most {@code timeout} and at most a quarter of the request's
     * lease: a renewal then has its answer before the next is due (every third of the lease), and
     * an acquisition leaves most of its lease to the caller. An acquisition whose reply comes so
     * late that its lease may have run out is given back and fails with a {@link
     * LeaseRanOutException} as cause. In a cluster each slot group is taken and acknowledged in
     * turn, on its own master, which needs that many replicas; the groups share one budget of
     * {@code timeout} beyond the wait time and the response timeout, and each group's {@code WAIT}
     * is cut to what is left of it, so that a late group fails as not durable rather than as no
     * reply.
     *
     * <p>It narrows, but does not close, the window in which a failover loses a lock: Redis still
     * promotes whichever replica it likes. Use fencing tokens for the rest.
     *
     * @param replicas at least 1
     * @param timeout the longest one {@code WAIT} lasts, from 1 ms to 1 hour; an acquisition may
     *     take this much longer than its wait time plus the response timeout
     * @return this builder
     * @throws IllegalArgumentException if {@code replicas} is below 1 or {@code timeout} out of
     *     range, naming the value
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder replicaAcknowledgement(int replicas, Duration timeout) {
      if (replicas < 1) {
        throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
      }
      this.acknowledgement = new ReplicaAcknowledgement(replicas, inRange("timeout", timeout));
      return this;
    }

    /**
     * Sets what {@link #build()} does when a master's {@code maxmemory-policy} is not {@code
     * noeviction}: under memory pressure Redis could evict a held lock key, and a second client
     * would take it.
     *
     * @param check {@link StartupCheck#WARN} (the default), {@link StartupCheck#REFUSE} or {@link
     *     StartupCheck#SKIP}
     * @return this builder
     * @throws NullPointerException if {@code check} is null
     */
    public Builder evictionPolicyCheck(StartupCheck check) {
      this.evictionPolicyCheck = Objects.requireNonNull(check, "check must not be null");
      return this;
    }

    /**
     * Sets what {@link #build()} does when, with a {@linkplain #replicaAcknowledgement replica
     * acknowledgement} required, a master has fewer replicas online than required, or the node the
     * client takes for a master is a replica: every acquisition would fail as not durable. An
     * application that may start before its replicas connect can {@linkplain StartupCheck#WARN
     * warn} instead; its acquisitions fail until they are online.
     *
     * @param check {@link StartupCheck#REFUSE} (the default), {@link StartupCheck#WARN} or {@link
     *     StartupCheck#SKIP}
     * @return this builder
     * @throws NullPointerException if {@code check} is null
     */
    public Builder replicaCountCheck(StartupCheck check) {
      this.replicaCountCheck = Objects.requireNonNull(check, "check must not be null");
      return this;
    }

    /**
     * Runs the startup checks, then creates the provider and its background thread. Blocks for at
     * most one response timeout, asking all masters at once (see the class documentation).
     *
     * @return a new provider; close it when done
     * @throws IllegalStateException if a check refused Redis's setup (the message names the master
     *     and what is wrong), if a replica acknowledgement was set in {@link
     *     Mode#REDISSON_COMPATIBLE}, or if {@link Mode#ATOMIC} cannot run its scripts on the
     *     Redisson on the class path (the message names the supported lines, Redisson 3.52.x and
     *     4.x, and the version found)
     */
    public RedissonLockProvider build() {
      if (acknowledgement != null && mode != Mode.ATOMIC) {
        throw new IllegalStateException(
            "replicaAcknowledgement works in Mode.ATOMIC only, not in " + mode);
      }
      if (mode == Mode.ATOMIC) {
        RedissonCompatibility.requireSupportedLine();
      }
      String id = UUID.randomUUID().toString();
      CommandSender sender = new CommandSender(redisson, "holdfast-redis-connect-" + id);
      List<String> findings;
      try {
        findings =
            new StartupChecks(redisson, responseTimeout.toNanos(), sender)
                .run(evictionPolicyCheck, replicaCountCheck, acknowledgement);
      } catch (RuntimeException refused) {
        sender.close();
        throw refused;
      }
      return new RedissonLockProvider(this, id, sender, findings);
    }

    private static Duration inRange(String name, Duration value) {
      Objects.requireNonNull(value, () -> name + " must not be null");
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(name + " must be between 1 ms and 1 hour, was " + value);
      }
      return value;
    }
  }
}
