package dev.holdfast.lock.redisson.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.redisson.faults.HistoryChecker.CheckReport;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.netcrusher.core.reactor.NioReactor;

/**
 * The fault gate, run once per topology ({@link SentinelFaultSuiteIT}, {@link
 * ClusterFaultSuiteIT}): three client JVMs of six threads each place orders of one to three of 20
 * products (half of them on two hot products), and now and then restock one, through {@code
 * executeWithLocks}, each callback a deliberately non-atomic read, sleep, write of the stock in a
 * {@link FencedStore}, while a {@link Nemesis} injects every {@link FaultKind} of the topology at
 * least {@code faults.minPerKind} times. The third client waits for one replica to acknowledge
 * every acquisition and renewal ({@code replicaAcknowledgement}), the others do not. Then the
 * {@link HistoryChecker} must find no violation.
 *
 * <p>System properties: {@code faults.calls} (calls to make at least, per topology, 20,000), {@code
 * faults.minPerKind} (5), {@code faults.seed}, {@code faults.maxMinutes} (the longest the faults
 * may go on, 12), {@code faults.dir} (histories and the report, {@code target/faults}, a directory
 * per topology).
 */
final class FaultSuite {

  private static final int WORKERS = 3;
  private static final int THREADS = 6;
  private static final int PRODUCTS = 20;
  private static final int HOT_PRODUCTS = 2;

  /** On a cluster, hash tags put the keys of the second half of the products on three shelves. */
  private static final int SHELVES = 3;

  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final int SLEEP_MILLIS = 2;
  private static final int THINK_MILLIS = 40;

  /** How long a frozen link stays frozen, a killed sentinel dead, a full memory full. */
  static final Duration HOLD = Duration.ofMillis(1500);

  private static final Duration WARM_UP = Duration.ofSeconds(3);

  /** The worker slot whose client waits for replicas: the last one. */
  private static final String ACKNOWLEDGING_WORKER = "w" + WORKERS;

  /** How many replicas must acknowledge, and how long they may take, for that client. */
  private static final int REPLICA_ACKS = 1;

  private static final Duration REPLICA_ACK_TIMEOUT = Duration.ofMillis(250);

  private static final double RECOVERY_FRACTION = 0.5;

  /**
   * The nemesis waits for more than the checker asks for, so that it never starts the next fault
   * before the checker would count this one recovered: the two measure the baseline a little
   * differently (progress lines over the warm-up, the history's windows before the first fault).
   */
  private static final double LIVE_RECOVERY_FRACTION = 0.65;

  /** How often a worker reports its progress, plus a margin. */
  private static final Duration PROGRESS_PERIOD = Duration.ofMillis(150);

  private static final Duration RECOVERY_WINDOW = Duration.ofSeconds(1);
  private static final Duration MAX_RECOVERY = Duration.ofSeconds(20);

  /**
   * How far past its wait a call may end, as docs/redis.md bounds it: the provider's response
   * timeout and the replicas' acknowledgement (keys given back after a later slot group failed are
   * released within that too); and scheduling slack on a busy two-core machine.
   */
  private static final Duration EPSILON =
      RedissonLockProvider.DEFAULT_RESPONSE_TIMEOUT
          .plus(REPLICA_ACK_TIMEOUT)
          .plus(Duration.ofMillis(700));

  private final long targetCalls = Long.getLong("faults.calls", 20_000);
  private final int minPerKind = Integer.getInteger("faults.minPerKind", 5);
  private final long seed = Long.getLong("faults.seed", 20261122L);
  private final Duration maxFaultTime = Duration.ofMinutes(Long.getLong("faults.maxMinutes", 12));
  private final String name;
  private final Path dir;
  private final Function<NioReactor, FaultTopology> topologies;

