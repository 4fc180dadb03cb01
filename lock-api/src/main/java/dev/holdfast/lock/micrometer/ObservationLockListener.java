package dev.holdfast.lock.micrometer;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reports each acquisition as a Micrometer {@link Observation} named {@value #NAME}, from the
 * moment the request is sent to the backend until every key is held or the call has failed: with a
 * tracing bridge the wait appears as a child span of whatever observation is current on the calling
 * thread (the HTTP request's, typically), and with a meter handler as a timer.
 *
 * <table>
 *   <caption>Key values</caption>
 *   <tr><th>key</th><th>cardinality</th><th>values</th></tr>
 *   <tr><td>{@value #POLICY}</td><td>low</td><td>the {@link dev.holdfast.lock.LockPolicy} name of
 *       the call's keys</td></tr>
 *   <tr><td>{@value #OUTCOME}</td><td>low</td><td>{@code acquired}, {@code timed_out}, {@code
 *       interrupted} or {@code backend_error}</td></tr>
 *   <tr><td>{@value #KEYS}</td><td>high</td><td>the keys, comma-separated, in acquisition
 *       order</td></tr>
 * </table>
 *
 * <p>Keys are a high-cardinality value only: a tracing span carries them, while a meter handler,
 * which tags with low-cardinality values only, does not turn them into tags. A timed-out wait and a
 * backend failure also record the exception the caller receives as the observation's error.
 *
 * <p>The name differs from {@link MicrometerLockListener#WAIT} on purpose: where both listeners run
 * and the observation registry also records timers, two meters of one name with different tag keys
 * would be refused by registries such as Prometheus.
 *
 * <p>The template calls a listener on the thread that makes the lock call, and one thread waits for
 * at most one acquisition at a time (a nested call starts its own only once the outer one holds its
 * keys), so the observation in progress is kept per thread. Re-entrant calls that acquire nothing
 * report nothing and start no observation. Only the Observation API of Micrometer 1.10 is used.
 *
 * <p>Thread-safe.
 */
public final class ObservationLockListener implements LockListener {

  /** The observation's name. */
  public static final String NAME = "holdfast.lock.acquire";

  /** Low-cardinality key of the policy name. */
  public static final String POLICY = "policy";

  /** Low-cardinality key of how the acquisition ended. */
  public static final String OUTCOME = "outcome";

  /** High-cardinality key of the requested keys. */
  public static final String KEYS = "keys";

  private final ObservationRegistry registry;

  /**
   * The acquisition in progress on this thread, if any. Per instance, not static: two listeners on
   * one template each see every attempt and must not take the other's for abandoned.
   */
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<@Nullable InFlight> inFlight = new ThreadLocal<>();

  /**
   * Creates a listener that reports to {@code registry}.
   *
   * @param registry the observation registry
   * @throws NullPointerException if {@code registry} is null
   */
  // Micrometer is optional (requires static), so the module does not pass it on: whoever creates a
  // registry to hand over here reads micrometer.observation already.
  @SuppressWarnings("exports")
  public ObservationLockListener(ObservationRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
  }

  @Override
  public void onAttempt(LockRequest request) {
    InFlight abandoned = inFlight.get();
    if (abandoned != null) {
      // Only an Error thrown inside the provider skips the terminal event; stop the observation
      // rather than leave its long task timer and span open for good.
      inFlight.remove();
      abandoned.observation.lowCardinalityKeyValue(OUTCOME, "abandoned").stop();
    }
    Observation observation = Observation.createNotStarted(NAME, registry);
    if (observation.isNoop()) {
      // No handler would see it: skip joining the keys and the per-thread bookkeeping.
      return;
    }
    observation
        .contextualName("lock " + request.policyName())
        .lowCardinalityKeyValue(POLICY, request.policyName())
        .highCardinalityKeyValue(KEYS, String.join(",", request.keys()))
        .start();
    inFlight.set(new InFlight(request, observation));
  }

  @Override
  public void onAcquired(LockRequest request, Duration waited) {
    stop(request, "acquired", null);
  }

  @Override
  public void onNotAcquired(LockRequest request, LockNotAcquiredException exception) {
    stop(request, "timed_out", exception);
  }

  @Override
  public void onInterrupted(LockRequest request, Duration waited) {
    stop(request, "interrupted", null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Ends the observation if the failure came while acquiring; a failure while releasing or
   * checking comes after it has ended and is not reported here.
   */
  @Override
  public void onBackendFailure(LockRequest request, LockBackendException exception) {
    stop(request, "backend_error", exception);
  }

  private void stop(LockRequest request, String outcome, @Nullable Throwable error) {
    InFlight current = inFlight.get();
    // The same request instance travels from onAttempt to its terminal event.
    if (current == null || current.request != request) {
      return;
    }
    inFlight.remove();
    Observation observation = current.observation.lowCardinalityKeyValue(OUTCOME, outcome);
    if (error != null) {
      observation.error(error);
    }
    observation.stop();
  }

  @Override
  public String toString() {
    return "ObservationLockListener{" + registry + '}';
  }

  private static final class InFlight {
    final LockRequest request;
    final Observation observation;

    InFlight(LockRequest request, Observation observation) {
      this.request = request;
      this.observation = observation;
    }
  }
}
