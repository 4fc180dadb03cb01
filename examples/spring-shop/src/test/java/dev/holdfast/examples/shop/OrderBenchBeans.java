package dev.holdfast.examples.shop;

import org.redisson.api.RedissonClient;
import org.springframework.context.annotation.Bean;

/**
 * What {@link OrderServiceBench} adds to a shop instance: the seeds' order service and its aspect,
 * and the timer of the inventory's transaction. Deliberately not a {@code @Configuration}:
 * component scanning would add it to every test's shop.
 */
class OrderBenchBeans {

  @Bean
  SortedRLockAspect sortedRLockAspect(RedissonClient redisson) {
    return new SortedRLockAspect(redisson);
  }

  @Bean
  SeedsOrderService seedsOrderService(Inventory inventory) {
    return new SeedsOrderService(inventory);
  }

  @Bean
  ReserveTimer reserveTimer() {
    return new ReserveTimer();
  }
}
