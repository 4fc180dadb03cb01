package dev.holdfast.lock.redisson.faults;

import dev.holdfast.lock.redisson.faults.CallEvent.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks a fault run: the merged client histories against the store's record of every write, the
 * stock the store ended with, the lock keys Redis still held, and the faults injected.
 *
 * <p>The checks, one {@link Check} each: accepted writes carry non-decreasing fencing tokens and no
 * two owners share one; stock never went negative and ends at its initial value minus what the
 * accepted orders took, with every write based on the previous one; a call reported successful was
 * committed; every failure is one of the lock's exception types or the workload's own refusal, came
 * within the wait time plus ε (not counting stretches in which its JVM did not run), and restored
 * the interrupt flag where it reports one; every call ended unless its JVM was killed; no lock key
 * was left; after every fault the throughput came back; and the faults that must change what the
 * lock answers did: while the replicas could acknowledge nothing, no acknowledging client got keys
 * and the others did, and while Redis answered {@code OOM}, nobody got keys and some call was
 * refused with a {@code LockBackendException} for it.
 */
final class HistoryChecker {

  /** The failure types a call may end with: the lock's four, and the workload's own refusal. */
  static final Set<String> EXPECTED_FAILURES =
      Set.of(
          "LockNotAcquiredException",
          "LockInterruptedException",
          "LockBackendException",
          "LockLostException",
          OrderRefusedException.class.getSimpleName());

  /** What a run is checked for. */
  enum Check {
    FENCING,
    STOCK,
    CONFIRMATION,
    OUTCOME_TYPE,
    TIMELINESS,
    INTERRUPT_FLAG,
    UNFINISHED_CALL,
    LEFTOVER_KEY,
    RECOVERY,
    FAULT_EFFECT
  }

  /**
   * A broken rule, with what the checker saw.
   *
   * @param check the rule
   * @param detail the calls, tokens, times involved
   */
  record Violation(Check check, String detail) {}

  /**
   * What the checker allows.
   *
   * @param waitTime the wait time every call asked for
   * @param epsilon how far past its wait a call may end (the provider's response timeout plus
   *     scheduling slack)
   * @param recoveryFraction the share of the baseline throughput that counts as recovered
   * @param recoveryWindow the window throughput is measured over
   * @param maxRecovery how long after a fault was healed the throughput must have recovered
   */
  record Settings(
      Duration waitTime,
      Duration epsilon,
      double recoveryFraction,
      Duration recoveryWindow,
      Duration maxRecovery) {}

  /**
   * Everything a run left behind.
   *
   * @param events the merged client histories, in any order
   * @param records the store's record, in the order it applied them
   * @param initialStock each product's stock before the run
   * @param finalStock each product's stock after it
   * @param leftoverKeys lock keys found on the masters once the load stopped and a lease had passed
   * @param faults the faults injected, in order
   * @param acknowledgingWorkers the worker slots ({@code w3}, whatever the generation) whose client
   *     waits for replicas to acknowledge its acquisitions
   * @param stalls the stretches in which a worker JVM did not run, as its stall watch saw them
   */
  record Input(
      List<CallEvent> events,
      List<StoreRecord> records,
      Map<Integer, Long> initialStock,
      Map<Integer, Long> finalStock,
      List<String> leftoverKeys,
      List<FaultRecord> faults,
      Set<String> acknowledgingWorkers,
      List<JvmStall> stalls) {}

  /** The events of one call. */
  private static final class Call {
    @Nullable CallEvent invoke;
    @Nullable CallEvent acquired;
    @Nullable CallEvent end;
  }

  private final Settings settings;
  private final Input input;
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, Call> calls = new LinkedHashMap<>();
  private final Map<String, List<StoreRecord>> acceptedWritesByOwner = new HashMap<>();

  private HistoryChecker(Input input, Settings settings) {
    this.input = input;
    this.settings = settings;
  }

  static CheckReport check(Input input, Settings settings) {
    return new HistoryChecker(input, settings).run();
  }

