package dev.holdfast.lock.redisson.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.redisson.faults.HistoryChecker.CheckReport;
import dev.holdfast.lock.redisson.testing.RedisSentinelSetup;
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
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.netcrusher.core.reactor.NioReactor;

/**
 * The fault gate: three client JVMs of six threads each place orders of one to three of 20 products
 * (half of them on two hot products), and now and then restock one, through {@code
 * executeWithLocks} on a Sentinel deployment, each callback a deliberately non-atomic read, sleep,
 * write of the stock in a {@link FencedStore}, while a {@link Nemesis} injects every {@link
 * FaultKind} at least {@code faults.minPerKind} times. Then the {@link HistoryChecker} must find no
 * violation.
 *
 * <p>Runs in the Maven profile {@code faults}. System properties: {@code faults.calls} (calls to
 * make at least, 20,000), {@code faults.minPerKind} (5), {@code faults.seed}, {@code
 * faults.maxMinutes} (the longest the faults may go on, 12), {@code faults.dir} (histories and the
 * report, {@code target/faults}), {@code faults.replicaAcks} (0; n makes every acquisition wait for
 * n replicas: the second configuration).
 */
final class FaultSuiteIT {

  private static final int WORKERS = 3;
  private static final int THREADS = 6;
  private static final int PRODUCTS = 20;
  private static final int HOT_PRODUCTS = 2;
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final int SLEEP_MILLIS = 2;
  private static final int THINK_MILLIS = 40;
  private static final Duration TCP_FREEZE = Duration.ofSeconds(2);
  private static final Duration WARM_UP = Duration.ofSeconds(3);

  /** How long replicas may take to acknowledge, in the configuration that asks them to. */
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

  private final long targetCalls = Long.getLong("faults.calls", 20_000);
  private final int minPerKind = Integer.getInteger("faults.minPerKind", 5);
  private final long seed = Long.getLong("faults.seed", 20261122L);
  private final Duration maxFaultTime = Duration.ofMinutes(Long.getLong("faults.maxMinutes", 12));
  private final Path dir = Path.of(System.getProperty("faults.dir", "target/faults"));

  /** 0: the default provider; n: every acquisition and renewal waits for n replicas. */
  private final int replicaAcks = Integer.getInteger("faults.replicaAcks", 0);

  /**
   * How far past its wait a call may end: the provider's response timeout (and the replicas'
   * acknowledgement, if asked for) plus scheduling slack on a busy two-core machine.
   */
  private final Duration epsilon =
      RedissonLockProvider.DEFAULT_RESPONSE_TIMEOUT
          .plus(replicaAcks > 0 ? REPLICA_ACK_TIMEOUT : Duration.ZERO)
          .plus(Duration.ofMillis(700));

