package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.micrometer.MicrometerLockListener;
import dev.holdfast.lock.micrometer.ObservationLockListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With Spring Boot 4's own metrics and observation auto-configurations, which Holdfast's is ordered
 * after by class name: their registries exist by the time Holdfast's conditions look for them,
 * whatever order the application lists them in. {@code compat/spring-boot-3} has the Boot 3.5
 * counterpart and leaves this class out.
 */
final class BootAutoConfigurationsBoot4Test {

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