  private CheckReport run() {
    input.events().stream()
        .sorted(Comparator.comparingLong(CallEvent::nanos))
        .forEach(this::collect);
    for (StoreRecord record : input.records()) {
      if (record.isAcceptedWrite()) {
        acceptedWritesByOwner
            .computeIfAbsent(record.owner(), owner -> new ArrayList<>())
            .add(record);
      }
    }
    checkFencing();
    checkStock();
    checkConfirmation();
    checkCalls();
    input.leftoverKeys().forEach(key -> violate(Check.LEFTOVER_KEY, key + " still exists"));
    input.faults().forEach(this::checkEffect);
    Map<FaultRecord, @Nullable Duration> recoveries = checkRecovery();
    return new CheckReport(violations, summarize(), recoveries);
  }

  private void collect(CallEvent event) {
    Call call = calls.computeIfAbsent(event.callId(), id -> new Call());
    switch (event.op()) {
      case INVOKE -> call.invoke = event;
      case ACQUIRED -> call.acquired = event;
      case OK, FAIL -> call.end = event;
    }
  }

  private void checkFencing() {
    Map<Integer, StoreRecord> lastAccepted = new HashMap<>();
    int index = 0;
    for (StoreRecord write : input.records()) {
      index++;
      if (!write.isAcceptedWrite()) {
        continue;
      }
      StoreRecord last = lastAccepted.put(write.product(), write);
      if (last != null && write.token() < last.token()) {
        violate(
            Check.FENCING,
            "product %d: write #%d by %s with token %d accepted after token %d of %s",
            write.product(),
            index,
            write.owner(),
            write.token(),
            last.token(),
            last.owner());
      } else if (last != null
          && write.token() == last.token()
          && !write.owner().equals(last.owner())) {
        violate(
            Check.FENCING,
            "product %d: write #%d by %s and an earlier one by %s both accepted under token %d",
            write.product(),
            index,
            write.owner(),
            last.owner(),
            write.token());
      }
      Call call = calls.get(write.owner());
      Long acquiredToken =
          call == null || call.acquired == null
              ? null
              : call.acquired.tokens().get(write.product());
      if (acquiredToken != null && acquiredToken != write.token()) {
        violate(
            Check.FENCING,
            "product %d: %s acquired token %d but write #%d carried %d",
            write.product(),
            write.owner(),
            acquiredToken,
            index,
            write.token());
      }
    }
  }

  private void checkStock() {
    Map<Integer, Long> running = new TreeMap<>(input.initialStock());
    Map<Integer, Long> deducted = new HashMap<>();
    int index = 0;
    for (StoreRecord write : input.records()) {
      index++;
      if (!write.isAcceptedWrite()) {
        continue;
      }
      long before = running.getOrDefault(write.product(), 0L);
      long expected = before - write.quantity();
      if (write.stock() != expected) {
        violate(
            Check.STOCK,
            "product %d: write #%d by %s set stock %d, but the previous accepted stock %d minus %d"
                + " is %d (a lost update)",
            write.product(),
            index,
            write.owner(),
            write.stock(),
            before,
            write.quantity(),
            expected);
      }
      if (write.stock() < 0) {
        violate(
            Check.STOCK,
            "product %d: write #%d by %s set a negative stock %d",
            write.product(),
            index,
            write.owner(),
            write.stock());
      }
      running.put(write.product(), write.stock());
      deducted.merge(write.product(), (long) write.quantity(), Long::sum);
    }
    input
        .initialStock()
        .forEach(
            (product, initial) -> {
              long expected = initial - deducted.getOrDefault(product, 0L);
              Long actual = input.finalStock().get(product);
              if (actual == null || actual != expected || actual < 0) {
                violate(
                    Check.STOCK,
                    "product %d: final stock %s, expected %d (initial %d minus %d confirmed units)",
                    product,
                    actual,
                    expected,
                    initial,
                    deducted.getOrDefault(product, 0L));
              }
            });
  }

  private void checkConfirmation() {
    calls.forEach(
        (callId, call) -> {
          List<StoreRecord> writes = acceptedWritesByOwner.getOrDefault(callId, List.of());
          CallEvent end = call.end;
          if (end != null && end.op() == Op.OK && writes.size() != end.items().size()) {
            violate(
                Check.CONFIRMATION,
                "%s succeeded with %d items, but the store accepted %d writes of it",
                callId,
                end.items().size(),
                writes.size());
          }
          if (end != null
              && end.op() == Op.FAIL
              && !writes.isEmpty()
              && !committedFailureMayHappen(end)) {
            violate(
                Check.CONFIRMATION,
                "%s failed with %s, but the store accepted its write",
                callId,
                end.detail());
          }
        });
    acceptedWritesByOwner.keySet().stream()
        .filter(owner -> !calls.containsKey(owner) && !wasKilled(workerOf(owner)))
        .forEach(
            owner ->
                violate(
                    Check.CONFIRMATION,
                    "the store accepted a write of %s, which no history mentions",
                    owner));
  }

