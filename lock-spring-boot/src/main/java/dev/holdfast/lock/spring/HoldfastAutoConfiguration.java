package dev.holdfast.lock.spring;

import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.jdbc.JdbcLockProvider;
import dev.holdfast.lock.micrometer.MicrometerLockListener;
import dev.holdfast.lock.micrometer.ObservationLockListener;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.spi.LockProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures Holdfast: the {@link LockProvider} that {@code holdfast.provider} names, the
 * {@link LockPolicies} of {@code holdfast.defaults.*} and {@code holdfast.policies.*}, and a {@link
 * LockTemplate} over them with every {@link LockListener} bean, among them a {@link
 * MicrometerLockListener} when there is a {@link MeterRegistry} and an {@link
 * ObservationLockListener} when there is an {@link ObservationRegistry}. Each bean backs off when
 * the application defines its own of that type.
 *
 * <p>The Redis provider ({@code holdfast.provider=redisson}, the default) is built from the
 * application's {@code RedissonClient} bean, which it never closes; with no such bean, or without
 * {@code lock-redisson} on the classpath, startup fails with an explanation rather than falling
 * back to JVM-local locks, which would not exclude anything between two instances of a service. The
 * JVM-local provider is used only when {@code holdfast.provider=in-memory} asks for it. The JDBC
 * provider ({@code holdfast.provider=jdbc}) locks in a table of the application's {@code
 * DataSource} bean, which it never closes, per {@code holdfast.jdbc.*}.
 *
 * <p>Ordered after Redisson's own auto-configurations, Boot's DataSource auto-configuration and
 * Boot's metrics and observation auto-configurations, by class name so that none of them needs to
 * be on the classpath: on Boot 4 and on Boot 3.5, whose class names differ.
 */
@AutoConfiguration(
    afterName = {
      "org.redisson.spring.starter.RedissonAutoConfigurationV4",
      "org.redisson.spring.starter.RedissonAutoConfigurationV2",
      "org.redisson.spring.starter.RedissonAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
    })
@ConditionalOnClass(LockTemplate.class)
@EnableConfigurationProperties(HoldfastProperties.class)
public final class HoldfastAutoConfiguration {

  private static final String REDISSON_LOCK_PROVIDER =
      "dev.holdfast.lock.redisson.RedissonLockProvider";
  private static final String REDISSON_CLIENT = "org.redisson.api.RedissonClient";

  /** Created by Spring. */
  HoldfastAutoConfiguration() {}

  /**
   * The policies of {@code holdfast.defaults.*} and {@code holdfast.policies.*}.
   *
   * @param properties the bound properties
   * @return the policies
   * @throws InvalidConfigurationPropertyValueException naming the first invalid property
   */
  @Bean
  @ConditionalOnMissingBean
  LockPolicies holdfastLockPolicies(HoldfastProperties properties) {
    return PolicyProperties.toLockPolicies(properties);
  }

  /**
   * The template, over the provider and policies, with every {@link LockListener} bean in their
   * order.
   *
   * @param provider the lock provider
   * @param policies the policies
   * @param listeners the listener beans
   * @return the template
   */
  @Bean
  @ConditionalOnMissingBean
  LockTemplate holdfastLockTemplate(
      LockProvider provider, LockPolicies policies, ObjectProvider<LockListener> listeners) {
    LockTemplate.Builder builder = LockTemplate.builder(provider).policies(policies);
    listeners.orderedStream().forEach(builder::listener);
    return builder.build();
  }

  /** Redis through the application's {@code RedissonClient}: the default provider. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RedissonLockProvider.class, RedissonClient.class})
  @ConditionalOnProvider(ProviderType.REDISSON)
  @ConditionalOnMissingBean(LockProvider.class)
  static final class RedisProviderConfiguration {

    RedisProviderConfiguration() {}

    /**
     * Spring closes it with the context (an inferred {@code close()}), which stops its background
     * thread and leaves the client to whoever made it.
     */
    @Bean
    RedissonLockProvider holdfastLockProvider(
        ObjectProvider<RedissonClient> redisson, HoldfastProperties properties) {
      RedissonClient client = redisson.getIfAvailable();
      if (client == null) {
        throw LockProviderUnavailableException.noRedissonClient();
      }
      return RedisProviderFactory.build(client, properties.getRedis());
    }

