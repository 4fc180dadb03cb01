package dev.holdfast.examples.shop;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * The lock a team writes by hand before Holdfast, the peer of {@link OrderServiceBench}: an
 * {@code @Around} aspect that takes a Redisson {@code RLock} per product in sorted product order
 * (so that two orders never deadlock), each with {@code tryLock(wait, lease)}, runs the method, and
 * unlocks in reverse order. Same wait (5 s) and lease (10 s) as the shop's {@code holdfast.*}
 * defaults; its own key prefix, so that it never meets Holdfast's keys.
 */
@Aspect
public class SortedRLockAspect {

  static final String KEY_PREFIX = "seeds:product:";
  private static final long WAIT_MILLIS = 5_000;
  private static final long LEASE_MILLIS = 10_000;

  private final RedissonClient redisson;

  SortedRLockAspect(RedissonClient redisson) {
    this.redisson = redisson;
  }

  /**
   * Holds every product's lock around the call.
   *
   * @param call the annotated method's call
   * @param lines its order lines
   * @return the method's result
   * @throws Throwable the method's exception, or {@link ProductsBusyException} if a product stayed
   *     locked for the whole wait
   */
  @Around("@annotation(dev.holdfast.examples.shop.LockProducts) && args(*, lines)")
  public Object lockProducts(ProceedingJoinPoint call, List<OrderLine> lines) throws Throwable {
    List<Long> products = lines.stream().map(OrderLine::productId).distinct().sorted().toList();
    Deque<RLock> held = new ArrayDeque<>();
    try {
      for (long product : products) {
        RLock lock = redisson.getLock(KEY_PREFIX + product);
        if (!lock.tryLock(WAIT_MILLIS, LEASE_MILLIS, TimeUnit.MILLISECONDS)) {
          throw new ProductsBusyException(product);
        }
        held.push(lock);
      }
      return call.proceed();
    } finally {
      while (!held.isEmpty()) {
        held.pop().unlock();
      }
    }
  }

  /** A product's lock stayed taken for the whole wait: the order was not placed. */
  static final class ProductsBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProductsBusyException(long product) {
      super("Product " + product + " stayed locked for " + WAIT_MILLIS + " ms");
    }
  }
}
