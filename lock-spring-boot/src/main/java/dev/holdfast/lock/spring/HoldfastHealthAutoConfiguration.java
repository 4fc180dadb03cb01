package dev.holdfast.lock.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the Actuator health indicator {@code holdfast}: UP when the auto-configured lock
 * backend answers (every Redis master a {@code PING}, within the response timeout; the in-memory
 * backend always), DOWN otherwise, with the Redis provider's startup-check findings in its details.
 * A lock provider of the application's own gets no indicator.
 *
 * <p>It is part of the health endpoint's overall status but, as every indicator not named there, of
 * neither the liveness nor the readiness group: Boot's liveness group holds {@code livenessState}
 * alone, and a liveness probe that failed while Redis was away would restart every instance of the
 * service at once without bringing Redis back. Add it to readiness with {@code
 * management.endpoint.health.group.readiness.include=readinessState,holdfast} to take an instance
 * out of the load balancer while it cannot lock. Turn it off with {@code
 * management.health.holdfast.enabled=false}.
 *
 * <p>Boot 4 moved the health API to another package: one small indicator class per line, each in a
 * configuration that matches only where its line's API is.
 */
@AutoConfiguration(after = HoldfastAutoConfiguration.class)
@ConditionalOnBean(BackendHealth.class)
@Conditional(OnHoldfastHealthEnabledCondition.class)
public final class HoldfastHealthAutoConfiguration {

  /** Created by Spring. */
  HoldfastHealthAutoConfiguration() {}

  /** Spring Boot 4: {@code org.springframework.boot.health}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static final class HealthConfiguration {

    HealthConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(name = {"holdfastHealthIndicator", "holdfastHealthContributor"})
    HoldfastHealthIndicator holdfastHealthIndicator(BackendHealth holdfastBackendHealth) {
      return new HoldfastHealthIndicator(holdfastBackendHealth);
    }
  }

  /** Spring Boot 3.5: {@code org.springframework.boot.actuate.health}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static final class Boot3HealthConfiguration {

    Boot3HealthConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(name = {"holdfastHealthIndicator", "holdfastHealthContributor"})
    Boot3HoldfastHealthIndicator holdfastHealthIndicator(BackendHealth holdfastBackendHealth) {
      return new Boot3HoldfastHealthIndicator(holdfastBackendHealth);
    }
  }
}
