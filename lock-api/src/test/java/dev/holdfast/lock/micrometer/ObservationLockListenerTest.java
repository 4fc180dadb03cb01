package dev.holdfast.lock.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.testing.FakeLockProvider;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ObservationLockListenerTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final FakeLockProvider provider = FakeLockProvider.create();
  private final LockTemplate template =
      LockTemplate.builder(provider)
          .policies(
              LockPolicies.builder()
                  .policy("lock:product:*", LockPolicy.custom("product").build())
                  .build())
          .listener(new ObservationLockListener(registry))
          .build();

  @Test
  void observesAnAcquisitionWithThePolicyAndOutcomeAsLowAndTheKeysAsHighCardinalityValues() {
    template.executeWithLocks(
        List.of("lock:product:7", "lock:product:3"), WAIT, LEASE, held -> "done");

    assertThat(registry)
        .hasNumberOfObservationsEqualTo(1)
        .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
        .that()
        .hasBeenStarted()
        .hasBeenStopped()
        .hasContextualNameEqualTo("lock product")
        .hasLowCardinalityKeyValue("policy", "product")
        .hasLowCardinalityKeyValue("outcome", "acquired")
        .hasHighCardinalityKeyValue("keys", "lock:product:3,lock:product:7")
        .doesNotHaveLowCardinalityKeyValueWithKey("keys")
        .doesNotHaveError();
  }

  @Test
  void theWaitIsAChildOfTheObservationCurrentOnTheCallingThread() {
    Observation request = Observation.start("http.server.requests", registry);

    request.scoped(
        () -> {
          template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "done");
        });
    request.stop();

    assertThat(registry)
        .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
        .that()
        .hasParentObservationEqualTo(request);
  }

  @Test
  void theObservationEndsWhenTheKeysAreHeldBeforeTheCallbackRuns() {
    template.executeWithLock(
        "lock:product:1",
        WAIT,
        LEASE,
        held -> {
          assertThat(registry)
              .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
              .that()
              .hasBeenStopped();
          return "done";
        });

    assertThat(registry).hasNumberOfObservationsEqualTo(1);
  }

  @Test
  void aTimedOutWaitEndsWithItsOutcomeAndTheCallersException() {
    provider.answerNext((request, deadline) -> new Acquisition.Blocked(request.keys()));

    Throwable thrown =
        catchThrowable(() -> template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "x"));

    assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
    assertThat(registry)
        .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
        .that()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "timed_out")
        .hasError(thrown);
  }

  @Test
  void anInterruptedWaitEndsWithItsOutcome() {
    provider.answerNext(
        (request, deadline) -> {
          throw new InterruptedException();
        });

    catchThrowable(() -> template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "x"));
    boolean interruptFlag = Thread.interrupted();

    assertThat(interruptFlag).isTrue();
    assertThat(registry)
        .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
        .that()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "interrupted");
  }

  @Test
  void aBackendFailureWhileAcquiringEndsWithItsOutcomeAndTheCallersException() {
    provider.answerNext(
        (request, deadline) -> {
          throw new IllegalStateException("redis down");
        });

    Throwable thrown =
        catchThrowable(() -> template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "x"));

    assertThat(thrown).isInstanceOf(LockBackendException.class);
    assertThat(registry)
        .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
        .that()
        .hasBeenStopped()
        .hasLowCardinalityKeyValue("outcome", "backend_error")
        .hasError(thrown);
  }

  @Test
  void aBackendFailureWhileReleasingLeavesTheEndedObservationAsItWas() {
    // The callback returned normally, so the failed release is reported, not thrown (its keys are
    // given back in the background): the caller gets the result.
    String result =
        template.executeWithLock(
            "lock:product:1",
            WAIT,
            LEASE,
            held -> {
              provider.lastHandle().failReleaseWith(new IllegalStateException("gone"));
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(registry)
        .hasNumberOfObservationsEqualTo(1)
        .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
        .that()
        .hasLowCardinalityKeyValue("outcome", "acquired")
        .doesNotHaveError();
  }

  @Test
  void aNestedCallObservesOnlyTheKeysItAcquires() {
    template.executeWithLock(
        "lock:product:1",
        WAIT,
        LEASE,
        outer ->
            template.executeWithLocks(
                List.of("lock:product:1", "lock:product:2"), WAIT, LEASE, inner -> "done"));

    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(ObservationLockListener.NAME, 2)
        .hasAnObservationWithAKeyValue("keys", "lock:product:1")
        .hasAnObservationWithAKeyValue("keys", "lock:product:2");
  }

  @Test
  void anAttemptWhosePredecessorNeverEndedStopsThePredecessor() {
    ObservationLockListener listener = new ObservationLockListener(registry);
    LockRequest first =
        LockRequest.of(List.of("lock:a"), WAIT, LEASE, LockPolicy.DEFAULT_LEASE_MODE, "default");
    LockRequest second =
        LockRequest.of(List.of("lock:b"), WAIT, LEASE, LockPolicy.DEFAULT_LEASE_MODE, "default");

    listener.onAttempt(first);
    listener.onAttempt(second);
    listener.onAcquired(second, Duration.ZERO);

    assertThat(registry)
        .hasNumberOfObservationsEqualTo(2)
        .forAllObservationsWithNameEqualTo(
            ObservationLockListener.NAME, observation -> observation.doesNotHaveError())
        .hasAnObservationWithAKeyValue("outcome", "abandoned")
        .hasAnObservationWithAKeyValue("outcome", "acquired");
  }

  @Test
  void rejectsANullRegistry() {
    Throwable thrown = catchThrowable(() -> new ObservationLockListener(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
  }
}
