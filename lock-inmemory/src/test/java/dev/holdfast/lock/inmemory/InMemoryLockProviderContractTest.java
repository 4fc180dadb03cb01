package dev.holdfast.lock.inmemory;

import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;

/** The whole backend contract, for the capabilities the in-memory provider declares. */
final class InMemoryLockProviderContractTest extends LockProviderContract {

  @Override
  protected LockProvider createProvider() {
    return InMemoryLockProvider.create();
  }
}
