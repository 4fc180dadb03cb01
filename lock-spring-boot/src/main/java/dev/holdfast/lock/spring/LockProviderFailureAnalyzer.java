package dev.holdfast.lock.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link LockProviderUnavailableException} as Spring Boot's "APPLICATION FAILED TO START"
 * description and action, instead of a stack trace. Registered in {@code
 * META-INF/spring.factories}.
 */
final class LockProviderFailureAnalyzer
    extends AbstractFailureAnalyzer<LockProviderUnavailableException> {

  /** Created by Spring Boot's failure analysis. */
  LockProviderFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, LockProviderUnavailableException cause) {
    return new FailureAnalysis(cause.description(), cause.action(), cause);
  }
}
