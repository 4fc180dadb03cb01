package dev.holdfast.lock.micrometer;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Records lock calls in a Micrometer {@link MeterRegistry}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #WAIT}</td><td>timer</td><td>policy, outcome</td>
 *       <td>time spent acquiring; outcome {@code acquired}, {@code timed_out} or {@code
 *       interrupted}</td></tr>
 *   <tr><td>{@value #HELD}</td><td>timer</td><td>policy</td>
 *       <td>time from acquisition to release</td></tr>
 *   <tr><td>{@value #LOST}</td><td>counter</td><td>policy</td>
 *       <td>calls whose release found a lease ended</td></tr>
 *   <tr><td>{@value #BACKEND_ERRORS}</td><td>counter</td><td>policy</td>
 *       <td>backend failures while acquiring, releasing, or answering the callback's own {@code
 *       HeldLocks.isHeld()} or {@code checkHeld()}</td></tr>
 * </table>
 *
 * <p>The wait timer's count per outcome gives the acquired and timed-out counts. It publishes a
 * percentile histogram (Micrometer's default buckets, 1 ms to 30 s for a timer), so that a registry
 * that aggregates on the server, such as Prometheus, can compute a wait-time p99 per policy across
 * instances and an alert can be written on it; a {@code MeterFilter} can turn it off. The {@code
 * policy} tag is the {@link dev.holdfast.lock.LockPolicy} name of the call's keys, never a key:
 * keys such as {@code lock:product:<id>} are unbounded, and a tag per key would grow the registry
 * without limit. Give hot key groups their own policy to see them apart.
 *
 * <p>Thread-safe.
 */
public final class MicrometerLockListener implements LockListener {

  /** Timer of acquisition waits. */
  public static final String WAIT = "holdfast.lock.wait";

  /** Timer of hold times. */
  public static final String HELD = "holdfast.lock.held";

  /** Counter of calls that lost a lease. */
  public static final String LOST = "holdfast.lock.lost";

  /** Counter of backend failures. */
  public static final String BACKEND_ERRORS = "holdfast.lock.backend.errors";

  private final MeterRegistry registry;
  private final ConcurrentMap<String, PolicyMeters> meters = new ConcurrentHashMap<>();

  /**
   * Creates a listener that registers its meters in {@code registry}.
   *
   * @param registry the registry
   * @throws NullPointerException if {@code registry} is null
   */
  // Micrometer is optional (requires static), so the module does not pass it on: whoever creates a
  // registry to hand over here reads micrometer.core already.
  @SuppressWarnings("exports")
  public MicrometerLockListener(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
  }

  @Override
  public void onAcquired(LockRequest request, Duration waited) {
    metersOf(request).acquired.record(waited);
  }

  @Override
  public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
    metersOf(request).timedOut.record(exception.waited());
  }

  @Override
  public void onInterrupted(LockRequest request, Duration waited) {
    metersOf(request).interrupted.record(waited);
  }

  @Override
  public void onReleased(LockRequest request, Duration held) {
    metersOf(request).held.record(held);
  }

  @Override
  public void onLost(LockRequest request, List<String> lostKeys) {
    metersOf(request).lost.increment();
  }

  @Override
  public void onBackendFailure(LockRequest request, LockBackendException exception) {
    metersOf(request).backendErrors.increment();
  }

  private PolicyMeters metersOf(LockRequest request) {
    return meters.computeIfAbsent(request.policyName(), this::register);
  }

  private PolicyMeters register(String policy) {
    return new PolicyMeters(
        waitTimer(policy, "acquired"),
        waitTimer(policy, "timed_out"),
        waitTimer(policy, "interrupted"),
        Timer.builder(HELD)
            .description("Time lock keys were held, from acquisition to release")
            .tag("policy", policy)
            .register(registry),
        Counter.builder(LOST)
            .description("Lock calls during which a lease ended")
            .tag("policy", policy)
            .register(registry),
        Counter.builder(BACKEND_ERRORS)
            .description("Lock backend failures")
            .tag("policy", policy)
            .register(registry));
  }

  private Timer waitTimer(String policy, String outcome) {
    return Timer.builder(WAIT)
        .description("Time spent acquiring lock keys")
        .tag("policy", policy)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry);
  }

  @Override
  public String toString() {
    return "MicrometerLockListener{" + registry + '}';
  }

  private static final class PolicyMeters {
    final Timer acquired;
    final Timer timedOut;
    final Timer interrupted;
    final Timer held;
    final Counter lost;
    final Counter backendErrors;

    PolicyMeters(
        Timer acquired,
        Timer timedOut,
        Timer interrupted,
        Timer held,
        Counter lost,
        Counter backendErrors) {
      this.acquired = acquired;
      this.timedOut = timedOut;
      this.interrupted = interrupted;
      this.held = held;
      this.lost = lost;
      this.backendErrors = backendErrors;
    }
  }
}
