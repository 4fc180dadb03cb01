package dev.holdfast.lock.redisson.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis Cluster of a test's own: three masters, each with {@code replicasPerMaster} replicas,
 * every node its own local {@code redis-server --cluster-enabled yes} process on a free loopback
 * port, joined by {@code redis-cli --cluster create}.
 *
 * <p>Every node is a {@link RedisServer}, so a fault test can kill, pause, stop and restart any of
 * them. A restarted node keeps its cluster node file, so it comes back as the same node, with an
 * empty data set.
 *
 * <p>There is no container fallback: without {@code redis-server} and {@code redis-cli} on the
 * {@code PATH}, {@link #start()} fails. Instances are thread-safe; the wait methods block for at
 * most the time they are given.
 */
public final class RedisClusterSetup implements AutoCloseable {

  /** The default {@code cluster-node-timeout}: how long a node may be silent before it fails. */
  public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(2);

  private static final int MASTERS = 3;
  private static final int SLOTS = 16384;
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  /** Redis's own limit on a manual failover (CLUSTER_MF_TIMEOUT). */
  private static final Duration MANUAL_FAILOVER_TIMEOUT = Duration.ofSeconds(5);

  private final List<RedisServer> nodes;

  private RedisClusterSetup(List<RedisServer> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts three masters with one replica each and {@link #DEFAULT_NODE_TIMEOUT}.
   *
   * @return the running cluster, once every node reports {@code cluster_state:ok}, knows every
   *     other node, and every replica is in sync
   * @throws IllegalStateException if {@code redis-server} or {@code redis-cli} is not on the {@code
   *     PATH}, or the cluster did not form in time
   */
  public static RedisClusterSetup start() {
    return start(1, DEFAULT_NODE_TIMEOUT);
  }

  /**
   * Starts three masters with {@code replicasPerMaster} replicas each.
   *
   * @param replicasPerMaster 0 or more replicas of each master
   * @param nodeTimeout the nodes' {@code cluster-node-timeout}; whole milliseconds, at least 1
   * @param nodeArgs extra {@code redis-server} arguments for every node
   * @return the running cluster, as for {@link #start()}
   * @throws IllegalArgumentException if {@code replicasPerMaster} is negative or {@code
   *     nodeTimeout} under one millisecond
   * @throws IllegalStateException as for {@link #start()}
   */
  public static RedisClusterSetup start(
      int replicasPerMaster, Duration nodeTimeout, String... nodeArgs) {
    if (replicasPerMaster < 0) {
      throw new IllegalArgumentException(
          "replicasPerMaster must not be negative, but was " + replicasPerMaster);
    }
    requireNonNull(nodeTimeout, "nodeTimeout");
    if (nodeTimeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          "nodeTimeout must be at least 1 ms, but was " + nodeTimeout);
    }
    List<String> args =
        Stream.concat(
                Stream.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-node-timeout",
                    Long.toString(nodeTimeout.toMillis()),
                    // No 5-second wait before a replica's full sync, for others to share it.
                    "--repl-diskless-sync-delay",
                    "0"),
                Stream.of(nodeArgs))
            .toList();
    List<RedisServer> started = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS * (1 + replicasPerMaster); i++) {
        started.add(RedisServers.startLocal(Optional.empty(), args));
      }
      create(started, replicasPerMaster);
      RedisClusterSetup cluster = new RedisClusterSetup(List.copyOf(started));
      cluster.awaitHealthy(STARTUP_TIMEOUT);
      return cluster;
    } catch (RuntimeException e) {
      RedisServers.closeAfterFailure(started, e);
      throw e;
    }
  }

  /**
   * Every node, masters and replicas, in start order.
   *
   * @return the nodes
   */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /**
   * The nodes' addresses in the form Redisson's {@code useClusterServers().addNodeAddress(...)}
   * takes.
   *
   * @return {@code redis://host:port} of each node
   */
  public List<String> nodeAddresses() {
    return nodes.stream().map(RedisServer::address).toList();
  }

  /**
   * The nodes that report themselves master now.
   *
   * @return the current masters, in start order
   */
  public List<RedisServer> masters() {
    return nodes.stream()
        .filter(node -> Polling.role(node).filter("master"::equals).isPresent())
        .toList();
  }

  /**
   * The nodes that report themselves replica now.
   *
   * @return the current replicas, in start order
   */
  public List<RedisServer> replicas() {
    return nodes.stream()
        .filter(node -> Polling.role(node).filter("slave"::equals).isPresent())
        .toList();
  }

  /**
   * The hash slot of a key, as the cluster computes it ({@code CLUSTER KEYSLOT}).
   *
   * @param key a key
   * @return its slot, 0 to 16383
   * @throws IllegalStateException if no node answers
   */
  public int slotOf(String key) {
    requireNonNull(key, "key");
    return ((Long) callAnyNode("CLUSTER", "KEYSLOT", key)).intValue();
  }

  /**
   * The node serving a key's slot now, according to the first node that answers.
   *
   * @param key a key
   * @return the master of the key's slot
   * @throws IllegalStateException if no node answers, or the slot has no master
   */
  public RedisServer masterOf(String key) {
    int slot = slotOf(key);
    for (Object range : (List<?>) callAnyNode("CLUSTER", "SLOTS")) {
      List<?> fields = (List<?>) range;
      if ((Long) fields.get(0) <= slot && slot <= (Long) fields.get(1)) {
        int port = ((Long) ((List<?>) fields.get(2)).get(1)).intValue();
        return nodes.stream()
            .filter(node -> node.port() == port)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("Slot " + slot + " is on port " + port));
      }
    }
    throw new IllegalStateException("Slot " + slot + " of " + key + " has no master");
  }

  /**
   * Promotes a replica with {@code CLUSTER FAILOVER} (its master agreeing, so no write is lost),
   * waits until it reports itself master and the cluster is {@linkplain #awaitHealthy(Duration)
   * healthy} again, its old master now its replica. Redis gives up a manual failover that has not
   * completed within 5 seconds (on a loaded machine the master's handshake can take that long), so
   * the request is sent again every 5 seconds until {@code timeout}.
   *
   * @param replica a replica of this cluster
   * @param timeout how long to wait for the promotion, and then again for the cluster to heal
   * @throws IllegalStateException if the node refused or was not promoted in time
   */
  public void failover(RedisServer replica, Duration timeout) {
    requireNonNull(replica, "replica");
    requireNonNull(timeout, "timeout");
    long[] requestedAt = {System.nanoTime() - MANUAL_FAILOVER_TIMEOUT.toNanos()};
    Polling.until(
        timeout,
        replica + " promoted",
        () -> {
          Optional<String> master = Polling.role(replica).filter("master"::equals);
          if (master.isEmpty()
              && System.nanoTime() - requestedAt[0] >= MANUAL_FAILOVER_TIMEOUT.toNanos()) {
            replica.call("CLUSTER", "FAILOVER");
            requestedAt[0] = System.nanoTime();
          }
          return master;
        },
        () -> Polling.role(replica) + " " + logTail(replica));
    awaitHealthy(timeout);
  }

  /**
   * Waits until the cluster is whole: every node answers, reports {@code cluster_state:ok} with all
   * slots served and every node known, three nodes report themselves master, and every replica is
   * in sync with its master. Fault tests call it after they restarted what they broke.
   *
   * @param timeout how long to wait
   * @throws IllegalStateException if the cluster was not healthy in time
   */
  public void awaitHealthy(Duration timeout) {
    requireNonNull(timeout, "timeout");
    Polling.until(
        timeout,
        "a healthy cluster of " + nodes.size() + " nodes",
        () ->
            nodes.stream().allMatch(this::isHealthy) && masters().size() == MASTERS
                ? Optional.of(nodes)
                : Optional.empty(),
        this::status);
  }

  /** Stops every node. */
  @Override
  public void close() {
    RedisServers.closeAll(nodes);
  }

  @Override
  public String toString() {
    return "Redis Cluster: " + status();
  }

  private boolean isHealthy(RedisServer node) {
    return Polling.reports(
            node,
            info ->
                "ok".equals(info.get("cluster_state"))
                    && Integer.toString(SLOTS).equals(info.get("cluster_slots_ok"))
                    && Integer.toString(nodes.size()).equals(info.get("cluster_known_nodes")),
            "CLUSTER",
            "INFO")
        && Polling.reports(
            node,
            info ->
                "master".equals(info.get("role")) || "up".equals(info.get("master_link_status")),
            "INFO",
            "replication");
  }

  private static String logTail(RedisServer node) {
    return node instanceof LocalRedisServer local ? local.logTail() : "";
  }

  private Object callAnyNode(String... command) {
    for (RedisServer node : nodes) {
      Optional<Object> reply = Polling.tryCall(node, command);
      if (reply.isPresent()) {
        return reply.get();
      }
    }
    throw new IllegalStateException(
        "No node answered " + String.join(" ", command) + ": " + status());
  }

  private String status() {
    StringBuilder status = new StringBuilder();
    for (RedisServer node : nodes) {
      Map<String, String> info =
          Polling.infoFields(Polling.tryCall(node, "CLUSTER", "INFO").orElse(""));
      status
          .append(node)
          .append(
              node.isRunning()
                  ? " role "
                      + Polling.role(node).orElse("?")
                      + " cluster_state "
                      + info.get("cluster_state")
                  : " not running")
          .append("; ");
    }
    return status.toString();
  }

  /** Joins the nodes with redis-cli, which assigns the slots and pairs replicas with masters. */
  private static void create(List<RedisServer> nodes, int replicasPerMaster) {
    List<String> command = new ArrayList<>();
    command.add(
        RedisServers.requireExecutable(System.getenv("PATH"), RedisServers.CLI_EXECUTABLE)
            .toString());
    command.add("--cluster");
    command.add("create");
    nodes.forEach(node -> command.add(node.host() + ":" + node.port()));
    command.addAll(
        List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
    try {
      Path output = Files.createTempFile("holdfast-cluster-create-", ".log");
      try {
        // Output to a file, not a pipe: reading a pipe would block past the timeout.
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean exited = process.waitFor(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
          process.destroyForcibly();
        }
        if (!exited || process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command)
                  + (exited ? " exited with " + process.exitValue() : " did not finish")
                  + ": "
                  + Files.readString(output, UTF_8));
        }
      } finally {
        Files.delete(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted creating the cluster", e);
    }
  }
}
