package dev.holdfast.lock.redisson.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Sentinel deployment of a test's own: a master, one replica (or more) and three sentinels
 * (quorum two), each its own local {@code redis-server} process on a free loopback port.
 *
 * <p>Every node is a {@link RedisServer}, so a fault test can kill, pause, stop and restart any of
 * them. A restarted data node comes back empty with its original arguments (a replica still names
 * the first master); the sentinels then reconfigure it as a replica of the current master. A
 * restarted sentinel keeps the configuration file it rewrote, so it knows the current master and
 * the other sentinels.
 *
 * <p>There is no container fallback: without {@code redis-server} on the {@code PATH}, {@link
 * #start()} fails. Instances are thread-safe; the wait methods block for at most the time they are
 * given.
 */
public final class RedisSentinelSetup implements AutoCloseable {

  /** The name under which the sentinels monitor the master. */
  public static final String MASTER_NAME = "holdfast";

  /**
   * The default {@code down-after-milliseconds}: a master silent this long is subjectively down.
   */
  public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(1);

  /** The default {@code failover-timeout}. */
  public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofSeconds(10);

  private static final int SENTINELS = 3;
  private static final int QUORUM = 2;
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final Duration failoverTimeout;
  private final List<RedisServer> dataNodes;
  private final List<RedisServer> sentinels;

  private RedisSentinelSetup(
      Duration failoverTimeout, List<RedisServer> dataNodes, List<RedisServer> sentinels) {
    this.failoverTimeout = failoverTimeout;
    this.dataNodes = dataNodes;
    this.sentinels = sentinels;
  }

  /**
   * Starts a deployment with {@link #DEFAULT_DOWN_AFTER} and {@link #DEFAULT_FAILOVER_TIMEOUT}.
   *
   * @return the running deployment, once its replica is in sync and every sentinel knows the
   *     replica and the other sentinels
   * @throws IllegalStateException if {@code redis-server} is not on the {@code PATH}, or a node did
   *     not start or the deployment did not form in time
   */
  public static RedisSentinelSetup start() {
    return start(DEFAULT_DOWN_AFTER, DEFAULT_FAILOVER_TIMEOUT);
  }

  /**
   * Starts a deployment.
   *
   * @param downAfter the sentinels' {@code down-after-milliseconds}: how long the master may be
   *     silent before they start a failover; whole milliseconds, at least 1
   * @param failoverTimeout the sentinels' {@code failover-timeout}; whole milliseconds, at least 1
   * @param dataNodeArgs extra {@code redis-server} arguments for the master and the replica, for
   *     example {@code "--maxmemory-policy", "volatile-lru"}
   * @return the running deployment, as for {@link #start()}
   * @throws IllegalArgumentException if a duration is under one millisecond
   * @throws IllegalStateException as for {@link #start()}
   */
  public static RedisSentinelSetup start(
      Duration downAfter, Duration failoverTimeout, String... dataNodeArgs) {
    return start(1, downAfter, failoverTimeout, dataNodeArgs);
  }

  /**
   * Starts a deployment with {@code replicas} replicas of the master.
   *
   * @param replicas how many replicas, at least 1
   * @param downAfter as for {@link #start(Duration, Duration, String...)}
   * @param failoverTimeout as for {@link #start(Duration, Duration, String...)}
   * @param dataNodeArgs extra {@code redis-server} arguments for the master and the replicas
   * @return the running deployment, once every replica is in sync and every sentinel knows every
   *     replica and the other sentinels
   * @throws IllegalArgumentException if {@code replicas} is under 1 or a duration under one
   *     millisecond
   * @throws IllegalStateException as for {@link #start()}
   */
  public static RedisSentinelSetup start(
      int replicas, Duration downAfter, Duration failoverTimeout, String... dataNodeArgs) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, but was " + replicas);
    }
    long downAfterMillis = positiveMillis("downAfter", downAfter);
    long failoverTimeoutMillis = positiveMillis("failoverTimeout", failoverTimeout);
    List<RedisServer> started = new ArrayList<>();
    try {
      // Redis waits 5 s by default before a full sync, for more replicas to share it: a replica
      // (the first one, and the old master after a failover) would lag that long for nothing.
      List<String> masterArgs =
          Stream.concat(Stream.of("--repl-diskless-sync-delay", "0"), Stream.of(dataNodeArgs))
              .toList();
      RedisServer master = RedisServers.startLocal(Optional.empty(), masterArgs);
      started.add(master);
      List<String> replicaArgs =
          Stream.concat(
                  Stream.of("--replicaof", master.host(), Integer.toString(master.port())),
                  masterArgs.stream())
              .toList();
      List<RedisServer> dataNodes = new ArrayList<>(List.of(master));
      for (int i = 0; i < replicas; i++) {
        RedisServer replica = RedisServers.startLocal(Optional.empty(), replicaArgs);
        started.add(replica);
        dataNodes.add(replica);
      }
      // Started after the replicas are in sync, the sentinels learn of them from their first INFO
      // to the master instead of the next one, ten seconds later.
      dataNodes.subList(1, dataNodes.size()).forEach(r -> awaitInSync(r, master, STARTUP_TIMEOUT));
      String config =
          String.join(
              "\n",
              "sentinel monitor "
                  + MASTER_NAME
                  + " "
                  + master.host()
                  + " "
                  + master.port()
                  + " "
                  + QUORUM,
              "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfterMillis,
              "sentinel failover-timeout " + MASTER_NAME + " " + failoverTimeoutMillis,
              "");
      List<RedisServer> sentinels = new ArrayList<>();
      for (int i = 0; i < SENTINELS; i++) {
        RedisServer sentinel = RedisServers.startLocal(Optional.of(config), List.of("--sentinel"));
        started.add(sentinel);
        sentinels.add(sentinel);
      }
      RedisSentinelSetup setup =
          new RedisSentinelSetup(
              Duration.ofMillis(failoverTimeoutMillis),
              List.copyOf(dataNodes),
              List.copyOf(sentinels));
      setup.awaitHealthy(STARTUP_TIMEOUT);
      return setup;
    } catch (RuntimeException e) {
      RedisServers.closeAfterFailure(started, e);
      throw e;
    }
  }

  /**
   * The name to give Redisson's {@code useSentinelServers().setMasterName(...)}.
   *
   * @return {@link #MASTER_NAME}
   */
  public String masterName() {
    return MASTER_NAME;
  }

  /**
   * The sentinels, in start order.
   *
   * @return three servers running in sentinel mode
   */
  public List<RedisServer> sentinels() {
    return sentinels;
  }

  /**
   * The sentinels' addresses in the form Redisson takes.
   *
   * @return {@code redis://host:port} of each sentinel
   */
  public List<String> sentinelAddresses() {
    return sentinels.stream().map(RedisServer::address).toList();
  }

  /**
   * The data nodes, whatever their roles now.
   *
   * @return the first master, then the replicas in start order
   */
  public List<RedisServer> dataNodes() {
    return dataNodes;
  }

  /**
   * The data node that the first answering sentinel names as master now. Right after a fault the
   * sentinels may still name the old master: use {@link #awaitNewMaster(RedisServer, Duration)}.
   *
   * @return the current master according to the sentinels
   * @throws IllegalStateException if no sentinel answers
   */
  public RedisServer master() {
    return reportedMaster()
        .orElseThrow(() -> new IllegalStateException("No sentinel answers: " + status()));
  }

  /**
   * The first data node that is not {@link #master()}: with one replica, the replica.
   *
   * @return a current replica according to the sentinels
   * @throws IllegalStateException if no sentinel answers
   */
  public RedisServer replica() {
    return replicas().get(0);
  }

  /**
   * The data nodes that are not {@link #master()}.
   *
   * @return the current replicas according to the sentinels, in start order
   * @throws IllegalStateException if no sentinel answers
   */
  public List<RedisServer> replicas() {
    return replicasOf(master());
  }

  /**
   * Asks a sentinel to fail over at once, as {@code SENTINEL FAILOVER} does: the replica is
   * promoted without agreement from the other sentinels, and the old master is told to become its
   * replica. Returns once the replica is promoted; the old master may still accept writes for a
   * while (on Redis 7.0.15 here: about 11 seconds).
   *
   * @return the new master
   * @throws IllegalStateException if no sentinel accepted the request, or no promotion was seen
   *     within the failover timeout
   */
  public RedisServer failover() {
    RedisServer oldMaster = master();
    boolean requested =
        sentinels.stream()
            .anyMatch(
                sentinel ->
                    Polling.tryCall(sentinel, "SENTINEL", "FAILOVER", MASTER_NAME).isPresent());
    if (!requested) {
      throw new IllegalStateException("No sentinel accepted SENTINEL FAILOVER: " + status());
    }
    return awaitNewMaster(oldMaster, failoverTimeout);
  }

  /**
   * Waits until a sentinel names a master other than {@code oldMaster} and that node reports itself
   * master, for example after {@code oldMaster} was killed or paused past the down-after time.
   *
   * @param oldMaster the master that failed
   * @param timeout how long to wait
   * @return the promoted node
   * @throws IllegalStateException if no promotion was seen in time
   */
  public RedisServer awaitNewMaster(RedisServer oldMaster, Duration timeout) {
    requireNonNull(oldMaster, "oldMaster");
    requireNonNull(timeout, "timeout");
    return Polling.until(
        timeout,
        "a master other than " + oldMaster,
        () -> reportedMaster().filter(master -> master != oldMaster && hasRole(master, "master")),
        this::status);
  }

  /**
   * Waits until every sentinel names the same master and that node reports itself master. After
   * {@code SENTINEL FAILOVER} only the sentinel asked knows the new master at once; the others hear
   * of it from its hello messages, and until then a client asking one of them is sent to the old
   * master, a replica by then.
   *
   * @param timeout how long to wait
   * @return the master the sentinels agree on
   * @throws IllegalStateException if they did not agree in time
   */
  public RedisServer awaitAgreedMaster(Duration timeout) {
    requireNonNull(timeout, "timeout");
    return Polling.until(
        timeout,
        "every sentinel naming one master",
        () -> {
          Set<Optional<RedisServer>> named =
              sentinels.stream().map(this::masterNamedBy).collect(Collectors.toSet());
          return named.size() == 1
              ? named.iterator().next().filter(master -> hasRole(master, "master"))
              : Optional.empty();
        },
        this::status);
  }

  /**
   * Waits until the deployment is whole again: every sentinel answers and names the same master,
   * which reports itself master, and every other data node replicates from it in sync. Fault tests
   * call it after they restarted what they broke.
   *
   * @param timeout how long to wait
   * @throws IllegalStateException if the deployment was not healthy in time
   */
  public void awaitHealthy(Duration timeout) {
    requireNonNull(timeout, "timeout");
    Polling.until(
        timeout,
        "a healthy Sentinel deployment",
        () -> {
          Optional<RedisServer> master = reportedMaster();
          if (master.isEmpty() || !hasRole(master.get(), "master")) {
            return Optional.empty();
          }
          boolean healthy =
              replicasOf(master.get()).stream().allMatch(r -> isInSync(r, master.get()))
                  && sentinels.stream()
                      .allMatch(sentinel -> knowsWholeDeployment(sentinel, master.get()));
          return healthy ? master : Optional.empty();
        },
        this::status);
  }

  /** Stops every node of the deployment, sentinels first so they start no failover meanwhile. */
  @Override
  public void close() {
    RedisServers.closeAll(Stream.concat(sentinels.stream(), dataNodes.stream()).toList());
  }

  @Override
  public String toString() {
    return "Sentinel deployment " + MASTER_NAME + ": " + status();
  }

  private Optional<RedisServer> reportedMaster() {
    for (RedisServer sentinel : sentinels) {
      Optional<RedisServer> master = masterNamedBy(sentinel);
      if (master.isPresent()) {
        return master;
      }
    }
    return Optional.empty();
  }

  /** The data node {@code sentinel} names master; empty if it does not answer. */
  private Optional<RedisServer> masterNamedBy(RedisServer sentinel) {
    return Polling.tryCall(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
        .flatMap(this::dataNodeAt);
  }

  private Optional<RedisServer> dataNodeAt(Object hostAndPort) {
    List<?> reply = (List<?>) hostAndPort;
    int port = Integer.parseInt(String.valueOf(reply.get(1)));
    return dataNodes.stream().filter(node -> node.port() == port).findFirst();
  }

  private boolean knowsWholeDeployment(RedisServer sentinel, RedisServer master) {
    Optional<Object> replicas = Polling.tryCall(sentinel, "SENTINEL", "REPLICAS", MASTER_NAME);
    Optional<Object> others = Polling.tryCall(sentinel, "SENTINEL", "SENTINELS", MASTER_NAME);
    return masterNamedBy(sentinel).filter(master::equals).isPresent()
        && replicas.filter(list -> ((List<?>) list).size() == dataNodes.size() - 1).isPresent()
        && others.filter(list -> ((List<?>) list).size() == SENTINELS - 1).isPresent();
  }

  private List<RedisServer> replicasOf(RedisServer master) {
    return dataNodes.stream().filter(node -> node != master).toList();
  }

  private static boolean hasRole(RedisServer node, String role) {
    return Polling.role(node).filter(role::equals).isPresent();
  }

  private static void awaitInSync(RedisServer replica, RedisServer master, Duration timeout) {
    Polling.until(
        timeout,
        replica + " in sync with " + master,
        () -> isInSync(replica, master) ? Optional.of(replica) : Optional.empty(),
        () -> String.valueOf(Polling.tryCall(replica, "INFO", "replication")));
  }

  private static boolean isInSync(RedisServer replica, RedisServer master) {
    return Polling.reports(
        replica,
        info ->
            "slave".equals(info.get("role"))
                && Integer.toString(master.port()).equals(info.get("master_port"))
                && "up".equals(info.get("master_link_status")),
        "INFO",
        "replication");
  }

  private String status() {
    StringBuilder status = new StringBuilder();
    for (RedisServer node : dataNodes) {
      Map<String, String> info =
          Polling.infoFields(Polling.tryCall(node, "INFO", "replication").orElse(""));
      status
          .append(node)
          .append(node.isRunning() ? " role " + info.get("role") : " not running")
          .append("; ");
    }
    for (RedisServer sentinel : sentinels) {
      status
          .append(sentinel)
          .append(" names master ")
          .append(
              Polling.tryCall(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                  .map(String::valueOf)
                  .orElse("(no answer)"))
          .append("; ");
    }
    return status.toString();
  }

  private static long positiveMillis(String name, Duration value) {
    requireNonNull(value, name);
    if (value.toMillis() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, but was " + value);
    }
    return value.toMillis();
  }
}
