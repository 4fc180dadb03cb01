package dev.holdfast.lock.spring;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The {@code holdfast} health indicator on Spring Boot 4, where the health API lives. */
final class HoldfastHealthIndicator implements HealthIndicator {

  private final BackendHealth backend;

  HoldfastHealthIndicator(BackendHealth backend) {
    this.backend = backend;
  }

  @Override
  public Health health() {
    BackendHealth.Status status = backend.check();
    return (status.up() ? Health.up() : Health.down()).withDetails(status.details()).build();
  }
}
