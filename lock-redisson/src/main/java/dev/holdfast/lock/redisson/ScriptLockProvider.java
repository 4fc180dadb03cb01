package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.redisson.ReleaseSignals.Waiter;
import dev.holdfast.lock.redisson.ReplicaAcknowledgement.Acknowledged;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.client.codec.StringCodec;

/**
 * The atomic mode: one Lua script per slot group takes every key of the request or none, under a
 * per-acquisition owner token, and issues the fencing tokens. See {@link RedissonLockProvider}.
 */
final class ScriptLockProvider implements LockProvider {

  /** A fencing counter expires this many leases after its key's last acquisition, ... */
  static final long FENCING_COUNTER_LEASES = 10;

  /** ... and no sooner than this after it. */
  static final Duration FENCING_COUNTER_MIN_TTL = Duration.ofMinutes(1);

  /** A {@code leaseEnd} of a blocking key that does not expire, or that no try has seen. */
  private static final long NO_LEASE_END = Long.MIN_VALUE;

  private static final Set<LockCapability> CAPABILITIES =
      Set.copyOf(EnumSet.allOf(LockCapability.class));

  /** In a cluster a request's keys may span slots, taken group by group: not atomic as a whole. */
  private static final Set<LockCapability> CLUSTER_CAPABILITIES =
      Set.copyOf(EnumSet.complementOf(EnumSet.of(LockCapability.ATOMIC_MULTI_KEY)));

  final RScript redis;
  final String providerId;
  final @Nullable ReplicaAcknowledgement acknowledgement;
  final long responseTimeoutNanos;
  final ReleaseSignals signals;
  final ScheduledExecutorService scheduler;
  final UncertainReleases uncertainReleases;
  final CommandSender sender;
  final Set<LeaseRenewal> renewals = ConcurrentHashMap.newKeySet();

  private final RedissonClient redisson;
  private final boolean cluster;
  private final long pollNanos;
  private final AtomicLong acquisitions = new AtomicLong();

  ScriptLockProvider(
      RedissonClient redisson,
      String providerId,
      Duration responseTimeout,
      Duration pollInterval,
      @Nullable ReplicaAcknowledgement acknowledgement,
      ScheduledExecutorService scheduler,
      CommandSender sender) {
    // No retries by the client: a resent acquire could be applied twice, and the wait is ours.
    this.redis =
        redisson.getScript(OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
    this.providerId = providerId;
    this.redisson = redisson;
    this.acknowledgement = acknowledgement;
    this.cluster = redisson.getConfig().isClusterConfig();
    this.responseTimeoutNanos = responseTimeout.toNanos();
    this.pollNanos = pollInterval.toNanos();
    // A key's subscription outlives its last waiter by one poll interval: keys contended again and
    // again keep theirs instead of subscribing anew each time.
    this.signals = new ReleaseSignals(redisson, providerId, scheduler, pollNanos);
    this.scheduler = scheduler;
    this.uncertainReleases = new UncertainReleases(scheduler);
    this.sender = sender;
  }

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    // One end for every reply of the call, however many slot groups it takes.
    long replyEnd =
        RedisReplies.endAfter(
            deadline.remainingNanos(), responseTimeoutNanos + acknowledgementTimeoutNanos());
    String owner = providerId + ':' + acquisitions.incrementAndGet();
    ScriptHandle handle =
        new ScriptHandle(this, request, owner, SlotGroup.of(request.keys(), cluster));
    List<SlotGroup> groups = handle.groups;
    for (int g = 0; g < groups.size(); g++) {
      List<String> blocking;
      try {
        blocking = acquireGroup(handle, groups.get(g), deadline, replyEnd);
      } catch (Throwable e) { // an Error too: the groups taken so far must not stay held
        // A group taken without its replicas' acknowledgement is given back too.
        handle.rollBack(handle.groupsTaken(), e, replyEnd);
        throw e;
      }
      if (blocking != null) {
        handle.rollBack(g, null, replyEnd);
        return new Acquisition.Blocked(blocking);
      }
    }
    if (scheduler.isShutdown()) {
      // Closed while this call waited: its lease could no longer be renewed or cleaned up.
      handle.release();
      throw new IllegalStateException(this + " was closed while acquiring " + request.keys());
    }
    return new Acquisition.Acquired(handle);
  }

