package dev.holdfast.examples.shop;

import java.util.concurrent.atomic.LongAdder;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Times {@link Inventory#reserve}, the transaction that runs while an order's locks are held, for
 * {@link OrderServiceBench}: the rest of an order's time is spent locking and waiting. Outside the
 * transaction's own advice, so that the commit and Holdfast's check before it are counted. One sum
 * for the JVM, both instances.
 */
@Aspect
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ReserveTimer {

  private static final LongAdder CALLS = new LongAdder();
  private static final LongAdder NANOS = new LongAdder();

  /**
   * Times one transaction.
   *
   * @param call the call of {@code reserve}
   * @return its result
   * @throws Throwable its exception
   */
  @Around("execution(* dev.holdfast.examples.shop.Inventory.reserve(..))")
  public Object time(ProceedingJoinPoint call) throws Throwable {
    long start = System.nanoTime();
    try {
      return call.proceed();
    } finally {
      NANOS.add(System.nanoTime() - start);
      CALLS.increment();
    }
  }

  /** Forgets what was timed so far. */
  static void reset() {
    CALLS.reset();
    NANOS.reset();
  }

  /** The mean time of a transaction since the last {@link #reset}, in milliseconds. */
  static double meanMillis() {
    long calls = CALLS.sum();
    return calls == 0 ? Double.NaN : NANOS.sum() / 1e6 / calls;
  }
}
