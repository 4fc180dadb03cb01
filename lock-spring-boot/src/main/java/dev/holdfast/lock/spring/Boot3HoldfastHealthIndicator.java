package dev.holdfast.lock.spring;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code holdfast} health indicator on Spring Boot 3.5, whose health API Boot 4 moved to
 * another package ({@link HoldfastHealthIndicator} there).
 */
final class Boot3HoldfastHealthIndicator implements HealthIndicator {

  private final BackendHealth backend;

  Boot3HoldfastHealthIndicator(BackendHealth backend) {
    this.backend = backend;
  }

  @Override
  public Health health() {
    BackendHealth.Status status = backend.check();
    return (status.up() ? Health.up() : Health.down()).withDetails(status.details()).build();
  }
}
