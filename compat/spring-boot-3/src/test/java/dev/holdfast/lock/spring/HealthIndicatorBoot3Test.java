package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.spi.LockProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code holdfast} health indicator on Spring Boot 3.5's health API, standing in for
 * lock-spring-boot's {@code HealthIndicatorBoot4Test}.
 */
final class HealthIndicatorBoot3Test {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  HoldfastAutoConfiguration.class, HoldfastHealthAutoConfiguration.class))
          .withPropertyValues("holdfast.provider=in-memory");

  @Test
  void theAutoConfiguredBackendGetsAnIndicatorNamedHoldfast() {
    runner.run(
        context -> {
          Health health =
              context.getBean("holdfastHealthIndicator", HealthIndicator.class).health();

          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("backend", "in-memory");
          assertThat(context).hasSingleBean(Boot3HoldfastHealthIndicator.class);
        });
  }

  @Test
  void aBackendThatDoesNotAnswerIsDownWithItsDetails() {
    Boot3HoldfastHealthIndicator indicator =
        new Boot3HoldfastHealthIndicator(
            () -> new BackendHealth.Status(false, Map.of("masters", Map.of("a", "no PONG"))));

    Health health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("masters", Map.of("a", "no PONG"));
  }

  @Test
  void aLockProviderOfTheApplicationsOwnGetsNoIndicator() {
    runner
        .withBean("ownProvider", LockProvider.class, InMemoryLockProvider::create)
        .run(context -> assertThat(context).doesNotHaveBean("holdfastHealthIndicator"));
  }

  @Test
  void isTurnedOffByItsProperty() {
    runner
        .withPropertyValues("management.health.holdfast.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("holdfastHealthIndicator"));
  }

  @Test
  void followsTheDefaultForIndicatorsUnlessItsOwnPropertySaysOtherwise() {
    runner
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("holdfastHealthIndicator"));
    runner
        .withPropertyValues(
            "management.health.defaults.enabled=false", "management.health.holdfast.enabled=true")
        .run(context -> assertThat(context).hasBean("holdfastHealthIndicator"));
  }

  @Test
  void withoutTheActuatorTheApplicationStartsWithoutAnIndicator() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("holdfastHealthIndicator");
            });
  }

  @Test
  void isPartOfTheOverallHealthButOfNeitherProbeGroupUnlessIncluded() {
    ApplicationContextRunner withHealthEndpoint =
        runner
            .withConfiguration(
                AutoConfigurations.of(
                    ApplicationAvailabilityAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    AvailabilityHealthContributorAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class))
            .withPropertyValues("management.endpoint.health.probes.enabled=true");

    withHealthEndpoint.run(
        context -> {
          HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);

          assertThat(context.getBean(HealthContributorRegistry.class).getContributor("holdfast"))
              .isNotNull();
          assertThat(groups.getPrimary().isMember("holdfast")).isTrue();
          assertThat(groups.get("liveness").isMember("holdfast")).isFalse();
          assertThat(groups.get("readiness").isMember("holdfast")).isFalse();
        });
    withHealthEndpoint
        .withPropertyValues(
            "management.endpoint.health.group.readiness.include=readinessState,holdfast")
        .run(
            context ->
                assertThat(
                        context
                            .getBean(HealthEndpointGroups.class)
                            .get("readiness")
                            .isMember("holdfast"))
                    .isTrue());
  }
}
