package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.spring.DistributedLock;
import dev.holdfast.lock.spring.DistributedLockAutoConfiguration;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * What {@code @DistributedLock} costs over the {@code LockTemplate} call it makes: a method of a
 * Spring bean, called through the class-based proxy Spring Boot makes, next to the code a user
 * writes without the annotation (the keys built by hand, then the template called directly), on the
 * in-memory backend and one thread, for one key ({@code #productId}) and for three ({@code
 * #lines.![productId]}). Both wait up to {@link Workloads#WAIT} and hold {@link Workloads#LEASE};
 * the context has spring-tx, so the annotated call also checks that no transaction is active, as it
 * does in an application with a database.
 *
 * <p>A third contender splits the difference in two: the hand-written code in a bean proxied the
 * same way, through a pass-through interceptor. Its distance from the direct call is what Spring's
 * proxy costs; the annotation's distance from it is what Holdfast's interceptor adds.
 */
@State(Scope.Benchmark)
public class SpringAnnotationBenchmark {

  private static final String PREFIX = "bench:spring:product:";

  /** Three lines of an order, their products out of order. */
  private static final List<Line> LINES = List.of(new Line(3, 1), new Line(1, 2), new Line(2, 1));

  /** A field, not a constant: the key is built on each call, as from a request's product. */
  private long product = 7;

  private @Nullable AnnotationConfigApplicationContext context;
  private @Nullable Inventory inventory;
  private @Nullable HandWritten direct;
  private @Nullable HandWritten proxied;

  /** Creates the benchmark; JMH calls it. */
  public SpringAnnotationBenchmark() {}

  /** Starts the Spring context. */
  @Setup(Level.Trial)
  public void start() {
    AnnotationConfigApplicationContext started =
        new AnnotationConfigApplicationContext(Application.class);
    context = started;
    inventory = started.getBean(Inventory.class);
    direct = new HandWritten(started.getBean(LockTemplate.class));
    proxied = started.getBean(HandWritten.class);
  }

  /** Closes the Spring context. */
  @TearDown(Level.Trial)
  public void stop() {
    if (context != null) {
      context.close();
    }
  }

  /** {@code @DistributedLock(prefix = ..., keys = "#productId")}, through the bean's proxy. */
  @Benchmark
  @Threads(1)
  public void annotationOneKey() {
    inventory().reserve(product);
  }

  /** The same lock without the annotation: the key built by hand, the template called directly. */
  @Benchmark
  @Threads(1)
  public void templateOneKey() {
    started(direct).reserve(product);
  }

  /** The hand-written one-key call in a bean behind a proxy with a pass-through interceptor. */
  @Benchmark
  @Threads(1)
  public void proxiedTemplateOneKey() {
    started(proxied).reserve(product);
  }

  /** {@code @DistributedLock(prefix = ..., keys = "#lines.![productId]")}, through the proxy. */
  @Benchmark
  @Threads(1)
  public void annotationThreeKeys() {
    inventory().reserveLines(LINES);
  }

  /** The same locks without the annotation: a loop over the lines, then the template. */
  @Benchmark
  @Threads(1)
  public void templateThreeKeys() {
    started(direct).reserveLines(LINES);
  }

  /** The hand-written three-key call in a bean behind a proxy with a pass-through interceptor. */
  @Benchmark
  @Threads(1)
  public void proxiedTemplateThreeKeys() {
    started(proxied).reserveLines(LINES);
  }

  private Inventory inventory() {
    return started(inventory);
  }

  private static <T> T started(@Nullable T bean) {
    if (bean == null) {
      throw new IllegalStateException("The context has not been started");
    }
    return bean;
  }

  /**
   * A line of an order.
   *
   * @param productId the product
   * @param quantity how many
   */
  public record Line(long productId, int quantity) {}

  /** The annotated bean; its methods do nothing but hold the locks. */
  public static class Inventory {

    /** Creates the bean; Spring calls it. */
    public Inventory() {}

    /**
     * Holds one product's lock.
     *
     * @param productId the product
     */
    @DistributedLock(prefix = PREFIX, keys = "#productId", waitTime = "10s", leaseTime = "30s")
    public void reserve(long productId) {}

    /**
     * Holds the locks of every product of the lines.
     *
     * @param lines the order's lines
     */
    @DistributedLock(
        prefix = PREFIX,
        keys = "#lines.![productId]",
        waitTime = "10s",
        leaseTime = "30s")
    public void reserveLines(List<Line> lines) {}
  }

  /** What a user writes without the annotation: the keys by hand, then the template. */
  public static class HandWritten {
    private final LockTemplate template;

    /**
     * Creates the bean.
     *
     * @param template the template it calls
     */
    public HandWritten(LockTemplate template) {
      this.template = template;
    }

    /**
     * Holds one product's lock.
     *
     * @param productId the product
     */
    public void reserve(long productId) {
      template.runWithLock(PREFIX + productId, WAIT, LEASE, NOTHING);
    }

    /**
     * Holds the locks of every product of the lines.
     *
     * @param lines the order's lines
     */
    public void reserveLines(List<Line> lines) {
      List<String> keys = new ArrayList<>(lines.size());
      for (Line line : lines) {
        keys.add(PREFIX + line.productId());
      }
      template.runWithLocks(keys, WAIT, LEASE, NOTHING);
    }
  }

  /** The application: Boot's AOP auto-configuration (class proxies) and Holdfast's annotation. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({AopAutoConfiguration.class, DistributedLockAutoConfiguration.class})
  static class Application {

    @Bean
    LockTemplate lockTemplate() {
      return LockTemplate.of(InMemoryLockProvider.create());
    }

    @Bean
    Inventory inventory() {
      return new Inventory();
    }

    @Bean
    HandWritten handWritten(LockTemplate template) {
      return new HandWritten(template);
    }

    /** Proxies {@link HandWritten} the way the lock advisor proxies {@link Inventory}. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor passThrough() {
      StaticMethodMatcherPointcut handWritten =
          new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
              return targetClass == HandWritten.class
                  && method.getDeclaringClass() == HandWritten.class;
            }
          };
      MethodInterceptor proceed = MethodInvocation::proceed;
      return new DefaultPointcutAdvisor(handWritten, proceed);
    }
  }
}
