package dev.holdfast.lock.spring;

import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * Applies {@link DistributedLockInterceptor} to the {@link DistributedLock} methods of beans, in
 * the order {@link DistributedLock#ADVISOR_ORDER}: just outside transaction advisors.
 */
final class DistributedLockAdvisor implements PointcutAdvisor, Ordered {

  private final Pointcut pointcut;
  private final DistributedLockInterceptor interceptor;

  DistributedLockAdvisor(LockedMethods methods, DistributedLockInterceptor interceptor) {
    this.pointcut = new LockedMethodPointcut(methods);
    this.interceptor = interceptor;
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor;
  }

  @Override
  public int getOrder() {
    return DistributedLock.ADVISOR_ORDER;
  }

  @Override
  public String toString() {
    return "DistributedLockAdvisor{order=" + getOrder() + '}';
  }

  /**
   * Matches the annotated methods. The auto-proxy creator asks the class filter about every bean
   * class it considers, which is where each class's annotated methods are checked and prepared.
   */
  private static final class LockedMethodPointcut extends StaticMethodMatcherPointcut {
    private final LockedMethods methods;

    LockedMethodPointcut(LockedMethods methods) {
      this.methods = methods;
      setClassFilter(methods::hasLockedMethods);
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      return methods.find(method, targetClass) != null;
    }
  }
}
