package dev.holdfast.lock.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code holdfast.provider} names {@link #value()}, in any form Boot binds to the enum
 * ({@code in-memory}, {@code IN_MEMORY}, {@code inMemory}); absent, it names {@link
 * ProviderType#REDISSON}. A value that is no provider fails startup, naming the property.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
@Conditional(OnProviderCondition.class)
@interface ConditionalOnProvider {

  /** The provider the annotated configuration builds. */
  ProviderType value();
}
