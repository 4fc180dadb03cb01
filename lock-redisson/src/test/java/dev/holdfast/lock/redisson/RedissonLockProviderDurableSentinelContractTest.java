package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.testing.TestRedisson;
import dev.holdfast.lock.spi.LockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.api.RedissonClient;

/**
 * The whole contract through the acknowledged path (script and {@code WAIT} in one batch) against
 * the shared Sentinel deployment, from a client left with Redisson's default read and subscription
 * modes: every lock command of the atomic mode goes to the master whatever the read mode.
 */
final class RedissonLockProviderDurableSentinelContractTest extends LockProviderContract {

  private static RedissonClient defaultModes;

  @BeforeAll
  static void connectWithDefaultModes() {
    defaultModes = TestRedisson.connectSentinelWithDefaultModes(SharedSentinel.setup());
  }

  @AfterAll
  static void disconnect() {
    TestRedisson.shutdown(defaultModes);
  }

  @Override
  protected LockProvider createProvider() {
    return durable(defaultModes);
  }

  @Override
  protected Optional<LockProvider> createSecondClient() {
    return Optional.of(durable(SharedSentinel.secondClient()));
  }

  private static LockProvider durable(RedissonClient client) {
    return RedissonLockProvider.builder(client)
        .replicaAcknowledgement(1, Duration.ofSeconds(1))
        .build();
  }
}