  /**
   * @param name the topology's name, for the report and the run's directory
   * @param topologies starts the deployment, given the reactor for any proxies it needs
   */
  FaultSuite(String name, Function<NioReactor, FaultTopology> topologies) {
    this.name = name;
    this.dir = Path.of(System.getProperty("faults.dir", "target/faults"), name);
    this.topologies = topologies;
  }

  /** Runs the workload under faults and asserts what the checker found, and that it was enough. */
  void run() throws Exception {
    long runStart = System.nanoTime();
    Files.createDirectories(dir);
    // A worker appends to its log, and a run mixed with an earlier one's files misleads.
    try (var old = Files.newDirectoryStream(dir, "*.{history,log,txt}")) {
      for (Path file : old) {
        Files.delete(file);
      }
    }
    Map<Integer, Long> initialStock = initialStock();
    List<FaultRecord> faults = new ArrayList<>();
    List<String> leftoverKeys = new ArrayList<>();
    List<Path> histories;
    List<JvmStall> stalls;
    Map<Integer, Long> finalStock;
    List<StoreRecord> records;
    Set<FaultKind> kinds;
    String incompleteFailovers;
    try (RedisServer store = RedisServer.start();
        NioReactor reactor = new NioReactor();
        FaultTopology redis = topologies.apply(reactor)) {
      kinds = redis.kinds();
      FencedStore.seed(store, initialStock);
      List<Integer> nodePorts = redis.dataNodes().stream().map(RedisServer::port).toList();
      List<ClientProxies> proxies =
          IntStream.range(0, WORKERS)
              .mapToObj(slot -> new ClientProxies(reactor, nodePorts))
              .toList();
      try (Workers workers =
          new Workers(proxies, (id, own) -> workerSettings(id, own, redis, store))) {
        double baseline = warmUp(workers);
        log("baseline: %.0f calls served per second", baseline);
        FaultSchedule schedule = new FaultSchedule(seed, kinds);
        Nemesis nemesis = new Nemesis(redis, workers, schedule, LEASE, HOLD);
        injectFaults(nemesis, redis, schedule, workers, baseline, faults);
        incompleteFailovers = redis.incompleteFailovers();
        workers.stop();
        long stopped = System.nanoTime();
        redis.awaitWhole();
        Thread.sleep(Math.max(0, (LEASE.toNanos() - (System.nanoTime() - stopped)) / 1_000_000));
        // Every master: a call whose later slot group failed may have left an earlier one's keys.
        redis.masters().forEach(master -> leftoverKeys.addAll(Nemesis.heldKeys(master)));
        histories = workers.histories();
        stalls = workers.stalls();
      } finally {
        proxies.forEach(ClientProxies::close);
      }
      finalStock = FencedStore.stock(store, initialStock.keySet());
      records = FencedStore.record(store);
    }
    List<CallEvent> events = readHistories(histories, faults);
    Files.write(
        dir.resolve("faults.txt"),
        faults.stream()
            .map(f -> f.kind() + "\t" + f.target() + "\t" + f.startNanos() + "\t" + f.healedNanos())
            .toList(),
        StandardCharsets.UTF_8);

    CheckReport report =
        HistoryChecker.check(
            new HistoryChecker.Input(
                events,
                records,
                initialStock,
                finalStock,
                leftoverKeys,
                faults,
                Set.of(ACKNOWLEDGING_WORKER),
                stalls),
            new HistoryChecker.Settings(
                WAIT, EPSILON, RECOVERY_FRACTION, RECOVERY_WINDOW, MAX_RECOVERY));
    String summary =
        summarize(
            report, faults, incompleteFailovers, Duration.ofNanos(System.nanoTime() - runStart));
    Files.writeString(dir.resolve("report.txt"), summary, StandardCharsets.UTF_8);
    System.out.println(summary);

    assertThat(report.violations()).as(summary).isEmpty();
    assertThat(report.counts().get("calls")).as("calls made").isGreaterThanOrEqualTo(targetCalls);
    assertThat(countByKind(faults).keySet()).as("kinds injected").isEqualTo(kinds);
    assertThat(countByKind(faults).values()).as("faults per kind").allMatch(n -> n >= minPerKind);
  }

