package dev.holdfast.lock.spring;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnProvider}: binds {@code holdfast.provider} as the properties
 * do, where {@code @ConditionalOnProperty} would compare text and miss {@code IN_MEMORY}.
 */
final class OnProviderCondition extends SpringBootCondition {

  static final String PROVIDER = "holdfast.provider";

  OnProviderCondition() {}

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    ProviderType wanted =
        metadata
            .getAnnotations()
            .get(ConditionalOnProvider.class)
            .getEnum("value", ProviderType.class);
    ProviderType chosen =
        Binder.get(context.getEnvironment())
            .bind(PROVIDER, ProviderType.class)
            .orElse(ProviderType.REDISSON);
    return new ConditionOutcome(
        chosen == wanted,
        ConditionMessage.forCondition(ConditionalOnProvider.class, wanted)
            .because(PROVIDER + " is " + chosen));
  }
}
