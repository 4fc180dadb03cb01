package dev.holdfast.lock.spring;

import java.util.Map;

/**
 * Whether the lock backend can be reached, in terms of neither Boot line's health API: the {@code
 * holdfast} health indicator of each line (which Boot 4 moved to another package) turns a {@link
 * Status} into its own {@code Health}. One is registered with each auto-configured provider; a
 * provider of the application's own gets none, and so no {@code holdfast} indicator.
 */
@FunctionalInterface
interface BackendHealth {

  /**
   * Checks the backend. Never blocks longer than the provider's response timeout.
   *
   * @return up or down, with details for the health endpoint
   */
  Status check();

  /**
   * The outcome of a check.
   *
   * @param up whether the backend answered
   * @param details what the health endpoint shows, in order
   */
  record Status(boolean up, Map<String, Object> details) {}
}