  /** Little enough that the hot products sell out in seconds and live on restocks after that. */
  private static Map<Integer, Long> initialStock() {
    Map<Integer, Long> stock = new LinkedHashMap<>();
    for (int product = 0; product < PRODUCTS; product++) {
      stock.put(product, product < HOT_PRODUCTS ? 200L : 500L);
    }
    return stock;
  }

  private FaultWorker.Settings workerSettings(
      String id, ClientProxies proxies, FaultTopology redis, RedisServer store) {
    boolean acknowledging = id.startsWith(ACKNOWLEDGING_WORKER + "g");
    return new FaultWorker.Settings(
        id,
        THREADS,
        redis.clientTopology(),
        redis.seedPorts(),
        proxies.portMap(),
        store.address(),
        dir.resolve(id + ".history").toAbsolutePath(),
        seed,
        PRODUCTS,
        HOT_PRODUCTS,
        redis.clientTopology() == FaultWorker.Topology.CLUSTER ? SHELVES : 0,
        LEASE,
        WAIT,
        SLEEP_MILLIS,
        THINK_MILLIS,
        acknowledging ? REPLICA_ACKS : 0,
        REPLICA_ACK_TIMEOUT);
  }

  /** Lets the workers warm up, then measures calls served per second without faults. */
  private static double warmUp(Workers workers) throws InterruptedException {
    Thread.sleep(WARM_UP.toMillis());
    long before = workers.served();
    Thread.sleep(WARM_UP.toMillis());
    return (workers.served() - before) * 1000.0 / WARM_UP.toMillis();
  }

