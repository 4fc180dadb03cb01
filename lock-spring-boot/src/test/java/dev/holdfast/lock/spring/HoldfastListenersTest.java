package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.micrometer.MicrometerLockListener;
import dev.holdfast.lock.micrometer.ObservationLockListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Micrometer and Observation listeners: registered when the application has the registry, never
 * without it or without Micrometer, and replaced by the application's own.
 */
final class HoldfastListenersTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
          .withPropertyValues(
              "holdfast.provider=in-memory", "holdfast.policies.product.pattern=lock:product:*");

  @Test
  void withAMeterRegistryLockCallsAreMeasuredPerPolicyNeverPerKey() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    runner
        .withBean(MeterRegistry.class, () -> registry)
        .run(
            context -> {
              LockTemplate locks = context.getBean(LockTemplate.class);
              for (int i = 0; i < 50; i++) {
                locks.executeWithLock("lock:product:" + i, held -> "done");
              }

              assertThat(context).hasSingleBean(MicrometerLockListener.class);
              assertThat(
                      registry
                          .get(MicrometerLockListener.WAIT)
                          .tags("policy", "product", "outcome", "acquired")
                          .timer()
                          .count())
                  .isEqualTo(50);
              assertThat(registry.getMeters())
                  .flatMap(meter -> meter.getId().getTags())
                  .extracting(Tag::getValue)
                  .noneMatch(value -> value.startsWith("lock:"));
            });
  }

  /**
   * Prometheus turns a percentile histogram into buckets, from which a p99 alert is computed; the
   * test registry keeps none, so the test reads what the wait timer asks of any registry.
   */
  @Test
  void theWaitTimerAsksTheRegistryForAHistogram() {
    Map<String, DistributionStatisticConfig> configs = new ConcurrentHashMap<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                configs.put(id.getName(), config);
                return config;
              }
            });

    runner
        .withBean(MeterRegistry.class, () -> registry)
        .run(
            context -> {
              context.getBean(LockTemplate.class).executeWithLock("lock:product:1", held -> "");

              assertThat(configs.get(MicrometerLockListener.WAIT).isPercentileHistogram()).isTrue();
            });
  }

  @Test
  void withoutAMeterRegistryThereIsNoMicrometerListener() {
    runner.run(context -> assertThat(context).doesNotHaveBean(MicrometerLockListener.class));
  }

  @Test
  void withoutMicrometerOnTheClasspathTheApplicationStillStarts() {
    runner
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(MicrometerLockListener.class);
              assertThat(context).doesNotHaveBean(ObservationLockListener.class);
              assertThat(context).hasSingleBean(LockTemplate.class);
            });
  }

  @Test
  void aMicrometerListenerOfTheApplicationsOwnWins() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerLockListener own = new MicrometerLockListener(new SimpleMeterRegistry());

    runner
        .withBean(MeterRegistry.class, () -> registry)
        .withBean("ownMetrics", MicrometerLockListener.class, () -> own)
        .run(
            context -> {
              context.getBean(LockTemplate.class).executeWithLock("lock:product:1", held -> "");

              assertThat(context).getBean(MicrometerLockListener.class).isSameAs(own);
              assertThat(context.getBeansOfType(LockListener.class)).hasSize(1);
              assertThat(registry.find(MicrometerLockListener.WAIT).timer()).isNull();
            });
  }

  @Test
  void withAnObservationRegistryEachAcquisitionIsObserved() {
    TestObservationRegistry registry = TestObservationRegistry.create();

    runner
        .withBean(ObservationRegistry.class, () -> registry)
        .run(
            context -> {
              context.getBean(LockTemplate.class).executeWithLock("lock:product:1", held -> "");

              assertThat(context).hasSingleBean(ObservationLockListener.class);
              TestObservationRegistryAssert.assertThat(registry)
                  .hasObservationWithNameEqualTo(ObservationLockListener.NAME)
                  .that()
                  .hasLowCardinalityKeyValue("policy", "product")
                  .hasLowCardinalityKeyValue("outcome", "acquired")
                  .hasHighCardinalityKeyValue("keys", "lock:product:1");
            });
  }

  @Test
  void withoutAnObservationRegistryThereIsNoObservationListener() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ObservationLockListener.class));
  }

  @Test
  void anObservationListenerOfTheApplicationsOwnWins() {
    ObservationLockListener own = new ObservationLockListener(ObservationRegistry.NOOP);

    runner
        .withBean(ObservationRegistry.class, TestObservationRegistry::create)
        .withBean("ownObservations", ObservationLockListener.class, () -> own)
        .run(context -> assertThat(context).getBean(ObservationLockListener.class).isSameAs(own));
  }
}