  /**
   * Takes one slot group, waiting for releases until the deadline.
   *
   * @return null once taken, else the keys that still blocked it at the deadline
   */
  private @Nullable List<String> acquireGroup(
      ScriptHandle handle, SlotGroup group, Deadline deadline, long replyEnd)
      throws InterruptedException {
    Waiter waiter = null;
    boolean acquired = false;
    try {
      if (!deadline.hasExpired()) {
        long releasesBefore = signals.releaseCount();
        List<String> queued = signals.keysWithWaiters(group.lockKeys);
        if (!queued.isEmpty()) {
          waiter = signals.newWaiter();
          awaitTurnBehind(waiter, queued, deadline, -1, releasesBefore, true);
        }
      }
      while (true) {
        long releasesBefore = signals.releaseCount();
        Attempt attempt = attempt(handle, group, replyEnd);
        List<Object> reply = attempt.reply();
        if ((Long) reply.get(0) == 1L) {
          handle.taken(group, reply, attempt.sentAt());
          acquired = true;
          requireAcknowledged(handle, attempt);
          requireLeaseLeft(handle);
          return null;
        }
        List<String> blocking = group.keysAt(reply, 2);
        if (deadline.hasExpired()) {
          return blocking;
        }
        if (waiter == null) {
          waiter = signals.newWaiter();
        }
        awaitTurnBehind(waiter, blocking, deadline, (Long) reply.get(1), releasesBefore, false);
      }
    } finally {
      if (waiter != null) {
        signals.leave(waiter, acquired);
      }
    }
  }

