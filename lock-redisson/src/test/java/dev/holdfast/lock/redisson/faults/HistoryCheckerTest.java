package dev.holdfast.lock.redisson.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.holdfast.lock.redisson.faults.CallEvent.Op;
import dev.holdfast.lock.redisson.faults.HistoryChecker.Check;
import dev.holdfast.lock.redisson.faults.HistoryChecker.CheckReport;
import dev.holdfast.lock.redisson.faults.HistoryChecker.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The checker must be able to fail: each hand-made history breaks one rule, and the checker names
 * that rule and no other.
 */
final class HistoryCheckerTest {

  private static final int PRODUCT = 7;

  /** The slot of the worker that waits for replicas; {@code w3g0} commits all run long. */
  private static final String ACKNOWLEDGING = "w2";

  private static final long INITIAL_STOCK = 1_000;
  private static final HistoryChecker.Settings SETTINGS =
      new HistoryChecker.Settings(
          Duration.ofMillis(1000),
          Duration.ofMillis(500),
          0.5,
          Duration.ofSeconds(1),
          Duration.ofSeconds(5));

  private final List<CallEvent> events = new ArrayList<>();
  private final List<StoreRecord> records = new ArrayList<>();
  private final List<FaultRecord> faults = new ArrayList<>();
  private final List<String> leftoverKeys = new ArrayList<>();
  private final List<JvmStall> stalls = new ArrayList<>();
  private final Map<Integer, Long> finalStock = new HashMap<>(Map.of(PRODUCT, INITIAL_STOCK));
  private long lastToken;
  private int calls;

