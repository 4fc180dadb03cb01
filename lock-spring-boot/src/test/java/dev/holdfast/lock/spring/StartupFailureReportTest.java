package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * What a developer sees when the application has no RedissonClient: Boot's failure report with
 * Holdfast's explanation (the analyzer is registered in {@code META-INF/spring.factories}), not a
 * stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
final class StartupFailureReportTest {

  @Test
  void anApplicationWithoutARedissonClientFailsToStartWithTheExplanation(CapturedOutput output) {
    SpringApplication application = new SpringApplication(Application.class);
    application.setWebApplicationType(WebApplicationType.NONE);

    Throwable failure = catchThrowable(() -> application.run());

    assertThat(failure).isNotNull();
    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("Description:")
        .contains("no RedissonClient bean to reach Redis with")
        .contains("Action:")
        .contains("org.redisson:redisson-spring-boot-starter")
        .contains("holdfast.provider=in-memory");
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(HoldfastAutoConfiguration.class)
  static class Application {}
}
