package dev.holdfast.lock.spring;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every test context has: the in-memory backend, a template that records its acquisitions,
 * with a default policy and a {@code lock:hot:*} policy, and the auto-configurations, the way a
 * Spring Boot application has them, but without Boot's AOP auto-configuration: the lock
 * auto-configuration must bring its own auto-proxy creator.
 */
final class TestLocks {

  static final LockPolicy STANDARD =
      LockPolicy.custom("standard")
          .waitTime(Duration.ofSeconds(3))
          .leaseTime(Duration.ofSeconds(20))
          .leaseMode(LeaseMode.FIXED)
          .build();

  static final LockPolicy HOT =
      LockPolicy.custom("hot")
          .waitTime(Duration.ofMillis(50))
          .leaseTime(Duration.ofSeconds(5))
          .leaseMode(LeaseMode.RENEWING)
          .build();

  private TestLocks() {}

  /** A runner with the in-memory backend and the auto-configurations; add the beans under test. */
  static ApplicationContextRunner runner() {
    return runner(InMemoryProvider.class);
  }

  /** A runner whose backend is the {@code LockProvider} bean of {@code providerConfiguration}. */
  static ApplicationContextRunner runner(Class<?> providerConfiguration) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                PropertyPlaceholderAutoConfiguration.class,
                HoldfastAutoConfiguration.class,
                DistributedLockAutoConfiguration.class))
        .withPropertyValues("holdfast.provider=in-memory")
        .withUserConfiguration(providerConfiguration, Template.class);
  }

  /** The application's own provider, which Holdfast's beans back off from. */
  @Configuration(proxyBeanMethods = false)
  static class InMemoryProvider {

    @Bean
    LockProvider lockProvider() {
      return InMemoryLockProvider.create();
    }
  }

  /** The application's own template, which records what it acquires. */
  @Configuration(proxyBeanMethods = false)
  static class Template {

    @Bean
    RecordingListener recordingListener() {
      return new RecordingListener();
    }

    @Bean
    LockTemplate lockTemplate(LockProvider provider, RecordingListener listener) {
      return LockTemplate.builder(provider)
          .listener(listener)
          .policies(
              LockPolicies.builder().defaultPolicy(STANDARD).policy("lock:hot:*", HOT).build())
          .build();
    }
  }
}
