package dev.holdfast.lock.spring;

import dev.holdfast.lock.LeaseMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.Ordered;

/**
 * Runs the annotated method while holding the locks its arguments name: one {@link
 * dev.holdfast.lock.LockTemplate#executeWithLocks(java.util.Collection,
 * dev.holdfast.lock.LockOptions, dev.holdfast.lock.LockCallback) executeWithLocks} call over every
 * key of every expression in {@link #keys()}, de-duplicated, in the backend's one order, all or
 * nothing under one deadline.
 *
 * <pre>{@code
 * @DistributedLock(prefix = "lock:product:", keys = "#lines.![productId]", waitTime = "2s")
 * public Receipt reserve(List<OrderLine> lines) {
 *   HeldLocks held = CurrentLocks.held(); // the fencing tokens for the writes
 *   return stock.deduct(lines, held);     // a @Transactional method of another bean
 * }
 * }</pre>
 *
 * <p><b>Where it applies.</b> A public, non-static, non-final method of a Spring bean, called
 * through the bean's proxy, as for {@code @Transactional}: a call from inside the same object takes
 * no lock. The proxy is made by an {@code Advisor} without AspectJ; Holdfast's auto-configuration
 * registers it and makes sure an auto-proxy creator exists. An annotated method that cannot be
 * proxied (private, static, final, or not public) fails the application context at startup, and so
 * does one that returns a reactive or asynchronous type ({@code Publisher}, {@code Flow.Publisher},
 * {@code CompletionStage}, {@code Future}, Kotlin's {@code Flow}, any type Spring's {@code
 * ReactiveAdapterRegistry} knows) or is a Kotlin {@code suspend} function: the locks would be
 * released when the method returns, before the work it started has run.
 *
 * <p><b>Keys.</b> Each entry of {@link #keys()} is a Spring Expression Language expression over the
 * method's parameters, by name ({@code #productId}) or by position ({@code #p0} or {@code #a0}),
 * with beans reachable as {@code @beanName}. Parameter names need the class compiled with {@code
 * -parameters} (Spring Boot's build plugins set it), as for Spring's caching annotations; otherwise
 * only the positional names exist, and an expression naming a parameter that does not exist fails
 * the context at startup. An expression may yield one value or a {@code Collection} or array of
 * values ({@code #order.lines.![productId]}); each value becomes a key through {@code
 * String.valueOf}, with {@link #prefix()} in front. Expressions are parsed once, at startup. A call
 * whose expression fails, yields null, a blank key, a nested collection or no key at all throws
 * {@link IllegalArgumentException} naming the method, the expression and the value, before anything
 * is acquired.
 *
 * <p><b>Timing.</b> {@link #waitTime()}, {@link #leaseTime()} and {@link #leaseMode()} are each
 * optional; each one left out comes from the keys' {@link dev.holdfast.lock.LockPolicies policy}.
 * Durations are Spring Boot duration strings ({@code 2s}, {@code 500ms}, {@code PT2S}; a bare
 * number means milliseconds) or {@code ${...}} placeholders resolving to one; they are resolved and
 * checked once, at startup, where a bad one fails the context naming the method, the attribute and
 * the value.
 *
 * <p><b>Outcomes.</b> The method's value is returned and its exceptions, checked ones included,
 * reach the caller unchanged; so do Holdfast's {@link dev.holdfast.lock.LockException} types.
 * Inside the method, {@link CurrentLocks#held()} gives the held locks: fencing tokens and {@link
 * dev.holdfast.lock.HeldLocks#checkHeld()}.
 *
 * <p><b>Transactions.</b> The locks must be taken before a transaction begins and released after it
 * ends: with spring-tx present, the context fails at startup if a transaction advisor would run
 * outside this one (see {@link #ADVISOR_ORDER}); entering an annotated method inside an active
 * transaction fails, warns or is allowed as {@code holdfast.transaction-check} says ({@link
 * TransactionCheck}); and a transaction that begins inside the method checks the held locks right
 * before it commits, so that a lease lost meanwhile rolls it back.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLock {

  /**
   * The order of the advisor that applies this annotation: {@code Ordered.LOWEST_PRECEDENCE - 100},
   * so it runs just outside transaction advisors, whose order is {@link Ordered#LOWEST_PRECEDENCE}
   * by default. A transaction advisor must have a greater order than this (for example
   * {@code @EnableTransactionManagement(order = DistributedLock.ADVISOR_ORDER + 1)}), or the
   * context fails at startup; the gap leaves room for advice meant to run between the lock and the
   * transaction.
   */
  int ADVISOR_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

  /**
   * Put in front of every key, such as {@code lock:product:}; none by default.
   *
   * @return the prefix
   */
  String prefix() default "";

  /**
   * One or more SpEL expressions over the method's parameters; together their values form the key
   * set of one acquisition.
   *
   * @return the key expressions
   */
  String[] keys();

  /**
   * How long the whole key set may be waited for, such as {@code 2s}, {@code 500ms}, {@code PT2S}
   * or {@code ${shop.lock.wait}}; zero tries once. Empty (the default): the keys' policy decides.
   *
   * @return the wait time, or empty
   */
  String waitTime() default "";

  /**
   * How long each key stays held if never released, or how far each renewal extends it, such as
   * {@code 30s}, at least {@link dev.holdfast.lock.LockTemplate#MIN_LEASE_TIME}. Empty (the
   * default): the keys' policy decides.
   *
   * @return the lease time, or empty
   */
  String leaseTime() default "";

  /**
   * Whether the lease is fixed or renewed while the method runs: at most one value. Empty (the
   * default): the keys' policy decides.
   *
   * @return no lease mode, or the one that applies
   */
  LeaseMode[] leaseMode() default {};
}