  @Test
  void stockStaysExactAndLocksRecoverUnderEveryFault() throws Exception {
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
    List<String> leftoverKeys;
    List<Path> histories;
    Map<Integer, Long> finalStock;
    List<StoreRecord> records;
    int incompleteFailovers;
    try (RedisServer store = RedisServer.start();
        RedisSentinelSetup redis = RedisSentinelSetup.start();
        NioReactor reactor = new NioReactor()) {
      FencedStore.seed(store, initialStock);
      List<ClientProxies> proxies =
          IntStream.range(0, WORKERS)
              .mapToObj(
                  slot ->
                      new ClientProxies(
                          reactor, redis.dataNodes().stream().map(RedisServer::port).toList()))
              .toList();
      try (Workers workers =
          new Workers(proxies, (id, own) -> workerSettings(id, own, redis, store))) {
        double baseline = warmUp(workers);
        log("baseline: %.0f calls served per second", baseline);
        FaultSchedule schedule = new FaultSchedule(seed);
        Nemesis nemesis =
            new Nemesis(
                redis, workers, schedule, LEASE, RedisSentinelSetup.DEFAULT_DOWN_AFTER, TCP_FREEZE);
        injectFaults(nemesis, schedule, workers, baseline, faults);
        incompleteFailovers = nemesis.incompleteFailovers();
        workers.stop();
        long stopped = System.nanoTime();
        nemesis.awaitHealthy();
        Thread.sleep(Math.max(0, (LEASE.toNanos() - (System.nanoTime() - stopped)) / 1_000_000));
        leftoverKeys = Nemesis.heldKeys(redis.master());
        histories = workers.histories();
      } finally {
        proxies.forEach(ClientProxies::close);
      }
      finalStock = FencedStore.stock(store, initialStock.keySet());
      records = FencedStore.record(store);
    }
    List<CallEvent> events = readHistories(histories, faults);

    CheckReport report =
        HistoryChecker.check(
            new HistoryChecker.Input(
                events, records, initialStock, finalStock, leftoverKeys, faults),
            new HistoryChecker.Settings(
                WAIT, epsilon, RECOVERY_FRACTION, RECOVERY_WINDOW, MAX_RECOVERY));
    String summary =
        summarize(
            report, faults, incompleteFailovers, Duration.ofNanos(System.nanoTime() - runStart));
    Files.writeString(dir.resolve("report.txt"), summary, StandardCharsets.UTF_8);
    System.out.println(summary);

    assertThat(report.violations()).as(summary).isEmpty();
    assertThat(report.counts().get("calls")).as("calls made").isGreaterThanOrEqualTo(targetCalls);
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
      String id, ClientProxies proxies, RedisSentinelSetup redis, RedisServer store) {
    return new FaultWorker.Settings(
        id,
        THREADS,
        redis.masterName(),
        redis.sentinels().stream().map(RedisServer::port).toList(),
        proxies.portMap(),
        store.address(),
        dir.resolve(id + ".history").toAbsolutePath(),
        seed,
        PRODUCTS,
        HOT_PRODUCTS,
        LEASE,
        WAIT,
        SLEEP_MILLIS,
        THINK_MILLIS,
        replicaAcks,
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
      FaultSchedule schedule,
      Workers workers,
      double baseline,
      List<FaultRecord> faults)
      throws InterruptedException {
    long deadline = System.nanoTime() + maxFaultTime.toNanos();
    while (workers.calls() < targetCalls
        || countByKind(faults).values().stream().anyMatch(n -> n < minPerKind)
        || countByKind(faults).size() < FaultKind.values().length) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "The faults took longer than "
                + maxFaultTime
                + ": "
                + workers.calls()
                + " calls, faults "
                + countByKind(faults));
      }
      FaultRecord fault = nemesis.inject(schedule.next(nemesis.masterReady()));
      faults.add(fault);
      Duration recovery = awaitRecovery(workers, baseline, fault.healedNanos());
      log(
          "%3d %-18s %-26s took %5d ms, recovered %s; %,d calls",
          faults.size(),
          fault.kind(),
          fault.target(),
          Duration.ofNanos(fault.healedNanos() - fault.startNanos()).toMillis(),
          recovery == null ? "NOT within " + MAX_RECOVERY : "after " + recovery.toMillis() + " ms",
          workers.calls());
      Thread.sleep(300 + schedule.choose(500));
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
      CheckReport report, List<FaultRecord> faults, int incompleteFailovers, Duration wallTime) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "Fault suite: seed %d, %d workers x %d threads, lease %d ms, wait %d ms, ε %d ms,"
                + " replica acknowledgements %d, wall time %d s%n",
            seed,
            WORKERS,
            THREADS,
            LEASE.toMillis(),
            WAIT.toMillis(),
            epsilon.toMillis(),
            replicaAcks,
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
    text.append(
        String.format(
            "  failovers Sentinel did not complete (a SENTINEL FAILOVER undone, a paused master not"
                + " replaced): %d%n",
            incompleteFailovers));
    return text.toString();
  }

  private static void log(String format, Object... args) {
    System.out.printf("[faults] " + format + "%n", args);
  }
}
