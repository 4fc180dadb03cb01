package dev.holdfast.lock.testkit;

import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockHandle;
import dev.holdfast.lock.spi.LockProvider;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Broken on purpose: "acquires" every key at once without locking anything. */
final class NeverExcludingProvider implements LockProvider {

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) {
    return new Acquisition.Acquired(
        new LockHandle() {
          @Override
          public OptionalLong fencingToken(String key) {
            return OptionalLong.empty();
          }

          @Override
          public List<String> lostKeys() {
            return List.of();
          }

          @Override
          public List<String> release() {
            return List.of();
          }
        });
  }

  @Override
  public Set<LockCapability> capabilities() {
    return Set.of();
  }
}
