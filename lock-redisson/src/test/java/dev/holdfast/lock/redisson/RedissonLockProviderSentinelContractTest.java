package dev.holdfast.lock.redisson;

import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.util.Optional;

/** The whole contract, in the atomic mode, against a Sentinel deployment of real processes. */
final class RedissonLockProviderSentinelContractTest extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return RedissonLockProvider.builder(SharedSentinel.client()).build();
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(RedissonLockProvider.builder(SharedSentinel.secondClient()).build());
  }
}
