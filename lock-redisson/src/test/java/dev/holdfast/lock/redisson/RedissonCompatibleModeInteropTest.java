package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RLock;

/**
 * The compatible mode and plain Redisson {@code RLock} users of the same key names exclude each
 * other.
 */
final class RedissonCompatibleModeInteropTest {

  private static final Duration LEASE = Duration.ofSeconds(30);

  private final String key = "interop:" + UUID.randomUUID();
  private final RedissonLockProvider provider =
      RedissonLockProvider.builder(SharedRedis.client()).mode(Mode.REDISSON_COMPATIBLE).build();
  private final LockTemplate template = LockTemplate.of(provider);

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void aPlainRedissonHolderKeepsHoldfastOut() throws Exception {
    RLock plain = SharedRedis.secondClient().getLock(key);
    assertThat(plain.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    Throwable thrown;
    try {
      thrown =
          catchThrowable(
              () ->
                  template.runWithLocks(
                      List.of(key + ":other", key), Duration.ofMillis(200), LEASE, held -> {}));
    } finally {
      plain.unlock();
    }

    assertThat(thrown).isInstanceOf(LockNotAcquiredException.class);
    assertThat(((LockNotAcquiredException) thrown).blockingKeys()).containsExactly(key);
    assertThat(SharedRedis.client().getLock(key + ":other").isLocked()).isFalse();
  }

  @Test
  void aHoldfastHolderKeepsPlainRedissonOutUntilItReleases() throws Exception {
    RLock plain = SharedRedis.secondClient().getLock(key);

    boolean plainGotItWhileHeld =
        template.executeWithLock(
            key,
            Duration.ZERO,
            LEASE,
            held -> plain.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS));
    boolean plainGotItAfterwards = plain.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS);
    plain.unlock();

    assertThat(plainGotItWhileHeld).isFalse();
    assertThat(plainGotItAfterwards).isTrue();
  }
}
