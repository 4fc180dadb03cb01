package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The compatible mode with many keys. */
final class RedissonCompatibleModeLoadTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final String prefix = "compatible-load:" + UUID.randomUUID() + ":";
  private final List<LockBackendException> reported = new CopyOnWriteArrayList<>();

  /**
   * Regression: the keys were unlocked one round trip after another within one response timeout in
   * all, so that a callback over many keys was reported as a backend failure.
   */
  @Test
  void theReleaseOfAThousandKeysAfterACompletedCallbackIsNoBackendFailure() {
    List<String> keys = keys(LockTemplate.MAX_KEYS);
    try (RedissonLockProvider provider = provider(SharedRedis.client(), Duration.ofMillis(100))) {

      String result = template(provider).executeWithLocks(keys, WAIT, LEASE, held -> "committed");

      assertThat(result).isEqualTo("committed");
      assertThat(reported).isEmpty();
      List<String> exists = new ArrayList<>(List.of("EXISTS"));
      exists.addAll(keys);
      assertThat(SharedRedis.server().call(exists.toArray(String[]::new))).isEqualTo(0L);
    }
  }

  private List<String> keys(int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).sorted().toList();
  }

  private static RedissonLockProvider provider(RedissonClient client, Duration responseTimeout) {
    return RedissonLockProvider.builder(client)
        .mode(Mode.REDISSON_COMPATIBLE)
        .responseTimeout(responseTimeout)
        .build();
  }

  private LockTemplate template(RedissonLockProvider provider) {
    return LockTemplate.builder(provider)
        .listener(
            new LockListener() {
              @Override
              public void onBackendFailure(LockRequest request, LockBackendException exception) {
                reported.add(exception);
              }
            })
        .build();
  }
}
