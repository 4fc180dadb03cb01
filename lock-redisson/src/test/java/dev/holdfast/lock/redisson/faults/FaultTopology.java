package dev.holdfast.lock.redisson.faults;

import dev.holdfast.lock.redisson.testing.RedisServer;
import java.util.List;
import java.util.Set;

/**
 * The Redis deployment a fault run works against: how the workers reach it, what its masters are
 * now, and the faults on its nodes. The {@link Nemesis} injects the faults on clients and links
 * itself, the same on every topology, and hands the others to the topology.
 */
interface FaultTopology extends AutoCloseable {

  /** The kinds of fault a run on this topology injects, client faults included. */
  Set<FaultKind> kinds();

  /** How a worker's Redisson client finds the deployment. */
  FaultWorker.Topology clientTopology();

  /** The ports a worker's client starts from: the sentinels, or the cluster's nodes. */
  List<Integer> seedPorts();

  /** Every data node, which each worker reaches through a proxy of its own. */
  List<RedisServer> dataNodes();

  /** The nodes that serve writes now. */
  List<RedisServer> masters();

  /**
   * Whether a fault of a kind that {@linkplain FaultKind#needsWholeDeployment() needs it} could
   * start now, without waiting.
   */
  boolean isWhole();

  /** Waits until the deployment is whole, every replica in sync and fit to be promoted. */
  void awaitWhole() throws InterruptedException;

  /**
   * Injects a fault of a kind that {@linkplain FaultKind#needsWholeDeployment() hits a Redis node},
   * first waiting until the deployment is whole, and returns once the fault is undone.
   *
   * @param choices the schedule's seeded stream, for targets and durations
   */
  FaultRecord inject(FaultKind kind, FaultSchedule choices) throws InterruptedException;

  /** Failovers the deployment was asked for or expected to make and did not complete, and why. */
  String incompleteFailovers();

  @Override
  void close();

  /**
   * One field of a node's {@code INFO} section.
   *
   * @throws IllegalStateException if the section has no such field
   */
  static String infoField(RedisServer node, String section, String field) {
    String info = String.valueOf(node.call("INFO", section));
    for (String line : info.split("\r\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1);
      }
    }
    throw new IllegalStateException(node + " has no " + field + " in INFO " + section);
  }

  /** How faults name a Redis node. */
  static String nodeName(RedisServer node) {
    return "redis:" + node.port();
  }
}
