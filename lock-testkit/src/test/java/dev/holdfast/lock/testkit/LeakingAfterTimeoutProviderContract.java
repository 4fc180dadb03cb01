package dev.holdfast.lock.testkit;

import dev.holdfast.lock.spi.LockProvider;

/**
 * The kit against {@link LeakingAfterTimeoutProvider}. Not named {@code *Test}: it must fail, and
 * only {@link LockProviderContractSelfTest} runs it, to check that it fails where it should.
 */
final class LeakingAfterTimeoutProviderContract extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return new LeakingAfterTimeoutProvider();
  }
}
