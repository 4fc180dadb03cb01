package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.util.Optional;

/** The whole contract, against a real {@code redis-server}, on Redisson's own locks. */
final class RedissonCompatibleModeContractTest extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return RedissonLockProvider.builder(SharedRedis.client())
        .mode(Mode.REDISSON_COMPATIBLE)
        .build();
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(
        RedissonLockProvider.builder(SharedRedis.secondClient())
            .mode(Mode.REDISSON_COMPATIBLE)
            .build());
  }
}
