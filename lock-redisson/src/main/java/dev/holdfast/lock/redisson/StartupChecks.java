package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.RedissonLockProvider.StartupCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNode.InfoSection;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link RedissonLockProvider.Builder#build()} checks on every master before a provider locks
 * anything: that Redis cannot evict a held lock key, and that the replicas a required
 * acknowledgement waits for exist.
 */
final class StartupChecks {

  private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

  static final String SAFE_EVICTION_POLICY = "noeviction";

  private final RedissonClient redisson;

  StartupChecks(RedissonClient redisson) {
    this.redisson = redisson;
  }

  /**
   * Runs the checks.
   *
   * @return the findings logged at WARN, for tests
   * @throws IllegalStateException if a check refuses the setup
   */
  List<String> run(StartupCheck evictionPolicyCheck, @Nullable ReplicaAcknowledgement required) {
    List<String> findings = new ArrayList<>();
    if (evictionPolicyCheck == StartupCheck.SKIP && required == null) {
      return findings;
    }
    Collection<? extends RedisNode> masters;
    try {
      masters = masters();
    } catch (RuntimeException e) {
      warn(findings, "Could not list the Redis masters to check their setup: " + e, e);
      return findings;
    }
    for (RedisNode master : masters) {
      if (evictionPolicyCheck != StartupCheck.SKIP) {
        checkEvictionPolicy(master, evictionPolicyCheck, findings);
      }
      if (required != null) {
        checkReplicas(master, required, findings);
      }
    }
    return findings;
  }

  private void checkEvictionPolicy(RedisNode master, StartupCheck check, List<String> findings) {
    String policy;
    try {
      policy = master.getConfig("maxmemory-policy").get("maxmemory-policy");
    } catch (RuntimeException e) {
      // Managed Redis services often refuse CONFIG; the lock still works, unchecked.
      warn(
          findings,
          "Could not read maxmemory-policy of the Redis master at "
              + master.getAddr()
              + " ("
              + e
              + "); make sure it is "
              + SAFE_EVICTION_POLICY,
          e);
      return;
    }
    if (SAFE_EVICTION_POLICY.equals(policy)) {
      return;
    }
    String finding =
        "The Redis master at "
            + master.getAddr()
            + " has maxmemory-policy "
            + policy
            + ": under memory pressure it may evict a held lock key, and a second client would"
            + " take it. Set maxmemory-policy "
            + SAFE_EVICTION_POLICY;
    if (check == StartupCheck.REFUSE) {
      throw new IllegalStateException(finding);
    }
    warn(findings, finding, null);
  }

  private void checkReplicas(
      RedisNode master, ReplicaAcknowledgement required, List<String> findings) {
    Map<String, String> replication;
    try {
      replication = master.info(InfoSection.REPLICATION);
    } catch (RuntimeException e) {
      warn(
          findings,
          "Could not count the replicas of the Redis master at "
              + master.getAddr()
              + " ("
              + e
              + "); acquisitions fail if fewer than "
              + required.replicas()
              + " acknowledge them",
          e);
      return;
    }
    int connected = Integer.parseInt(replication.getOrDefault("connected_slaves", "0"));
    if (connected < required.replicas()) {
      throw new IllegalStateException(
          "replicaAcknowledgement requires "
              + required.replicas()
              + " replica(s), but the Redis master at "
              + master.getAddr()
              + " has "
              + connected
              + " connected: every acquisition would fail");
    }
  }

  /** The masters of the client's topology: one, or each master of a cluster. */
  private Collection<? extends RedisNode> masters() {
    Config config = redisson.getConfig();
    if (config.isClusterConfig()) {
      return redisson.getRedisNodes(RedisNodes.CLUSTER).getMasters();
    }
    if (config.isSentinelConfig()) {
      return List.of(redisson.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster());
    }
    if (config.isSingleConfig()) {
      return List.of(redisson.getRedisNodes(RedisNodes.SINGLE).getInstance());
    }
    return List.of(redisson.getRedisNodes(RedisNodes.MASTER_SLAVE).getMaster());
  }

  private static void warn(List<String> findings, String finding, @Nullable Throwable cause) {
    findings.add(finding);
    log.warn(finding);
    if (cause != null) {
      log.debug("The startup check's failure", cause);
    }
  }
}
