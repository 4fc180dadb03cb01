package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.spi.LockProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code holdfast} health indicator on Spring Boot 4's health API. {@code compat/spring-boot-3}
 * has the Boot 3.5 counterpart and leaves this class out.
 */
final class HealthIndicatorBoot4Test {

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
        });
  }

  @Test
  void aBackendThatDoesNotAnswerIsDownWithItsDetails() {
    HoldfastHealthIndicator indicator =
        new HoldfastHealthIndicator(
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
  void anIndicatorOfTheApplicationsOwnByThatNameWins() {
    HealthIndicator own = () -> Health.outOfService().build();

    runner
        .withBean("holdfastHealthIndicator", HealthIndicator.class, () -> own)
        .run(context -> assertThat(context).getBean("holdfastHealthIndicator").isSameAs(own));
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
  void withoutTheHealthApiTheApplicationStartsWithoutAnIndicator() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("holdfastHealthIndicator");
            });
  }

  /**
   * A liveness probe that failed while Redis was away would restart every instance at once without
   * bringing Redis back: the indicator is in the overall status only, and joins readiness when the
   * application says so.
   */
  @Test
  void isPartOfTheOverallHealthButOfNeitherProbeGroupUnlessIncluded() {
    ApplicationContextRunner withHealthEndpoint =
        runner
            .withConfiguration(
                AutoConfigurations.of(
                    ApplicationAvailabilityAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class,
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
