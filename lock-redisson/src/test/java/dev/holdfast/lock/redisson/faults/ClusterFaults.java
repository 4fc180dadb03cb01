package dev.holdfast.lock.redisson.faults;

import static dev.holdfast.lock.redisson.faults.FaultTopology.infoField;
import static dev.holdfast.lock.redisson.faults.FaultTopology.nodeName;

import dev.holdfast.lock.redisson.testing.RedisClusterSetup;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A Redis Cluster of three masters with a replica each, and the faults on its nodes: a master
 * killed, paused past {@code cluster-node-timeout}, or handing its slots to its replica by {@code
 * CLUSTER FAILOVER}.
 */
final class ClusterFaults implements FaultTopology {

  private static final Set<FaultKind> KINDS =
      EnumSet.of(
          FaultKind.MASTER_KILL,
          FaultKind.MASTER_PAUSE_LONG,
          FaultKind.CLUSTER_FAILOVER,
          FaultKind.CLIENT_PAUSE,
          FaultKind.CLIENT_KILL,
          FaultKind.TCP_FREEZE,
          FaultKind.TCP_RESET,
          FaultKind.LEASE_EXPIRE,
          FaultKind.ACQUIRE_INTERRUPT);

  /** How long a master fault may take to be noticed and its replica promoted. */
  private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(20);

  /** How long the cluster may take to be whole again: the old master resynced as a replica. */
  private static final Duration WHOLE_TIMEOUT = Duration.ofSeconds(40);

  private final RedisClusterSetup cluster;
  private int incompleteFailovers;

  private ClusterFaults(RedisClusterSetup cluster) {
    this.cluster = cluster;
  }

  static ClusterFaults start() {
    return new ClusterFaults(RedisClusterSetup.start());
  }

  @Override
  public Set<FaultKind> kinds() {
    return KINDS;
  }

  @Override
  public FaultWorker.Topology clientTopology() {
    return FaultWorker.Topology.CLUSTER;
  }

  @Override
  public List<Integer> seedPorts() {
    return cluster.nodes().stream().map(RedisServer::port).toList();
  }

  @Override
  public List<RedisServer> dataNodes() {
    return cluster.nodes();
  }

  @Override
  public List<RedisServer> masters() {
    return cluster.masters();
  }

  @Override
  public boolean isWhole() {
    try {
      cluster.awaitHealthy(Duration.ZERO);
      return true;
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  @Override
  public void awaitWhole() {
    cluster.awaitHealthy(WHOLE_TIMEOUT);
  }

  @Override
  public String incompleteFailovers() {
    return incompleteFailovers + " (a paused master's replica not promoted)";
  }

  @Override
  public FaultRecord inject(FaultKind kind, FaultSchedule choices) throws InterruptedException {
    awaitWhole();
    List<RedisServer> masters = cluster.masters();
    RedisServer master = masters.get(choices.choose(masters.size()));
    RedisServer replica = replicaOf(master);
    return switch (kind) {
      case MASTER_KILL -> killMaster(master, replica);
      case MASTER_PAUSE_LONG -> pauseMaster(master, replica);
      case CLUSTER_FAILOVER -> failover(replica);
      default -> throw new IllegalArgumentException("not a Cluster node fault: " + kind);
    };
  }

  /**
   * kill -9 of a master; once its replica is promoted it restarts, empty, with its node file, and
   * the cluster makes it the replica of the node that took its slots.
   */
  private FaultRecord killMaster(RedisServer master, RedisServer replica) {
    long start = System.nanoTime();
    master.kill();
    awaitPromoted(replica);
    master.restart();
    return new FaultRecord(FaultKind.MASTER_KILL, nodeName(master), start, System.nanoTime());
  }

  /**
   * SIGSTOP of a master until its replica is promoted; if it is not, the master stays paused for
   * the whole timeout: a longer stall, which the clients must live through too.
   */
  private FaultRecord pauseMaster(RedisServer master, RedisServer replica) {
    long start = System.nanoTime();
    master.pause();
    try {
      awaitPromoted(replica);
    } catch (IllegalStateException notPromoted) {
      incompleteFailovers++;
    } finally {
      master.resume();
    }
    return new FaultRecord(FaultKind.MASTER_PAUSE_LONG, nodeName(master), start, System.nanoTime());
  }

  private FaultRecord failover(RedisServer replica) {
    long start = System.nanoTime();
    cluster.failover(replica, PROMOTION_TIMEOUT);
    return new FaultRecord(FaultKind.CLUSTER_FAILOVER, nodeName(replica), start, System.nanoTime());
  }

  private RedisServer replicaOf(RedisServer master) {
    String port = Integer.toString(master.port());
    return cluster.replicas().stream()
        .filter(node -> port.equals(infoField(node, "replication", "master_port")))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(master + " has no replica: " + cluster));
  }

  private static void awaitPromoted(RedisServer replica) {
    long deadline = System.nanoTime() + PROMOTION_TIMEOUT.toNanos();
    while (!isMaster(replica)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(replica + " was not promoted within " + PROMOTION_TIMEOUT);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for a promotion", e);
      }
    }
  }

  private static boolean isMaster(RedisServer node) {
    try {
      return "master".equals(infoField(node, "replication", "role"));
    } catch (RuntimeException noAnswer) {
      return false;
    }
  }

  @Override
  public void close() {
    cluster.close();
  }
}
