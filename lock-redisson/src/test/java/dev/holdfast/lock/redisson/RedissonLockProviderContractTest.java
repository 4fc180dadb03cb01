package dev.holdfast.lock.redisson;

import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.util.Optional;

/** The whole contract, against a real {@code redis-server}, in the atomic mode. */
final class RedissonLockProviderContractTest extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return RedissonLockProvider.builder(SharedRedis.client()).build();
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(RedissonLockProvider.builder(SharedRedis.secondClient()).build());
  }
}