  @Test
  void findsNothingWrongInACorrectHistoryWithARecoveredFault() {
    commitEvery50MillisBetween(0, 3_000);
    fault(FaultKind.MASTER_KILL, "redis:1", 1_000, 1_300);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void reportsAnAcceptedWriteWithALowerTokenThanTheOneBefore() {
    String first = commit("w1g0", 0, 1);
    long firstToken = lastToken;
    lastToken = firstToken - 2;
    commit("w2g0", 100, 1);

    assertThat(checks()).containsExactly(Check.FENCING);
    assertThat(details())
        .anyMatch(detail -> detail.contains("after token " + firstToken + " of " + first));
  }

  @Test
  void reportsTwoOwnersWritingUnderOneToken() {
    commit("w1g0", 0, 1);
    lastToken--;
    commit("w2g0", 100, 1);

    assertThat(checks()).containsExactly(Check.FENCING);
  }

  @Test
  void reportsAWriteThatCarriedAnotherTokenThanItsCallAcquired() {
    String call = commit("w1g0", 0, 1);
    events.replaceAll(
        event ->
            event.op() == Op.ACQUIRED
                ? new CallEvent(
                    event.nanos(),
                    event.worker(),
                    call,
                    Op.ACQUIRED,
                    "-",
                    event.items(),
                    Map.of(PRODUCT, lastToken + 5))
                : event);

    assertThat(checks()).containsExactly(Check.FENCING);
  }

  @Test
  void reportsALostUpdate() {
    commit("w1g0", 0, 2);
    // Read before the first write and written after it: 1000 - 3 instead of 998 - 3.
    String call = call("w2g0", 100, 3, Op.OK, "-");
    records.add(acceptedWrite(call, INITIAL_STOCK - 3, 3));
    finalStock.put(PRODUCT, INITIAL_STOCK - 3);

    assertThat(checks()).containsExactly(Check.STOCK);
    assertThat(details()).anyMatch(detail -> detail.contains("lost update"));
  }

  @Test
  void reportsAFinalStockThatIsNotTheInitialMinusTheConfirmedUnits() {
    commit("w1g0", 0, 2);
    finalStock.put(PRODUCT, INITIAL_STOCK - 1);

    assertThat(checks()).containsExactly(Check.STOCK);
  }

  @Test
  void reportsANegativeStock() {
    String call = call("w1g0", 0, 1_001, Op.OK, "-");
    records.add(acceptedWrite(call, -1, 1_001));
    finalStock.put(PRODUCT, -1L);

    assertThat(checks()).containsExactly(Check.STOCK);
    assertThat(details()).anyMatch(detail -> detail.contains("negative"));
  }

  @Test
  void reportsASuccessTheStoreNeverAccepted() {
    call("w1g0", 0, 1, Op.OK, "-");

    assertThat(checks()).containsExactly(Check.CONFIRMATION);
  }

  @Test
  void reportsARefusalWhoseWriteTheStoreAccepted() {
    String call = call("w1g0", 0, 1, Op.FAIL, "OrderRefusedException:STALE_FENCE");
    records.add(acceptedWrite(call, INITIAL_STOCK - 1, 1));
    finalStock.put(PRODUCT, INITIAL_STOCK - 1);

    assertThat(checks()).containsExactly(Check.CONFIRMATION);
  }

  @Test
  void acceptsACommitThatWasThenReportedLost() {
    String call = call("w1g0", 0, 1, Op.FAIL, "LockLostException");
    records.add(acceptedWrite(call, INITIAL_STOCK - 1, 1));
    finalStock.put(PRODUCT, INITIAL_STOCK - 1);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void reportsAFailureOfAnotherTypeThanTheLocksOrTheWorkloads() {
    call("w1g0", 0, 1, Op.FAIL, "RedisTimeoutException");

    assertThat(checks()).containsExactly(Check.OUTCOME_TYPE);
  }

  @Test
  void reportsAFailureLaterThanTheWaitPlusEpsilon() {
    failedAfter("w1g0", 0, 1_600);

    assertThat(checks()).containsExactly(Check.TIMELINESS);
  }

  @Test
  void excusesALateFailureOfAClientThatWasPaused() {
    failedAfter("w1g0", 0, 4_000);
    failedAfter("w2g0", 0, 1_400);
    fault(FaultKind.CLIENT_PAUSE, "w1g0", 500, 3_500);
    commitEvery50MillisBetween(3_500, 5_000);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void doesNotCountTheTimeAJvmDidNotRunAgainstItsCall() {
    failedAfter("w1g0", 0, 3_000);
    stalls.add(new JvmStall("w1g0", nanos(1_000), nanos(2_600)));

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void reportsALateFailureThatAStallOfItsJvmDoesNotExplain() {
    failedAfter("w1g0", 0, 3_000);
    failedAfter("w2g0", 0, 3_000);
    stalls.add(new JvmStall("w1g0", nanos(1_000), nanos(1_200)));
    stalls.add(new JvmStall("w1g0", nanos(4_000), nanos(6_000)));
    stalls.add(new JvmStall("w3g0", nanos(500), nanos(2_900)));

    assertThat(check().violations())
        .extracting(Violation::check, violation -> violation.detail().substring(0, 9))
        .containsExactlyInAnyOrder(
            tuple(Check.TIMELINESS, "w1g0-t0-0"), tuple(Check.TIMELINESS, "w2g0-t0-1"));
  }

  @Test
  void reportsAnInterruptThatLeftTheFlagCleared() {
    call("w1g0", 0, 1, Op.FAIL, "LockInterruptedException:flag-cleared");

    assertThat(checks()).containsExactly(Check.INTERRUPT_FLAG);
  }

  @Test
  void reportsACallThatNeverEndedUnlessItsJvmWasKilled() {
    commitEvery50MillisBetween(0, 3_000);
    events.add(event("w1g0", "w1g0-t9-0", 1_000, Op.INVOKE, "-", Map.of()));
    events.add(event("w2g0", "w2g0-t9-0", 1_000, Op.INVOKE, "-", Map.of()));
    fault(FaultKind.CLIENT_KILL, "w2g0", 1_010, 1_020);

    assertThat(check().violations())
        .extracting(Violation::check, Violation::detail)
        .containsExactly(tuple(Check.UNFINISHED_CALL, "w1g0-t9-0 began and never ended"));
  }

  @Test
  void reportsALockKeyLeftBehind() {
    leftoverKeys.add("lock:product:7");

    assertThat(checks()).containsExactly(Check.LEFTOVER_KEY);
  }

  @Test
  void reportsThroughputThatDoesNotComeBackAfterAFault() {
    commitEvery50MillisBetween(0, 2_000);
    fault(FaultKind.TCP_FREEZE, "w1g0", 2_000, 2_100);
    // After the fault, one call every 2 s: a tenth of the baseline.
    for (long at = 2_100; at < 9_000; at += 2_000) {
      commit("w1g0", at, 1);
    }

    assertThat(checks()).containsExactly(Check.RECOVERY);
  }

  @Test
  void measuresHowLongAfterHealingTheThroughputCameBack() {
    commitEvery50MillisBetween(0, 2_000);
    fault(FaultKind.TCP_FREEZE, "w1g0", 2_000, 2_100);
    commitEvery50MillisBetween(3_100, 5_000);

    CheckReport report = check();

    assertThat(report.violations()).isEmpty();
    // 20 per second before: 10 calls needed, the 10th ends at 3,100 + 9 * 50 + 10 ms.
    assertThat(report.recoveries().values()).containsExactly(Duration.ofMillis(1_460));
  }

  @Test
  void findsNothingWrongWhenOnlyTheAcknowledgingClientWasRefusedWhileReplicationWasFrozen() {
    commitEvery50MillisBetween(0, 3_000);
    failedWith("w2g1", 1_200, "LockBackendException:" + FaultWorker.NOT_DURABLE);
    fault(FaultKind.REPLICATION_FREEZE, "redis:1", 1_000, 1_500);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void reportsAnAcknowledgingClientThatGotKeysWhileReplicationWasFrozen() {
    commitEvery50MillisBetween(0, 3_000);
    String acknowledged = commit("w2g1", 1_200, 1);
    fault(FaultKind.REPLICATION_FREEZE, "redis:1", 1_000, 1_500);

    assertThat(checks()).containsExactly(Check.FAULT_EFFECT);
    assertThat(details()).singleElement().asString().startsWith(acknowledged + " acquired 201 ms");
  }

  @Test
  void reportsPlainClientsThatStoppedWhileReplicationWasFrozen() {
    commitEvery50MillisBetween(0, 1_000);
    commitEvery50MillisBetween(1_550, 3_000);
    fault(FaultKind.REPLICATION_FREEZE, "redis:1", 1_000, 1_500);

    assertThat(checks()).containsExactly(Check.FAULT_EFFECT);
  }

  @Test
  void findsNothingWrongWhenFullMemoryRefusedEveryAcquisitionAsABackendFailure() {
    commitEvery50MillisBetween(0, 1_000);
    commitEvery50MillisBetween(1_550, 3_000);
    failedWith("w3g0", 1_100, "LockBackendException:" + FaultWorker.OUT_OF_MEMORY);
    fault(FaultKind.MEMORY_FULL, "redis:1", 1_000, 1_500);

    assertThat(check().violations()).isEmpty();
  }

  @Test
  void reportsAnAcquisitionWhileRedisAnsweredOutOfMemory() {
    commitEvery50MillisBetween(0, 3_000);
    failedWith("w3g0", 1_100, "LockBackendException:" + FaultWorker.OUT_OF_MEMORY);
    fault(FaultKind.MEMORY_FULL, "redis:1", 1_000, 1_500);

    assertThat(checks()).containsOnly(Check.FAULT_EFFECT);
    assertThat(details()).allMatch(detail -> detail.contains("into MEMORY_FULL on redis:1"));
  }

  @Test
  void reportsAFullMemoryThatNoCallWasRefusedFor() {
    commitEvery50MillisBetween(0, 1_000);
    commitEvery50MillisBetween(1_550, 3_000);
    failedWith("w3g0", 1_100, "LockNotAcquiredException");
    fault(FaultKind.MEMORY_FULL, "redis:1", 1_000, 1_500);

    assertThat(checks()).containsExactly(Check.FAULT_EFFECT);
    assertThat(details())
        .singleElement()
        .asString()
        .contains("refused with a LockBackendException");
  }

  private CheckReport check() {
    return HistoryChecker.check(
        new HistoryChecker.Input(
            events,
            records,
            Map.of(PRODUCT, INITIAL_STOCK),
            finalStock,
            leftoverKeys,
            faults,
            Set.of(ACKNOWLEDGING),
            stalls),
        SETTINGS);
  }

  private List<Check> checks() {
    return check().violations().stream().map(Violation::check).distinct().toList();
  }

  private List<String> details() {
    return check().violations().stream().map(Violation::detail).toList();
  }

  private void commitEvery50MillisBetween(long fromMillis, long toMillis) {
    for (long at = fromMillis; at < toMillis; at += 50) {
      commit("w3g0", at, 1);
    }
  }

  /** A call that takes {@code quantity} units 10 ms after {@code atMillis}, and its write. */
  private String commit(String worker, long atMillis, int quantity) {
    String call = call(worker, atMillis, quantity, Op.OK, "-");
    long stock = finalStock.get(PRODUCT) - quantity;
    records.add(acceptedWrite(call, stock, quantity));
    finalStock.put(PRODUCT, stock);
    return call;
  }

  /** A call that acquires at once and ends 10 ms later with {@code op}. */
  private String call(String worker, long atMillis, int quantity, Op op, String detail) {
    String call = worker + "-t0-" + calls++;
    lastToken++;
    events.add(event(worker, call, atMillis, Op.INVOKE, "-", Map.of(), quantity));
    events.add(
        event(worker, call, atMillis + 1, Op.ACQUIRED, "-", Map.of(PRODUCT, lastToken), quantity));
    events.add(event(worker, call, atMillis + 10, op, detail, Map.of(), quantity));
    return call;
  }

  /** A call that gives up waiting {@code afterMillis} after it began. */
  private void failedAfter(String worker, long atMillis, long afterMillis) {
    String call = worker + "-t0-" + calls++;
    events.add(event(worker, call, atMillis, Op.INVOKE, "-", Map.of()));
    events.add(
        event(worker, call, atMillis + afterMillis, Op.FAIL, "LockNotAcquiredException", Map.of()));
  }

  /** A call that fails without acquiring 10 ms after it began, with {@code detail}. */
  private void failedWith(String worker, long atMillis, String detail) {
    String call = worker + "-t0-" + calls++;
    events.add(event(worker, call, atMillis, Op.INVOKE, "-", Map.of()));
    events.add(event(worker, call, atMillis + 10, Op.FAIL, detail, Map.of()));
  }

  private StoreRecord acceptedWrite(String call, long stock, int quantity) {
    return new StoreRecord(
        StoreRecord.WRITE, true, PRODUCT, lastToken, call, 0, stock, quantity, "-");
  }

  private void fault(FaultKind kind, String target, long startMillis, long healedMillis) {
    faults.add(new FaultRecord(kind, target, nanos(startMillis), nanos(healedMillis)));
  }

  private static CallEvent event(
      String worker, String call, long atMillis, Op op, String detail, Map<Integer, Long> tokens) {
    return event(worker, call, atMillis, op, detail, tokens, 1);
  }

  private static CallEvent event(
      String worker,
      String call,
      long atMillis,
      Op op,
      String detail,
      Map<Integer, Long> tokens,
      int quantity) {
    return new CallEvent(
        nanos(atMillis),
        worker,
        call,
        op,
        detail,
        List.of(new OrderItem(PRODUCT, quantity)),
        tokens);
  }

  private static long nanos(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
