package dev.holdfast.lock.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.testing.FakeLockProvider;
import dev.holdfast.lock.testing.FakeTicker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class MicrometerLockListenerTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final FakeTicker ticker = new FakeTicker();
  private final FakeLockProvider provider = FakeLockProvider.create();
  private final LockTemplate template =
      LockTemplate.builder(provider)
          .ticker(ticker)
          .policies(
              LockPolicies.builder()
                  .policy("lock:product:*", LockPolicy.custom("product").build())
                  .build())
          .listener(new MicrometerLockListener(registry))
          .build();

  @Test
  void recordsTheWaitOfAnAcquiredCallUnderItsPolicy() {
    provider.answerNext(
        (request, deadline) -> {
          ticker.advance(Duration.ofMillis(40));
          return provider.grant(request);
        });

    template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "done");

    Timer acquired = waitTimer("product", "acquired");
    assertThat(acquired.count()).isEqualTo(1);
    assertThat(acquired.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
  }

  /**
   * A registry that aggregates on the server (Prometheus) materializes a percentile histogram as
   * buckets; the test registry does not, so the test reads the configuration each meter is
   * registered with, as a registry sees it.
   */
  @Test
  void asksForAWaitHistogramSoThatAServerSideP99CanBeComputedButNotForTheHoldTimer() {
    Map<String, DistributionStatisticConfig> configs = new ConcurrentHashMap<>();
    MeterRegistry capturing = new SimpleMeterRegistry();
    capturing
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                configs.put(id.getName() + id.getTags(), config);
                return config;
              }
            });
    LockTemplate observed =
        LockTemplate.builder(provider).listener(new MicrometerLockListener(capturing)).build();

    observed.executeWithLock("lock:order:1", WAIT, LEASE, held -> "done");

    assertThat(configs)
        .hasEntrySatisfying(
            MicrometerLockListener.WAIT + "[tag(outcome=acquired), tag(policy=default)]",
            config -> {
              assertThat(config.isPercentileHistogram()).isTrue();
              assertThat(config.getMinimumExpectedValueAsDouble())
                  .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
              assertThat(config.getMaximumExpectedValueAsDouble())
                  .isEqualTo(TimeUnit.SECONDS.toNanos(30));
            })
        .hasEntrySatisfying(
            MicrometerLockListener.HELD + "[tag(policy=default)]",
            config -> assertThat(config.isPercentileHistogram()).isNotEqualTo(Boolean.TRUE));
  }

  @Test
  void recordsTheHoldTimeUnderItsPolicy() {
    template.executeWithLock(
        "lock:product:1",
        WAIT,
        LEASE,
        held -> {
          ticker.advance(Duration.ofMillis(100));
          return "done";
        });

    Timer held = registry.get(MicrometerLockListener.HELD).tags("policy", "product").timer();
    assertThat(held.count()).isEqualTo(1);
    assertThat(held.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100.0);
  }

  @Test
  void recordsATimedOutWait() {
    provider.answerNext(
        (request, deadline) -> {
          ticker.advance(Duration.ofMillis(250));
          return new Acquisition.Blocked(request.keys());
        });

    catchThrowable(() -> template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "ran"));

    Timer timedOut = waitTimer("product", "timed_out");
    assertThat(timedOut.count()).isEqualTo(1);
    assertThat(timedOut.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
    assertThat(waitTimer("product", "acquired").count()).isZero();
  }

  @Test
  void recordsAnInterruptedWait() {
    provider.answerNext(
        (request, deadline) -> {
          ticker.advance(Duration.ofMillis(15));
          throw new InterruptedException();
        });

    catchThrowable(() -> template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "ran"));
    boolean interruptFlag = Thread.interrupted();

    assertThat(interruptFlag).isTrue();
    Timer interrupted = waitTimer("product", "interrupted");
    assertThat(interrupted.count()).isEqualTo(1);
    assertThat(interrupted.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(15.0);
  }

  @Test
  void countsCallsThatLostALease() {
    catchThrowable(
        () ->
            template.executeWithLocks(
                List.of("lock:product:1", "lock:product:2"),
                WAIT,
                LEASE,
                held -> {
                  provider.lastHandle().lose("lock:product:1", "lock:product:2");
                  return "done";
                }));

    double lost =
        registry.get(MicrometerLockListener.LOST).tags("policy", "product").counter().count();
    assertThat(lost).isEqualTo(1.0);
  }

  @Test
  void countsBackendErrors() {
    provider.answerNext(
        (request, deadline) -> {
          throw new IllegalStateException("redis down");
        });

    catchThrowable(() -> template.executeWithLock("lock:product:1", WAIT, LEASE, held -> "ran"));

    double errors =
        registry
            .get(MicrometerLockListener.BACKEND_ERRORS)
            .tags("policy", "product")
            .counter()
            .count();
    assertThat(errors).isEqualTo(1.0);
  }

  @Test
  void tagsKeysWithoutAPatternWithTheDefaultPolicy() {
    template.executeWithLock("lock:order:1", WAIT, LEASE, held -> "done");

    assertThat(waitTimer("default", "acquired").count()).isEqualTo(1);
  }

  @Test
  void distinctKeysUnderOnePolicyCreateNoMoreMetersThanOnePolicysSet() {
    template.executeWithLock("lock:product:0", WAIT, LEASE, held -> "done");
    List<Meter> oneCallsMeters = registry.getMeters();

    for (int i = 1; i < 1_000; i++) {
      template.executeWithLock("lock:product:" + i, WAIT, LEASE, held -> "done");
    }

    assertThat(oneCallsMeters).hasSize(6);
    assertThat(registry.getMeters()).hasSize(6);
    assertThat(waitTimer("product", "acquired").count()).isEqualTo(1_000);
    assertThat(registry.getMeters())
        .flatMap(meter -> meter.getId().getTags())
        .extracting(Tag::getValue)
        .noneMatch(value -> value.startsWith("lock:"));
  }

  @Test
  void rejectsANullRegistry() {
    Throwable thrown = catchThrowable(() -> new MicrometerLockListener(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
  }

  private Timer waitTimer(String policy, String outcome) {
    return registry
        .get(MicrometerLockListener.WAIT)
        .tags("policy", policy, "outcome", outcome)
        .timer();
  }
}
