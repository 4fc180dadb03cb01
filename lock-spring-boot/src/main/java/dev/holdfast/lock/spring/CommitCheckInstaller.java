package dev.holdfast.lock.spring;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Adds {@link CommitCheck} to every transaction manager bean: Spring Boot applies {@code
 * TransactionExecutionListener} beans only to the managers it auto-configures, and a manager the
 * application defines must be checked too. Managers are caught as they are initialised, and once
 * more when every singleton exists, for one created before this post-processor was.
 */
final class CommitCheckInstaller implements BeanPostProcessor, SmartInitializingSingleton {

  private final ListableBeanFactory beanFactory;

  CommitCheckInstaller(ListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    CommitCheck.addTo(bean);
    return bean;
  }

  @Override
  public void afterSingletonsInstantiated() {
    beanFactory
        .getBeansOfType(PlatformTransactionManager.class, false, false)
        .values()
        .forEach(CommitCheck::addTo);
  }
}
