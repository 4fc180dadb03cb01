package dev.holdfast.lock.testkit;

import dev.holdfast.lock.spi.LockProvider;
import java.util.Optional;

/** The kit against a correct provider with every capability: every group must pass. */
final class ReferenceLockProviderContractTest extends LockProviderContract {

  private ReferenceLockProvider first;

  @Override
  protected LockProvider createProvider() {
    first = ReferenceLockProvider.create();
    return first;
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(first.sharingStore());
  }
}
