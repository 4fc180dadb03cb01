package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fencing tokens in the atomic mode, and the counters that issue them. */
final class RedisFencingTokenTest {

  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final String key = "fencing:" + UUID.randomUUID();
  private final RedissonLockProvider provider =
      RedissonLockProvider.builder(SharedRedis.client()).build();
  private final LockTemplate template = LockTemplate.of(provider);

  @AfterEach
  void closeProvider() {
    provider.close();
  }

  /**
   * The regression: a lock key spelled like another key's fencing counter found the counter there
   * once that key had been taken, and could never be taken itself.
   */
  @Test
  void aKeySpelledLikeAnotherKeysFencingCounterIsRefusedUpFront() {
    template.runWithLock(key, WAIT, LEASE, held -> {});
    String counter = RedissonLockProvider.fencingCounterKey(key);

    Throwable thrown =
        catchThrowable(() -> template.runWithLock(counter, Duration.ZERO, LEASE, held -> {}));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(counter);
  }
}