  /** After a commit, the lease can be found lost, or the release can fail: still a commit. */
  private static boolean committedFailureMayHappen(CallEvent end) {
    return end.failureType().equals("LockLostException")
        || end.failureType().equals("LockBackendException");
  }

  private void checkCalls() {
    long allowedAcquireNanos = settings.waitTime().plus(settings.epsilon()).toNanos();
    calls.forEach(
        (callId, call) -> {
          CallEvent invoke = call.invoke;
          CallEvent end = call.end;
          if (invoke == null) {
            // Lines of a JVM killed mid-write, or a history that starts mid-call: nothing to time.
            return;
          }
          if (end == null) {
            if (!wasKilled(invoke.worker())) {
              violate(Check.UNFINISHED_CALL, "%s began and never ended", callId);
            }
            return;
          }
          if (end.op() == Op.FAIL && !EXPECTED_FAILURES.contains(end.failureType())) {
            violate(Check.OUTCOME_TYPE, "%s failed with %s", callId, end.detail());
          }
          if (end.failureType().equals("LockInterruptedException")
              && !end.detail().endsWith(":" + FaultWorker.FLAG_RESTORED)) {
            violate(Check.INTERRUPT_FLAG, "%s: %s", callId, end.detail());
          }
          CallEvent acquiredOrGaveUp = call.acquired != null ? call.acquired : end;
          long acquireNanos = acquiredOrGaveUp.nanos() - invoke.nanos();
          long notRunningNanos =
              stalledNanos(invoke.worker(), invoke.nanos(), acquiredOrGaveUp.nanos());
          if (acquireNanos - notRunningNanos > allowedAcquireNanos
              && !clientStalled(invoke.worker(), invoke.nanos(), acquiredOrGaveUp.nanos())) {
            violate(
                Check.TIMELINESS,
                "%s %s after %d ms (%d ms of them with its JVM not running), more than the wait"
                    + " %d ms plus ε %d ms (%s)",
                callId,
                call.acquired != null ? "acquired" : "gave up",
                Duration.ofNanos(acquireNanos).toMillis(),
                Duration.ofNanos(notRunningNanos).toMillis(),
                settings.waitTime().toMillis(),
                settings.epsilon().toMillis(),
                end.op() == Op.OK ? "then succeeded" : end.detail());
          }
        });
  }

  /**
   * A frozen replication must stop the acknowledging clients' acquisitions, not the others'; a full
   * memory must stop every acquisition, with {@code OOM} reported as a backend failure. Only calls
   * begun after the fault started count: one begun before may have been answered before it.
   */
  private void checkEffect(FaultRecord fault) {
    if (fault.kind() != FaultKind.REPLICATION_FREEZE && fault.kind() != FaultKind.MEMORY_FULL) {
      return;
    }
    long servedWithoutAcknowledgement = 0;
    long refusedForMemory = 0;
    for (Map.Entry<String, Call> entry : calls.entrySet()) {
      Call call = entry.getValue();
      CallEvent invoke = call.invoke;
      if (invoke == null || invoke.nanos() - fault.startNanos() <= 0) {
        continue;
      }
      boolean acknowledging = input.acknowledgingWorkers().contains(slotOf(invoke.worker()));
      CallEvent acquired = call.acquired;
      boolean acquiredDuring = acquired != null && acquired.nanos() - fault.healedNanos() < 0;
      if (acquiredDuring && (fault.kind() == FaultKind.MEMORY_FULL || acknowledging)) {
        violate(
            Check.FAULT_EFFECT,
            "%s acquired %d ms into %s on %s, which should have refused it",
            entry.getKey(),
            Duration.ofNanos(acquired.nanos() - fault.startNanos()).toMillis(),
            fault.kind(),
            fault.target());
      }
      CallEvent end = call.end;
      if (end == null || end.nanos() - fault.healedNanos() >= 0) {
        continue;
      }
      if (end.op() == Op.OK && !acknowledging) {
        servedWithoutAcknowledgement++;
      }
      if (end.detail().equals("LockBackendException:" + FaultWorker.OUT_OF_MEMORY)) {
        refusedForMemory++;
      }
    }
    if (fault.kind() == FaultKind.REPLICATION_FREEZE && servedWithoutAcknowledgement == 0) {
      violate(
          Check.FAULT_EFFECT,
          "no client that does not wait for replicas was served during %s on %s",
          fault.kind(),
          fault.target());
    }
    if (fault.kind() == FaultKind.MEMORY_FULL && refusedForMemory == 0) {
      violate(
          Check.FAULT_EFFECT,
          "no call was refused with a LockBackendException for OOM during %s on %s",
          fault.kind(),
          fault.target());
    }
  }

