package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.redisson.HandOffs.Waiter;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The atomic mode: one Lua script per slot group takes every key of the request or none, under a
 * per-acquisition owner token, and issues the fencing tokens. See {@link RedissonLockProvider}.
 */
final class ScriptLockProvider implements LockProvider {

  /** A fencing counter expires this many leases after its key's last acquisition, ... */
  static final long FENCING_COUNTER_LEASES = 10;

  /** ... and no sooner than this after it. */
  static final Duration FENCING_COUNTER_MIN_TTL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ScriptLockProvider.class);

  private static final Set<LockCapability> CAPABILITIES =
      Set.copyOf(EnumSet.allOf(LockCapability.class));

  /** In a cluster a request's keys may span slots, taken group by group: not atomic as a whole. */
  private static final Set<LockCapability> CLUSTER_CAPABILITIES =
      Set.copyOf(EnumSet.complementOf(EnumSet.of(LockCapability.ATOMIC_MULTI_KEY)));

  final RScript redis;
  final String providerId;
  final @Nullable ReplicaAcknowledgement acknowledgement;
  final long responseTimeoutNanos;
  final HandOffs handOffs;
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
    this.handOffs = new HandOffs(redisson, providerId);
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
   * Takes one slot group, waiting for releases until the deadline. A failed try queues the owner in
   * Redis on every key of the group; a release hands the keys over to the first waiter whose keys
   * are all free, reserving them for its next try (see {@link HandOffs}).
   *
   * @return null once taken, else the keys that still blocked it at the deadline
   */
  private @Nullable List<String> acquireGroup(
      ScriptHandle handle, SlotGroup group, Deadline deadline, long replyEnd)
      throws InterruptedException {
    // Registered before the first try: a hand-off may come before the failed try's reply does.
    Waiter waiter = deadline.hasExpired() ? null : handOffs.register(handle.owner);
    // Whether the owner may be queued: a try failed since the last hand-off, which dequeues it.
    boolean queued = false;
    boolean everQueued = false;
    boolean acquired = false;
    try {
      while (true) {
        Attempt attempt = attempt(handle, group, replyEnd, waitMillis(deadline), queued);
        List<Object> reply = attempt.reply();
        if ((Long) reply.get(0) == 1L) {
          handle.taken(group, reply, attempt.sentAt());
          acquired = true;
          requireAcknowledged(handle, attempt);
          requireLeaseLeft(handle);
          return null;
        }
        List<String> blocking = group.keysAt(reply, 2);
        if (waiter == null || deadline.hasExpired()) {
          return blocking;
        }
        queued = true;
        everQueued = true;
        if (awaitHandOff(waiter, deadline, (Long) reply.get(1))) {
          queued = false;
        }
      }
    } finally {
      if (waiter != null) {
        handOffs.leave(waiter);
      }
      if (everQueued && !acquired) {
        giveUp(group, handle.owner);
      }
    }
  }

  /**
   * Waits until a release hands the keys over, the fallback poll interval passes, or the lease that
   * blocked the last try ends, whichever comes first. When the provider's hand-off subscription is
   * new it waits for the subscription instead (one poll interval at most: the client's subscription
   * connections may all be taken), and returns to try again: a hand-off before it was in place went
   * unheard.
   *
   * @return whether a release handed the keys over, and so took the owner off every queue
   */
  private boolean awaitHandOff(Waiter waiter, Deadline deadline, long blockerTtlMillis)
      throws InterruptedException {
    if (handOffs.subscribe()) {
      handOffs.awaitSubscribed(Math.min(deadline.remainingNanos(), pollNanos));
      return false;
    }
    long sleep = Math.min(deadline.remainingNanos(), pollNanos);
    if (blockerTtlMillis >= 0) {
      sleep = Math.min(sleep, TimeUnit.MILLISECONDS.toNanos(Math.max(1, blockerTtlMillis)));
    }
    return waiter.await(sleep);
  }

  /** How long the caller waits from now, in whole milliseconds, rounded up; 0 once it is over. */
  private static long waitMillis(Deadline deadline) {
    long remaining = deadline.remainingNanos();
    return remaining <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(remaining + 999_999);
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
  private Attempt attempt(
      ScriptHandle handle, SlotGroup group, long replyEnd, long waitMillis, boolean queued)
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
                            providerId,
                            waitMillis,
                            reservationMillis(),
                            queued ? "1" : "0")),
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
                          providerId,
                          waitMillis,
                          reservationMillis(),
                          queued ? "1" : "0")),
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
   * How long a release keeps the keys it handed to one of this provider's waiters reserved for it:
   * one response timeout, time for the hand-off message and the waiter's try. A waiter that gives
   * up frees its reservation at once ({@link #giveUp}); one that is gone holds it this long.
   */
  private long reservationMillis() {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(responseTimeoutNanos));
  }

  /**
   * Sends the release script for {@code group}. The keys it hands to this provider's waiters are
   * named in its reply, and those waiters are woken here; other providers' waiters are woken by the
   * script's message on their provider's channel.
   *
   * @param sendBy when to give up sending, as for {@link CommandSender#send}
   * @return the keys found lost
   */
  CompletableFuture<List<String>> release(SlotGroup group, String owner, long sendBy) {
    return release(group, owner, sendBy, false);
  }

  /**
   * Sends the release script; {@code givingUp} also takes the owner off the group's waiter queues,
   * for an acquisition that may have queued and will not try again.
   */
  private CompletableFuture<List<String>> release(
      SlotGroup group, String owner, long sendBy, boolean givingUp) {
    return sender
        .send(
            sendBy,
            () ->
                LuaScript.RELEASE.run(
                    redis,
                    group.releaseKeys,
                    owner,
                    HandOffs.CHANNEL_PREFIX,
                    providerId,
                    givingUp ? "1" : "0"))
        .thenApply(
            reply -> {
              int lostEnd = 1 + ((Long) reply.get(0)).intValue();
              for (int i = lostEnd; i < reply.size(); i++) {
                handOffs.handedOff((String) reply.get(i));
              }
              return group.keysAt(reply.subList(0, lostEnd), 1);
            });
  }

  /**
   * Takes a waiter that stops waiting off its queues, and gives back any keys a release reserved
   * for it, handing them on. Not waited for: if it fails, the entries end with the owner's wait and
   * the reservations with their own short time.
   */
  private void giveUp(SlotGroup group, String owner) {
    var unused =
        release(group, owner, RedisReplies.endAfter(0, responseTimeoutNanos), true)
            .exceptionally(
                failure -> {
                  log.debug(
                      "Could not take {} off the queues of {}: {}", owner, group.lockKeys, failure);
                  return List.of();
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
        group.lockKeys, () -> release(group, owner, CommandSender.NO_SEND_LIMIT, true), lease);
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

  /** Drops the hand-off subscription. */
  void close() {
    handOffs.unsubscribe();
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
