package dev.holdfast.lock.spring;

import dev.holdfast.lock.LockTemplate;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configures {@link DistributedLock}: an infrastructure {@code Advisor} that applies it, an
 * auto-proxy creator if nothing else registered one, and, with spring-tx present, the transaction
 * guard: the startup check that no transaction advisor runs outside the lock advisor, the {@code
 * holdfast.transaction-check} on entry, and the check of the held locks before a transaction begun
 * inside a locked method commits.
 *
 * <p>Active when the context has a {@link LockTemplate}; ordered after {@link
 * HoldfastAutoConfiguration}, which makes one.
 */
@AutoConfiguration(after = HoldfastAutoConfiguration.class)
@ConditionalOnBean(LockTemplate.class)
@EnableConfigurationProperties(HoldfastProperties.class)
@Import(DistributedLockAutoConfiguration.AutoProxyCreatorRegistrar.class)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
public final class DistributedLockAutoConfiguration {

  /** Created by Spring. */
  DistributedLockAutoConfiguration() {}

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static DistributedLockAdvisor holdfastDistributedLockAdvisor(
      BeanFactory beanFactory,
      ObjectProvider<LockTemplate> template,
      ObjectProvider<EntryCheck> entryCheck) {
    if (!(beanFactory instanceof ConfigurableBeanFactory configurable)) {
      throw new IllegalStateException(
          "@DistributedLock needs a ConfigurableBeanFactory to resolve placeholders, was "
              + beanFactory.getClass().getName());
    }
    LockedMethods methods = new LockedMethods(configurable);
    return new DistributedLockAdvisor(
        methods, new DistributedLockInterceptor(methods, template, entryCheck));
  }

  /**
   * Registers Spring's infrastructure auto-proxy creator, as {@code @EnableTransactionManagement}
   * does, unless one at least as capable is registered already: Spring Boot's AOP
   * auto-configuration registers one only while {@code spring.aop.auto} and {@code
   * spring.aop.proxy-target-class} are true, and a context without it would leave {@link
   * DistributedLock} methods unproxied, running without their locks.
   */
  static final class AutoProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
    }
  }

  /** The transaction guard, with spring-tx present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.transaction.PlatformTransactionManager")
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static class TransactionGuardConfiguration {

    /**
     * Adds {@link CommitCheck} to every transaction manager bean: Spring Boot applies {@code
     * TransactionExecutionListener} beans only to the managers it auto-configures, and a manager
     * the application defines must be checked too.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static BeanPostProcessor holdfastCommitCheckPostProcessor() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
          CommitCheck.addTo(bean);
          return bean;
        }
      };
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TransactionAdvisorOrderCheck holdfastTransactionAdvisorOrderCheck(
        ListableBeanFactory beanFactory) {
      return new TransactionAdvisorOrderCheck(beanFactory);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static EntryCheck holdfastTransactionEntryCheck(HoldfastProperties properties) {
      return TransactionEntryCheck.of(properties.getTransactionCheck());
    }
  }
}
