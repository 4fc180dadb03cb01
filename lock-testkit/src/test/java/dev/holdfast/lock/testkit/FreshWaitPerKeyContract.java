package dev.holdfast.lock.testkit;

import dev.holdfast.lock.spi.LockProvider;

/**
 * The kit against a provider that gives each key the whole wait anew. Not named {@code *Test}: it
 * must fail, and only {@link LockProviderContractSelfTest} runs it, to check that it fails where it
 * should.
 */
final class FreshWaitPerKeyContract extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return new FlawedSequentialProvider(FlawedSequentialProvider.Flaw.FRESH_WAIT_PER_KEY);
  }
}
