package dev.holdfast.lock.redisson;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.OnceReleasedHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The slot groups one acquisition of the atomic mode holds, under one owner token. */
final class ScriptHandle extends OnceReleasedHandle {

  final String owner;
  final List<SlotGroup> groups;

  private final ScriptLockProvider provider;
  private final long[] tokens;
  private final @Nullable LeaseRenewal[] renewals;

  /** The keys renewals found lost; a fixed lease, never renewed, has no set of its own. */
  private final Set<String> lostByRenewal;

  /** How many groups {@link #taken} has recorded; only the acquiring thread counts them. */
  private int groupsTaken;

  /** When the first taken group's acquisition was sent, and the last one's; acquiring thread. */
  private long firstSentAt;

  private long lastSentAt;

  ScriptHandle(
      ScriptLockProvider provider, LockRequest request, String owner, List<SlotGroup> groups) {
    super(request);
    this.provider = provider;
    this.owner = owner;
    this.groups = groups;
    this.tokens = new long[request.keys().size()];
    this.renewals = new LeaseRenewal[groups.size()];
    this.lostByRenewal = provider.renews(request) ? ConcurrentHashMap.newKeySet() : Set.of();
  }

  /**
   * Records a taken group's fencing tokens and renews it.
   *
   * @param reply the acquire script's reply: {@code 1}, the token of every key but those that
   *     follow, then pairs of a 1-based key index and that key's own token (acquire.lua)
   * @param sentAt the {@link System#nanoTime()} before its acquisition was sent
   */
  void taken(SlotGroup group, List<Object> reply, long sentAt) {
    if (groupsTaken == 0) {
      firstSentAt = sentAt;
    }
    lastSentAt = sentAt;
    groupsTaken++;
    Arrays.fill(tokens, group.offset, group.offset + group.lockKeys.size(), (Long) reply.get(1));
    for (int i = 2; i < reply.size(); i += 2) {
      tokens[group.offset + ((Long) reply.get(i)).intValue() - 1] = (Long) reply.get(i + 1);
    }
    if (provider.renews(request())) {
      long leaseMillis = request().leaseTime().toMillis();
      LeaseRenewal renewal =
          new LeaseRenewal(
              provider.scheduler,
              group.lockKeys,
              request().leaseTime().toNanos(),
              () -> provider.renew(group, owner, leaseMillis),
              lostByRenewal::addAll,
              provider.renewals);
      renewals[groups.indexOf(group)] = renewal;
      renewal.start(sentAt);
    }
  }

  /**
   * How many of the request's groups, from the first, have been taken: what a rollback releases.
   */
  int groupsTaken() {
    return groupsTaken;
  }

  /** The keys of the groups taken so far, in request order. */
  List<String> keysTaken() {
    List<String> keys = new ArrayList<>();
    for (int g = 0; g < groupsTaken; g++) {
      keys.addAll(groups.get(g).lockKeys);
    }
    return keys;
  }

  /**
   * The earliest {@link System#nanoTime()} at which a lease of the taken groups may have begun: the
   * first group's for a fixed lease; the last group's for a renewing one, whose earlier groups are
   * renewed meanwhile.
   */
  long leaseStartedAt() {
    return provider.renews(request()) ? lastSentAt : firstSentAt;
  }

  @Override
  public OptionalLong fencingToken(String key) {
    int index = request().keys().indexOf(key);
    return index < 0 ? OptionalLong.empty() : OptionalLong.of(tokens[index]);
  }

  @Override
  protected List<String> checkLostKeys() {
    Set<String> lost = new HashSet<>(lostByRenewal);
    long replyEnd = RedisReplies.endAfter(0, provider.responseTimeoutNanos);
    List<CompletableFuture<List<String>>> replies = new ArrayList<>(groups.size());
    for (SlotGroup group : groups) {
      replies.add(provider.holding(group, owner, replyEnd));
    }
    for (int g = 0; g < groups.size(); g++) {
      lost.addAll(
          RedisReplies.awaitUninterruptibly(
              replies.get(g), replyEnd - System.nanoTime(), "checking", groups.get(g).lockKeys));
    }
    return inRequestOrder(lost);
  }

  @Override
  protected List<String> releaseKeys() {
    Set<String> lost = new HashSet<>();
    LockBackendException failure =
        releaseGroups(groups.size(), lost, RedisReplies.endAfter(0, provider.responseTimeoutNanos));
    if (failure != null) {
      throw failure;
    }
    lost.addAll(lostByRenewal);
    return inRequestOrder(lost);
  }

  /**
   * Gives back the first {@code count} groups after a failed or blocked acquisition, waiting for
   * Redis until the acquisition's own reply end at most: a group not released by then is released
   * in the background.
   *
   * @param failure why the acquisition ended, if it failed; a release failure is added to it
   * @param replyEnd the {@link System#nanoTime()} by which the acquisition's replies must have come
   * @throws LockBackendException if a group could not be released and there was no failure
   */
  void rollBack(int count, @Nullable Throwable failure, long replyEnd) {
    LockBackendException releaseFailure = releaseGroups(count, new HashSet<>(), replyEnd);
    if (releaseFailure == null) {
      return;
    }
    if (failure != null) {
      failure.addSuppressed(releaseFailure);
      return;
    }
    throw new LockBackendException(
        "Could not give back the keys taken before a blocked slot group of "
            + request().keys()
            + "; they are released in the background",
        request().keys(),
        releaseFailure);
  }

  /**
   * Releases groups {@code [0, count)}: sends every group's script, last group first, then waits
   * for all the replies until {@code replyEnd}. A group that fails or has not answered by then is
   * released again in the background.
   *
   * @return the first failure, the others suppressed in it; null if none
   */
  private @Nullable LockBackendException releaseGroups(int count, Set<String> lost, long replyEnd) {
    List<CompletableFuture<List<String>>> replies = new ArrayList<>(count);
    for (int g = count - 1; g >= 0; g--) {
      LeaseRenewal renewal = renewals[g];
      if (renewal != null) {
        renewal.cancel();
      }
      replies.add(provider.release(groups.get(g), owner, replyEnd));
    }
    LockBackendException first = null;
    for (int g = count - 1, reply = 0; g >= 0; g--, reply++) {
      SlotGroup group = groups.get(g);
      try {
        lost.addAll(
            RedisReplies.awaitUninterruptibly(
                replies.get(reply), replyEnd - System.nanoTime(), "releasing", group.lockKeys));
      } catch (LockBackendException e) {
        provider.releaseLater(group, owner, request().leaseTime());
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }
}