  private Map<FaultRecord, @Nullable Duration> checkRecovery() {
    long[] served = servedNanos();
    Map<FaultRecord, @Nullable Duration> recoveries = new LinkedHashMap<>();
    if (input.faults().isEmpty()) {
      return recoveries;
    }
    if (served.length == 0) {
      violate(Check.RECOVERY, "no call was served at all");
      return recoveries;
    }
    long window = settings.recoveryWindow().toNanos();
    double baseline = baselinePerWindow(served, window);
    int needed = Math.max(1, (int) Math.ceil(settings.recoveryFraction() * baseline));
    List<FaultRecord> faults = input.faults();
    for (int i = 0; i < faults.size(); i++) {
      FaultRecord fault = faults.get(i);
      long limit = fault.healedNanos() + settings.maxRecovery().toNanos();
      if (i + 1 < faults.size() && faults.get(i + 1).startNanos() - limit < 0) {
        limit = faults.get(i + 1).startNanos();
      }
      Long recoveredAt = firstWindowWith(served, needed, window, fault.healedNanos(), limit);
      Duration recovery =
          recoveredAt == null ? null : Duration.ofNanos(recoveredAt - fault.healedNanos());
      recoveries.put(fault, recovery);
      if (recovery == null) {
        violate(
            Check.RECOVERY,
            "%s on %s: fewer than %d calls served in any %d ms within %d ms of healing"
                + " (baseline %.1f per window)",
            fault.kind(),
            fault.target(),
            needed,
            settings.recoveryWindow().toMillis(),
            Duration.ofNanos(limit - fault.healedNanos()).toMillis(),
            baseline);
      }
    }
    return recoveries;
  }

  /** End times of the calls whose callback ran to its end: committed or out of stock. */
  private long[] servedNanos() {
    return calls.values().stream()
        .map(call -> call.end)
        .filter(Objects::nonNull)
        .filter(
            end ->
                end.op() == Op.OK
                    || end.detail().equals(OrderRefusedException.Reason.OUT_OF_STOCK.label()))
        .mapToLong(CallEvent::nanos)
        .sorted()
        .toArray();
  }

  /**
   * The median number of calls served per window before the first fault: the throughput to recover
   * to. Without a window before the first fault, the median over the whole run.
   */
  private double baselinePerWindow(long[] served, long window) {
    long firstFault =
        input.faults().stream().mapToLong(FaultRecord::startNanos).min().orElse(Long.MAX_VALUE);
    List<Integer> beforeFaults = new ArrayList<>();
    List<Integer> all = new ArrayList<>();
    int next = 0;
    for (long from = served[0]; from - served[served.length - 1] <= 0; from += window) {
      long to = from + window;
      int count = 0;
      while (next < served.length && served[next] - to < 0) {
        count++;
        next++;
      }
      all.add(count);
      if (to - firstFault <= 0) {
        beforeFaults.add(count);
      }
    }
    return median(beforeFaults.isEmpty() ? all : beforeFaults);
  }

  private static double median(List<Integer> values) {
    List<Integer> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
  }

