package dev.holdfast.lock.spring;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless the {@code holdfast} health indicator is turned off: by {@code
 * management.health.holdfast.enabled=false}, or, where that is not set, by {@code
 * management.health.defaults.enabled=false}. The rule of Boot's own
 * {@code @ConditionalOnEnabledHealthIndicator}, which Boot 3.5 keeps in a module (its actuator's
 * auto-configuration) that this jar does not compile against; the same condition serves both lines.
 */
final class OnHoldfastHealthEnabledCondition extends SpringBootCondition {

  static final String ENABLED = "management.health.holdfast.enabled";
  static final String DEFAULTS_ENABLED = "management.health.defaults.enabled";

  OnHoldfastHealthEnabledCondition() {}

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment environment = context.getEnvironment();
    ConditionMessage.Builder message = ConditionMessage.forCondition("holdfast health indicator");
    Boolean enabled = environment.getProperty(ENABLED, Boolean.class);
    if (enabled != null) {
      return new ConditionOutcome(enabled, message.because(ENABLED + " is " + enabled));
    }
    boolean byDefault = environment.getProperty(DEFAULTS_ENABLED, Boolean.class, true);
    return new ConditionOutcome(
        byDefault, message.because(DEFAULTS_ENABLED + " is " + byDefault + " (or not set)"));
  }
}
