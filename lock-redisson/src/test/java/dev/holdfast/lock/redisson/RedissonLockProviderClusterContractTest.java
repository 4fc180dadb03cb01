package dev.holdfast.lock.redisson;

import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.util.Optional;

/**
 * The whole contract, in the atomic mode, against a Redis Cluster of real processes: keys of one
 * request mostly land in different slots, so they are taken slot group by slot group.
 */
final class RedissonLockProviderClusterContractTest extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return RedissonLockProvider.builder(SharedCluster.client()).build();
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(RedissonLockProvider.builder(SharedCluster.secondClient()).build());
  }
}
