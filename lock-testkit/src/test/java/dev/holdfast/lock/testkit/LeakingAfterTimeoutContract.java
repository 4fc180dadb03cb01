package dev.holdfast.lock.testkit;

import dev.holdfast.lock.spi.LockProvider;

/**
 * The kit against a provider that keeps keys after a timeout. Not named {@code *Test}: it must
 * fail, and only {@link LockProviderContractSelfTest} runs it, to check that it fails where it
 * should.
 */
final class LeakingAfterTimeoutContract extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return new FlawedSequentialProvider(FlawedSequentialProvider.Flaw.LEAKS_AFTER_TIMEOUT);
  }
}