  /** The end of the first window of {@code window} ns after {@code from} with {@code needed}. */
  private static @Nullable Long firstWindowWith(
      long[] served, int needed, long window, long from, long limit) {
    int start = lowerBound(served, from);
    for (int last = start + needed - 1; last < served.length; last++) {
      if (served[last] - limit > 0) {
        return null;
      }
      if (served[last] - served[last - needed + 1] <= window) {
        return served[last];
      }
    }
    return null;
  }

  private static int lowerBound(long[] sorted, long value) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (sorted[middle] - value < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private boolean wasKilled(String worker) {
    return input.faults().stream()
        .anyMatch(fault -> fault.kind() == FaultKind.CLIENT_KILL && fault.target().equals(worker));
  }

  /** How long within {@code [fromNanos, toNanos]} the worker's JVM did not run. */
  private long stalledNanos(String worker, long fromNanos, long toNanos) {
    return input.stalls().stream()
        .filter(stall -> stall.worker().equals(worker))
        .mapToLong(stall -> stall.overlapNanos(fromNanos, toNanos))
        .sum();
  }

  private boolean clientStalled(String worker, long fromNanos, long toNanos) {
    return input.faults().stream()
        .anyMatch(
            fault ->
                fault.kind().stallsClient()
                    && fault.target().equals(worker)
                    && fault.overlaps(fromNanos, toNanos));
  }

  /** {@code w3} of {@code w3g1}: the slot, whatever the generation. */
  private static String slotOf(String worker) {
    int generation = worker.indexOf('g');
    return generation < 0 ? worker : worker.substring(0, generation);
  }

  private static String workerOf(String callId) {
    return callId.substring(0, callId.indexOf('-'));
  }

  private Map<String, Long> summarize() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("calls", (long) calls.size());
    counts.put(
        "succeeded",
        calls.values().stream().filter(c -> c.end != null && c.end.op() == Op.OK).count());
    calls.values().stream()
        .map(call -> call.end)
        .filter(end -> end != null && end.op() == Op.FAIL)
        .collect(
            Collectors.groupingBy(
                end -> "failed " + Objects.requireNonNull(end).detail(),
                TreeMap::new,
                Collectors.counting()))
        .forEach(counts::put);
    counts.put("JVM stalls (over 200 ms without running)", (long) input.stalls().size());
    counts.put(
        "unfinished (JVM killed)",
        calls.values().stream().filter(c -> c.invoke != null && c.end == null).count());
    counts.put(
        "committed, then reported failed",
        calls.entrySet().stream()
            .filter(
                e ->
                    e.getValue().end != null
                        && Objects.requireNonNull(e.getValue().end).op() == Op.FAIL
                        && acceptedWritesByOwner.containsKey(e.getKey()))
            .count());
    Map<String, Long> records =
        input.records().stream()
            .collect(
                Collectors.groupingBy(
                    r -> "store " + r.op() + "s " + (r.accepted() ? "accepted" : "refused"),
                    TreeMap::new,
                    Collectors.counting()));
    counts.putAll(records);
    return counts;
  }

  private void violate(Check check, String format, @Nullable Object... args) {
    violations.add(new Violation(check, String.format(format, args)));
  }

  /**
   * What a check found.
   *
   * @param violations every violation, in the order found
   * @param counts how many calls ended how, and the store's tallies
   * @param recoveries per fault, how long after it was healed the throughput was back, or null if
   *     it never was in time
   */
  record CheckReport(
      List<Violation> violations,
      Map<String, Long> counts,
      Map<FaultRecord, @Nullable Duration> recoveries) {

    private static final int SHOWN_PER_CHECK = 10;

    /** The counts, and the first violations of each check. */
    String describe() {
      StringBuilder text = new StringBuilder();
      counts.forEach((name, count) -> text.append(String.format("  %-40s %,d%n", name, count)));
      Map<Check, List<Violation>> byCheck = new EnumMap<>(Check.class);
      violations.forEach(v -> byCheck.computeIfAbsent(v.check(), c -> new ArrayList<>()).add(v));
      text.append(String.format("violations: %d%n", violations.size()));
      byCheck.forEach(
          (check, found) -> {
            text.append(String.format("  %s: %d%n", check, found.size()));
            found.stream()
                .limit(SHOWN_PER_CHECK)
                .forEach(v -> text.append("    ").append(v.detail()).append('\n'));
          });
      return text.toString();
    }
  }
}