  /**
   * Queues {@code waiter} on {@code keys} and waits for its turn. When it is first to wait for a
   * key, its subscription is new and may have missed a release: it waits for the subscription (one
   * poll interval at most: the client's subscription connections may all be taken) and returns at
   * once, to try again. So it does when a key was released since {@code releasesBefore}, or, as a
   * {@code newcomer} queued behind other waiters without trying, when they have all left before it
   * was queued: no wake-up would come for it then.
   */
  private void awaitTurnBehind(
      Waiter waiter,
      List<String> keys,
      Deadline deadline,
      long blockerTtlMillis,
      long releasesBefore,
      boolean newcomer)
      throws InterruptedException {
    if (signals.waitFor(waiter, keys, releasesBefore)) {
      signals.awaitSubscribed(waiter, Math.min(deadline.remainingNanos(), pollNanos));
      return;
    }
    if (newcomer && signals.isFirstInEveryLine(waiter)) {
      return;
    }
    // The blocking lease ends once: a waiter still queued after that sleeps for the poll interval,
    // not for the lease's old remainder again and again.
    long leaseEnd =
        blockerTtlMillis < 0
            ? NO_LEASE_END
            : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, blockerTtlMillis));
    while (!deadline.hasExpired()) {
      if (waiter.await(sleepNanos(deadline, leaseEnd)) || signals.isFirstInLine(waiter)) {
        return;
      }
    }
  }

  /** Until a release message, the fallback poll, or the blocking lease's end if that is sooner. */
  private long sleepNanos(Deadline deadline, long leaseEnd) {
    long sleep = Math.min(deadline.remainingNanos(), pollNanos);
    long untilLeaseEnd = leaseEnd - System.nanoTime();
    if (leaseEnd != NO_LEASE_END && untilLeaseEnd > 0) {
      sleep = Math.min(sleep, untilLeaseEnd);
    }
    return sleep;
  }

  /**
   * One try at a slot group.
   *
   * @param reply the acquire script's reply
   * @param required the acknowledgement this try waited for, its timeout capped; null if none
   * @param acknowledgedReplicas how many replicas acknowledged it; -1 without an acknowledgement
   * @param sentAt the {@link System#nanoTime()} before it was sent: the earliest its lease began
   */
  private record Attempt(
      List<Object> reply,
      @Nullable ReplicaAcknowledgement required,
      int acknowledgedReplicas,
      long sentAt) {}

  /**
   * One round trip, answered by {@code replyEnd}: the deadline plus the response timeout (and the
   * acknowledgement timeout). Its {@code WAIT} lasts at most the acknowledgement timeout, a quarter
   * of the lease, and what is left of that budget after one response timeout: in a cluster, where
   * each slot group waits in turn, a late group shows as not durable instead of as no reply.
   */
  private Attempt attempt(ScriptHandle handle, SlotGroup group, long replyEnd)
      throws InterruptedException {
    long leaseMillis = handle.request().leaseTime().toMillis();
    long counterMillis = fencingCounterTtlMillis(leaseMillis);
    long sentAt = System.nanoTime();
    ReplicaAcknowledgement required =
        acknowledgement == null
            ? null
            : acknowledgement.cappedAt(
                Math.min(
                    LeaseRenewal.longestAcknowledgementNanos(
                        handle.request().leaseTime().toNanos()),
                    replyEnd - sentAt - responseTimeoutNanos));
    try {
      if (required == null) {
        // Without an acknowledgement the reply is awaited as it comes: no stage to wrap it.
        List<Object> reply =
            RedisReplies.await(
                sender.send(
                    replyEnd,
                    () ->
                        LuaScript.ACQUIRE.run(
                            redis,
                            group.acquireKeys,
                            handle.owner,
                            leaseMillis,
                            counterMillis,
                            providerId)),
                replyEnd - System.nanoTime(),
                "acquiring",
                group.lockKeys);
        return new Attempt(reply, null, -1, sentAt);
      }
      Acknowledged<List<Object>> acknowledged =
          RedisReplies.await(
              sender.send(
                  replyEnd,
                  () ->
                      LuaScript.ACQUIRE.runAcknowledged(
                          redis,
                          redisson,
                          required,
                          group.acquireKeys,
                          handle.owner,
                          leaseMillis,
                          counterMillis,
                          providerId)),
              replyEnd - System.nanoTime(),
              "acquiring",
              group.lockKeys);
      return new Attempt(acknowledged.reply(), required, acknowledged.replicas(), sentAt);
    } catch (InterruptedException | LockBackendException e) {
      // The script may still run, or may have run: release by owner token until it cannot.
      releaseLater(group, handle.owner, handle.request().leaseTime());
      throw e;
    }
  }

  /**
   * How long a key's fencing counter outlives the key's last acquisition: {@value
   * #FENCING_COUNTER_LEASES} leases, and at least {@link #FENCING_COUNTER_MIN_TTL}. Once it has
   * expired the key's next token comes from the clock alone, which is greater than the last token
   * unless the server's clock went back by more than the key was idle; the counter only has to
   * outlive the backward steps of a clock, and idle keys do not fill Redis.
   */
  static long fencingCounterTtlMillis(long leaseMillis) {
    long leases = Math.min(leaseMillis, Long.MAX_VALUE / FENCING_COUNTER_LEASES);
    return Math.max(FENCING_COUNTER_MIN_TTL.toMillis(), leases * FENCING_COUNTER_LEASES);
  }

  /**
   * Sends the release script for {@code group}. Once it has run, this provider's waiters of every
   * released key are woken here: the script publishes only for keys that other providers' waiters
   * marked, and the provider ignores its own release messages.
   *
   * @param sendBy when to give up sending, as for {@link CommandSender#send}
   * @return the keys found lost
   */
  CompletableFuture<List<String>> release(SlotGroup group, String owner, long sendBy) {
    return sender
        .send(
            sendBy,
            () ->
                LuaScript.RELEASE.run(
                    redis, group.scriptKeys, owner, ReleaseSignals.CHANNEL_PREFIX, providerId))
        .thenApply(
            reply -> {
              List<String> lost = group.keysAt(reply, 0);
              for (String key : group.lockKeys) {
                if (!lost.contains(key)) {
                  signals.signal(key);
                }
              }
              return lost;
            });
  }

  /** Sends the holding script without a lease: names the keys the owner no longer holds. */
  CompletableFuture<List<String>> holding(SlotGroup group, String owner, long sendBy) {
    return sender
        .send(sendBy, () -> LuaScript.HOLDING.run(redis, group.scriptKeys, owner, 0L))
        .thenApply(reply -> group.keysAt(reply, 0));
  }

  /**
   * Sends the holding script with a lease: extends the keys still held and names the others. With a
   * replica acknowledgement required, its {@code WAIT} lasts at most a quarter of the lease, so
   * that it ends before the next renewal is due, and a renewal that too few replicas acknowledged
   * does not count as one: a hold without an acknowledged renewal for a whole lease is marked lost.
   * The keys it names are lost whatever the replicas say.
   */
  CompletableFuture<LeaseRenewal.Outcome> renew(SlotGroup group, String owner, long leaseMillis) {
    ReplicaAcknowledgement configured = acknowledgement;
    if (configured == null) {
      return LuaScript.HOLDING
          .run(redis, group.scriptKeys, owner, leaseMillis)
          .thenApply(reply -> new LeaseRenewal.Outcome(group.keysAt(reply, 0), true));
    }
    ReplicaAcknowledgement required =
        configured.cappedAt(
            LeaseRenewal.longestAcknowledgementNanos(TimeUnit.MILLISECONDS.toNanos(leaseMillis)));
    return LuaScript.HOLDING
        .runAcknowledged(redis, redisson, required, group.scriptKeys, owner, leaseMillis)
        .thenApply(
            acknowledged -> {
              List<String> lost = group.keysAt(acknowledged.reply(), 0);
              // With every key gone the script wrote nothing, and WAIT counted an older write.
              boolean nothingWritten = lost.size() == group.lockKeys.size();
              return new LeaseRenewal.Outcome(
                  lost, nothingWritten || required.isMetBy(acknowledged.replicas()));
            });
  }

  /**
   * Throws when a group was taken but too few replicas acknowledged it; the caller then gives back
   * every group taken so far.
   */
  private static void requireAcknowledged(ScriptHandle handle, Attempt attempt) {
    ReplicaAcknowledgement required = attempt.required();
    if (required != null && !required.isMetBy(attempt.acknowledgedReplicas())) {
      RedissonLockProvider.NotDurableException notDurable =
          notDurable(required, attempt.acknowledgedReplicas());
      throw new LockBackendException(
          notDurable.getMessage() + "; giving back " + handle.keysTaken(),
          handle.request().keys(),
          notDurable);
    }
  }

  /**
   * Throws when the reply came so late that the lease may already have run out: the callback would
   * run without the lock. The lease began when the acquisition was sent at the earliest (the first
   * group's for a fixed lease; each group's own for a renewing one, whose earlier groups are
   * renewed meanwhile); Redlock's allowance for clock drift, 1 % plus 2 ms, is kept in reserve.
   */
  private static void requireLeaseLeft(ScriptHandle handle) {
    long leaseNanos = handle.request().leaseTime().toNanos();
    long usableNanos = leaseNanos - leaseNanos / 100 - TimeUnit.MILLISECONDS.toNanos(2);
    long elapsed = System.nanoTime() - handle.leaseStartedAt();
    if (elapsed >= usableNanos) {
      RedissonLockProvider.LeaseRanOutException ranOut =
          new RedissonLockProvider.LeaseRanOutException(
              handle.request().leaseTime(), Duration.ofNanos(elapsed));
      throw new LockBackendException(
          ranOut.getMessage() + "; giving back " + handle.keysTaken(),
          handle.request().keys(),
          ranOut);
    }
  }

  private static RedissonLockProvider.NotDurableException notDurable(
      ReplicaAcknowledgement required, int acknowledgedReplicas) {
    return new RedissonLockProvider.NotDurableException(
        required.replicas(), acknowledgedReplicas, required.timeout());
  }

  private long acknowledgementTimeoutNanos() {
    ReplicaAcknowledgement required = acknowledgement;
    return required == null ? 0 : required.timeout().toNanos();
  }

  void releaseLater(SlotGroup group, String owner, Duration lease) {
    uncertainReleases.releaseLater(
        group.lockKeys, () -> release(group, owner, CommandSender.NO_SEND_LIMIT), lease);
  }

  boolean renews(LockRequest request) {
    return request.leaseMode() == LeaseMode.RENEWING;
  }

  @Override
  public Set<LockCapability> capabilities() {
    return cluster ? CLUSTER_CAPABILITIES : CAPABILITIES;
  }

  @Override
  public Comparator<String> keyOrder() {
    return cluster ? HashSlots.CLUSTER_ORDER : Comparator.naturalOrder();
  }

  /** Drops the subscriptions kept for keys nobody waits for any more. */
  void close() {
    signals.unsubscribeIdle();
  }

  /** Returns how many lease renewals are running. For tests. */
  int activeRenewals() {
    return renewals.size();
  }

  @Override
  public String toString() {
    return "RedissonLockProvider{mode=ATOMIC, id=" + providerId + ", cluster=" + cluster + '}';
  }
}
