package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.RedissonLockProvider.StartupCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisClusterMaster;
import org.redisson.api.redisnode.RedisMaster;
import org.redisson.api.redisnode.RedisNode.InfoSection;
import org.redisson.api.redisnode.RedisNodeAsync;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link RedissonLockProvider.Builder#build()} checks on every master the client knows at that
 * moment, before a provider locks anything: that Redis cannot evict a held lock key, and that the
 * replicas a required acknowledgement waits for are online. The questions go to all masters at
 * once, and the answers are awaited within one response timeout: a master that does not answer by
 * then is logged as unchecked. Masters that appear later (a failover, a resharded cluster) are not
 * checked.
 */
final class StartupChecks {

  private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

  static final String SAFE_EVICTION_POLICY = "noeviction";

  private final RedissonClient redisson;
  private final long responseTimeoutNanos;
  private final CommandSender sender;

  StartupChecks(RedissonClient redisson, long responseTimeoutNanos, CommandSender sender) {
    this.redisson = redisson;
    this.responseTimeoutNanos = responseTimeoutNanos;
    this.sender = sender;
  }

  /** One master's address and its asynchronous commands. */
  private record Master(String address, RedisNodeAsync node) {}

  /**
   * Runs the checks.
   *
   * @param replicaCheck what a master with too few online replicas for {@code required} does
   * @return the findings logged at WARN, for tests
   * @throws IllegalStateException if a check refuses the setup, naming every refused finding
   */
  List<String> run(
      StartupCheck evictionPolicyCheck,
      StartupCheck replicaCheck,
      @Nullable ReplicaAcknowledgement required) {
    boolean checkPolicy = evictionPolicyCheck != StartupCheck.SKIP;
    boolean checkReplicas = required != null && replicaCheck != StartupCheck.SKIP;
    List<String> findings = new ArrayList<>();
    if (!checkPolicy && !checkReplicas) {
      return findings;
    }
    long end = System.nanoTime() + responseTimeoutNanos;
    List<Master> masters;
    try {
      // A lazily initialised client connects when asked for its nodes, blocking the thread that
      // asks: through the sender, that is not the caller's while the client has not connected.
      masters =
          sender
              .send(end, () -> CompletableFuture.completedFuture(masters()))
              .get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable failure =
          e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      warn(findings, "Could not list the Redis masters to check their setup: " + failure, failure);
      return findings;
    }
    List<CompletableFuture<Map<String, String>>> policies = new ArrayList<>();
    List<CompletableFuture<Map<String, String>>> replications = new ArrayList<>();
    for (Master master : masters) {
      if (checkPolicy) {
        policies.add(sender.send(end, () -> master.node().getConfigAsync("maxmemory-policy")));
      }
      if (checkReplicas) {
        replications.add(sender.send(end, () -> master.node().infoAsync(InfoSection.REPLICATION)));
      }
    }
    List<String> refusals = new ArrayList<>();
    for (int m = 0; m < masters.size(); m++) {
      String address = masters.get(m).address();
      if (checkPolicy) {
        Map<String, String> config =
            answer(
                policies.get(m),
                end,
                findings,
                address,
                "read maxmemory-policy",
                "make sure it is " + SAFE_EVICTION_POLICY);
        if (config != null) {
          checkEvictionPolicy(
              address, config.get("maxmemory-policy"), evictionPolicyCheck, findings, refusals);
        }
      }
      if (checkReplicas && required != null) {
        Map<String, String> replication =
            answer(
                replications.get(m),
                end,
                findings,
                address,
                "count the replicas",
                "acquisitions fail if fewer than " + required.replicas() + " acknowledge them");
        if (replication != null) {
          checkReplicas(address, replication, required, replicaCheck, findings, refusals);
        }
      }
    }
    if (!refusals.isEmpty()) {
      throw new IllegalStateException(String.join("; ", refusals));
    }
    return findings;
  }

