package dev.holdfast.lock.spring;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * Fails the context if a transaction advisor would run outside the {@link DistributedLock} advisor:
 * its transaction would begin before the locks are taken and commit after they are released. Runs
 * once every singleton, advisors included, exists.
 */
final class TransactionAdvisorOrderCheck implements SmartInitializingSingleton {

  private final ListableBeanFactory beanFactory;

  TransactionAdvisorOrderCheck(ListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void afterSingletonsInstantiated() {
    for (String name : beanFactory.getBeanNamesForType(Advisor.class, true, false)) {
      Advisor advisor = beanFactory.getBean(name, Advisor.class);
      if (advisor.getAdvice() instanceof TransactionInterceptor) {
        int order = orderOf(advisor);
        if (order <= DistributedLock.ADVISOR_ORDER) {
          throw new IllegalStateException(
              "The transaction advisor '"
                  + name
                  + "' has order "
                  + order
                  + (order < DistributedLock.ADVISOR_ORDER
                      ? ", which runs it outside the @DistributedLock advisor (order "
                      : ", the same as the @DistributedLock advisor's, which leaves to chance"
                          + " which of them runs outside (order ")
                  + DistributedLock.ADVISOR_ORDER
                  + "): its transactions could begin before the locks are taken and commit after"
                  + " they are released, so the next holder could read what was not committed"
                  + " yet. Give it an order greater than "
                  + DistributedLock.ADVISOR_ORDER
                  + ": leave @EnableTransactionManagement's order at its default"
                  + " (Ordered.LOWEST_PRECEDENCE), or set it to DistributedLock.ADVISOR_ORDER + 1"
                  + " or more");
        }
      }
    }
  }

  /** The order the auto-proxy creator sorts the advisor by. */
  private static int orderOf(Advisor advisor) {
    return advisor instanceof Ordered ordered
        ? ordered.getOrder()
        : OrderUtils.getOrder(advisor.getClass(), Ordered.LOWEST_PRECEDENCE);
  }
}
