package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.micrometer.MicrometerLockListener;
import dev.holdfast.lock.micrometer.ObservationLockListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With Spring Boot 3.5's own metrics and observation auto-configurations, whose class names differ
 * from Boot 4's: Holdfast's is ordered after them too. Stands in for lock-spring-boot's {@code
 * BootAutoConfigurationsBoot4Test}.
 */
final class BootAutoConfigurationsBoot3Test {

  @Test
  void theListenersFindBootsRegistriesAndTheirMetersLiveSideBySide() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                HoldfastAutoConfiguration.class,
                ObservationAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                MetricsAutoConfiguration.class))
        .withPropertyValues("holdfast.provider=in-memory")
        .run(
            context -> {
              context.getBean(LockTemplate.class).executeWithLock("lock:order:1", held -> "done");

              assertThat(context).hasSingleBean(MicrometerLockListener.class);
              assertThat(context).hasSingleBean(ObservationLockListener.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.get(MicrometerLockListener.WAIT).timer().count()).isEqualTo(1);
              assertThat(registry.get(ObservationLockListener.NAME).timer().count()).isEqualTo(1);
            });
  }
}