  private static void checkEvictionPolicy(
      String address,
      @Nullable String policy,
      StartupCheck check,
      List<String> findings,
      List<String> refusals) {
    if (policy == null || policy.isEmpty()) {
      warn(
          findings,
          "Could not read maxmemory-policy of the Redis master at "
              + address
              + " (no value); make sure it is "
              + SAFE_EVICTION_POLICY,
          null);
      return;
    }
    if (SAFE_EVICTION_POLICY.equals(policy)) {
      return;
    }
    report(
        "The Redis master at "
            + address
            + " has maxmemory-policy "
            + policy
            + ": under memory pressure it may evict a held lock key, and a second client would"
            + " take it. Set maxmemory-policy "
            + SAFE_EVICTION_POLICY,
        check,
        findings,
        refusals);
  }

  private static void checkReplicas(
      String address,
      Map<String, String> replication,
      ReplicaAcknowledgement required,
      StartupCheck check,
      List<String> findings,
      List<String> refusals) {
    String role = replication.get("role");
    if (role != null && !role.equals("master")) {
      report(
          "The Redis node at "
              + address
              + " that the client takes for a master is a "
              + role
              + ": replicaAcknowledgement cannot count its replicas",
          check,
          findings,
          refusals);
      return;
    }
    // A replica still syncing (state=wait_bgsave, send_bulk) acknowledges nothing yet.
    long online =
        replication.entrySet().stream()
            .filter(field -> field.getKey().matches("slave\\d+"))
            .filter(field -> field.getValue().contains("state=online"))
            .count();
    if (online < required.replicas()) {
      report(
          "replicaAcknowledgement requires "
              + required.replicas()
              + " replica(s), but the Redis master at "
              + address
              + " has "
              + online
              + " online: every acquisition would fail until enough replicas are online",
          check,
          findings,
          refusals);
    }
  }

  /**
   * Waits until {@code end} for a master's answer.
   *
   * @return the answer, or null after logging that it could not be had
   */
  private static @Nullable Map<String, String> answer(
      CompletableFuture<Map<String, String>> reply,
      long end,
      List<String> findings,
      String address,
      String doing,
      String advice) {
    Throwable failure;
    try {
      return reply.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      failure = e.getCause() != null ? e.getCause() : e;
    } catch (TimeoutException e) {
      failure = new TimeoutException("no answer within the response timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    }
    // Managed Redis services often refuse CONFIG; the lock still works, unchecked.
    warn(
        findings,
        "Could not "
            + doing
            + " of the Redis master at "
            + address
            + " ("
            + failure
            + "); "
            + advice,
        failure);
    return null;
  }

  private static void report(
      String finding, StartupCheck check, List<String> findings, List<String> refusals) {
    if (check == StartupCheck.REFUSE) {
      refusals.add(finding);
    } else {
      warn(findings, finding, null);
    }
  }

  /** The masters of the client's topology: one, or each master of a cluster. */
  private List<Master> masters() {
    Config config = redisson.getConfig();
    List<Master> masters = new ArrayList<>();
    if (config.isClusterConfig()) {
      for (RedisClusterMaster master : redisson.getRedisNodes(RedisNodes.CLUSTER).getMasters()) {
        masters.add(new Master(String.valueOf(master.getAddr()), master));
      }
      return masters;
    }
    RedisMaster master;
    if (config.isSentinelConfig()) {
      master = redisson.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster();
    } else if (config.isSingleConfig()) {
      master = redisson.getRedisNodes(RedisNodes.SINGLE).getInstance();
    } else {
      master = redisson.getRedisNodes(RedisNodes.MASTER_SLAVE).getMaster();
    }
    masters.add(new Master(String.valueOf(master.getAddr()), master));
    return masters;
  }

  private static void warn(List<String> findings, String finding, @Nullable Throwable cause) {
    findings.add(finding);
    log.warn(finding);
    if (cause != null) {
      log.debug("The startup check's failure", cause);
    }
  }
}