  private void injectFaults(
      Nemesis nemesis,
      FaultTopology redis,
      FaultSchedule schedule,
      Workers workers,
      double baseline,
      List<FaultRecord> faults)
      throws InterruptedException {
    long deadline = System.nanoTime() + maxFaultTime.toNanos();
    while (workers.calls() < targetCalls
        || countByKind(faults).values().stream().anyMatch(n -> n < minPerKind)
        || countByKind(faults).size() < redis.kinds().size()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "The faults took longer than "
                + maxFaultTime
                + ": "
                + workers.calls()
                + " calls, faults "
                + countByKind(faults));
      }
      FaultRecord fault = nemesis.inject(schedule.next(redis.isWhole()));
      faults.add(fault);
      Duration recovery = awaitRecovery(workers, baseline, fault.healedNanos());
      log(
          "%s %3d %-18s %-26s took %5d ms, recovered %s; %,d calls",
          name,
          faults.size(),
          fault.kind(),
          fault.target(),
          Duration.ofNanos(fault.healedNanos() - fault.startNanos()).toMillis(),
          recovery == null
              ? "NOT within " + MAX_RECOVERY + " (roles now: " + roles(redis) + ")"
              : "after " + recovery.toMillis() + " ms",
          workers.calls());
      Thread.sleep(100 + schedule.choose(300));
    }
  }

  /**
   * Waits until the workers served at least {@link #LIVE_RECOVERY_FRACTION} of the baseline within
   * one {@link #RECOVERY_WINDOW}, counting only calls reported {@link #PROGRESS_PERIOD} or more
   * after {@code healedNanos}: a worker's progress line can carry calls served before the fault was
   * healed, which the checker does not count.
   *
   * @return how long after healing that was, or null if not within {@link #MAX_RECOVERY}
   */
  private static @Nullable Duration awaitRecovery(
      Workers workers, double baselinePerSecond, long healedNanos) throws InterruptedException {
    double needed =
        Math.max(
            1, LIVE_RECOVERY_FRACTION * baselinePerSecond * RECOVERY_WINDOW.toMillis() / 1000.0);
    Thread.sleep(PROGRESS_PERIOD.toMillis());
    Deque<long[]> samples = new ArrayDeque<>();
    while (System.nanoTime() - healedNanos < MAX_RECOVERY.toNanos()) {
      long now = System.nanoTime();
      long served = workers.served();
      samples.addLast(new long[] {now, served});
      while (samples.size() > 1 && now - samples.peekFirst()[0] > RECOVERY_WINDOW.toNanos()) {
        samples.removeFirst();
      }
      if (served - samples.peekFirst()[1] >= needed) {
        return Duration.ofNanos(now - healedNanos);
      }
      Thread.sleep(50);
    }
    return null;
  }

  /**
   * Reads every worker's history. A killed worker may have died in the middle of a line: its last
   * line may be cut short, and only that one is skipped.
   */
  private static List<CallEvent> readHistories(List<Path> histories, List<FaultRecord> faults)
      throws IOException {
    List<CallEvent> events = new ArrayList<>();
    for (Path history : histories) {
      List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8);
      String worker = history.getFileName().toString().replace(".history", "");
      boolean killed =
          faults.stream()
              .anyMatch(f -> f.kind() == FaultKind.CLIENT_KILL && f.target().equals(worker));
      for (int i = 0; i < lines.size(); i++) {
        try {
          events.add(CallEvent.parse(lines.get(i)));
        } catch (IllegalArgumentException cutShort) {
          if (!killed || i != lines.size() - 1) {
            throw cutShort;
          }
        }
      }
    }
    return events;
  }

  private static Map<FaultKind, Integer> countByKind(List<FaultRecord> faults) {
    Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
    faults.forEach(fault -> counts.merge(fault.kind(), 1, Integer::sum));
    return counts;
  }

  private String summarize(
      CheckReport report, List<FaultRecord> faults, String incompleteFailovers, Duration wallTime) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "Fault suite on %s: seed %d, %d workers x %d threads (%s waits for %d replica in %d"
                + " ms), lease %d ms, wait %d ms, ε %d ms, wall time %d s%n",
            name,
            seed,
            WORKERS,
            THREADS,
            ACKNOWLEDGING_WORKER,
            REPLICA_ACKS,
            REPLICA_ACK_TIMEOUT.toMillis(),
            LEASE.toMillis(),
            WAIT.toMillis(),
            EPSILON.toMillis(),
            wallTime.toSeconds()));
    text.append(report.describe());
    text.append("faults (count; recovery after healing, median / max ms):\n");
    Map<FaultKind, List<Long>> recoveries = new EnumMap<>(FaultKind.class);
    report
        .recoveries()
        .forEach(
            (fault, recovery) ->
                recoveries
                    .computeIfAbsent(fault.kind(), kind -> new ArrayList<>())
                    .add(recovery == null ? Long.MAX_VALUE : recovery.toMillis()));
    countByKind(faults)
        .forEach(
            (kind, count) -> {
              List<Long> millis =
                  recoveries.getOrDefault(kind, List.of()).stream().sorted().toList();
              text.append(
                  String.format(
                      "  %-20s %3d   %s%n",
                      kind,
                      count,
                      millis.isEmpty()
                          ? "-"
                          : millis.get(millis.size() / 2) + " / " + millis.get(millis.size() - 1)));
            });
    text.append(String.format("  failovers not completed: %s%n", incompleteFailovers));
    return text.toString();
  }

  /**
   * What each data node says it is: tells a client that did not recover from a store with no
   * master.
   */
  private static String roles(FaultTopology redis) {
    return redis.dataNodes().stream()
        .map(node -> FaultTopology.nodeName(node) + " " + roleOf(node))
        .collect(Collectors.joining(", "));
  }

  private static String roleOf(RedisServer node) {
    try {
      return FaultTopology.infoField(node, "replication", "role");
    } catch (RuntimeException noAnswer) {
      return "no answer";
    }
  }

  private static void log(String format, Object... args) {
    System.out.printf("[faults] " + format + "%n", args);
  }
}