    @Bean
    BackendHealth holdfastBackendHealth(
        RedissonLockProvider holdfastLockProvider,
        ObjectProvider<RedissonClient> redisson,
        HoldfastProperties properties) {
      return new RedisBackendHealth(
          redisson.getObject(), holdfastLockProvider, properties.getRedis().getResponseTimeout());
    }
  }

  /** Redis was chosen, and its classes are missing: fail with an explanation. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(RedisClassesMissing.class)
  @ConditionalOnProvider(ProviderType.REDISSON)
  @ConditionalOnMissingBean(LockProvider.class)
  static final class RedisClassesMissingConfiguration {

    RedisClassesMissingConfiguration() {}

    @Bean
    LockProvider holdfastLockProvider(ConfigurableListableBeanFactory beanFactory) {
      ClassLoader classLoader = beanFactory.getBeanClassLoader();
      List<String> missing = new ArrayList<>();
      if (!ClassUtils.isPresent(REDISSON_LOCK_PROVIDER, classLoader)) {
        missing.add("dev.holdfast:lock-redisson");
      }
      if (!ClassUtils.isPresent(REDISSON_CLIENT, classLoader)) {
        missing.add("org.redisson:redisson");
      }
      throw LockProviderUnavailableException.redisClassesMissing(missing);
    }
  }

  /** Either of the Redis provider's classes is missing. */
  static final class RedisClassesMissing extends AnyNestedCondition {

    RedisClassesMissing() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnMissingClass(REDISSON_LOCK_PROVIDER)
    static final class NoLockRedisson {}

    @ConditionalOnMissingClass(REDISSON_CLIENT)
    static final class NoRedisson {}
  }

  /** Locks in this JVM only, when {@code holdfast.provider=in-memory} asks for them. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(InMemoryLockProvider.class)
  @ConditionalOnProvider(ProviderType.IN_MEMORY)
  @ConditionalOnMissingBean(LockProvider.class)
  static final class InMemoryProviderConfiguration {

    InMemoryProviderConfiguration() {}

    @Bean
    InMemoryLockProvider holdfastLockProvider() {
      return InMemoryLockProvider.create();
    }

    @Bean
    BackendHealth holdfastBackendHealth() {
      return () -> new BackendHealth.Status(true, Map.of("backend", "in-memory"));
    }
  }

  /** A lock table in the application's database, when {@code holdfast.provider=jdbc} asks. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({JdbcLockProvider.class, DataSource.class})
  @ConditionalOnProvider(ProviderType.JDBC)
  @ConditionalOnMissingBean(LockProvider.class)
  static final class JdbcProviderConfiguration {

    JdbcProviderConfiguration() {}

    /**
     * The provider, over the application's one DataSource (or its {@code @Primary} one).
     *
     * @throws LockProviderUnavailableException if there is no single DataSource
     */
    @Bean
    JdbcLockProvider holdfastLockProvider(
        ObjectProvider<DataSource> dataSource, HoldfastProperties properties) {
      DataSource database = dataSource.getIfUnique();
      if (database == null) {
        throw LockProviderUnavailableException.noDataSource();
      }
      HoldfastProperties.Jdbc jdbc = properties.getJdbc();
      return JdbcLockProvider.builder(database)
          .tableName(jdbc.getTableName())
          .createTableIfMissing(jdbc.isCreateTable())
          .statementTimeout(jdbc.getStatementTimeout())
          .pollInterval(jdbc.getPollInterval())
          .releaseNotifications(jdbc.isReleaseNotifications())
          .build();
    }

    @Bean
    BackendHealth holdfastBackendHealth(
        JdbcLockProvider holdfastLockProvider,
        ObjectProvider<DataSource> dataSource,
        HoldfastProperties properties) {
      return new JdbcBackendHealth(
          dataSource.getObject(),
          holdfastLockProvider.tableName(),
          properties.getJdbc().getStatementTimeout());
    }
  }

  /** JDBC was chosen, and {@code lock-jdbc} is missing: fail with an explanation. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.holdfast.lock.jdbc.JdbcLockProvider")
  @ConditionalOnProvider(ProviderType.JDBC)
  @ConditionalOnMissingBean(LockProvider.class)
  static final class JdbcClassesMissingConfiguration {

    JdbcClassesMissingConfiguration() {}

    /** Spring calls it, and its failure is what the startup failure report explains. */
    @Bean
    @SuppressWarnings("DoNotCallSuggester")
    LockProvider holdfastLockProvider() {
      throw LockProviderUnavailableException.jdbcClassesMissing();
    }
  }

  /** In-memory was chosen, and {@code lock-inmemory} is missing: fail with an explanation. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.holdfast.lock.inmemory.InMemoryLockProvider")
  @ConditionalOnProvider(ProviderType.IN_MEMORY)
  @ConditionalOnMissingBean(LockProvider.class)
  static final class InMemoryClassesMissingConfiguration {

    InMemoryClassesMissingConfiguration() {}

    /** Spring calls it, and its failure is what the startup failure report explains. */
    @Bean
    @SuppressWarnings("DoNotCallSuggester")
    LockProvider holdfastLockProvider() {
      throw LockProviderUnavailableException.inMemoryClassesMissing();
    }
  }

  /** Lock metrics, when the application has a meter registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static final class MetricsConfiguration {

    MetricsConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    MicrometerLockListener holdfastMicrometerLockListener(MeterRegistry registry) {
      return new MicrometerLockListener(registry);
    }
  }

  /** An observation of each acquisition, when the application has an observation registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  @ConditionalOnBean(ObservationRegistry.class)
  static final class ObservationConfiguration {

    ObservationConfiguration() {}

    @Bean
    @ConditionalOnMissingBean
    ObservationLockListener holdfastObservationLockListener(ObservationRegistry registry) {
      return new ObservationLockListener(registry);
    }
  }
}
