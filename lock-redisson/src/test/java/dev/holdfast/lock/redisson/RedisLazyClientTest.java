package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A client with Redisson's lazy initialisation connects on its first command, on the thread that
 * sends it, even through Redisson's asynchronous methods: with Redis down, each such send blocks
 * for Redisson's connect timeouts and retries. The provider's own deadline must hold all the same,
 * for every call and for every attempt's background release.
 */
final class RedisLazyClientTest {

  private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(300);
  private static final Duration LEASE = Duration.ofSeconds(10);

  /** Longer than Redisson's connection attempts with its default timeouts and retries. */
  private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

  /** Thread scheduling and exception handling on a busy two-core machine. */
  private static final Duration SLACK = Duration.ofMillis(250);

  private final String key = "lazy:" + UUID.randomUUID();

  /**
   * Regression: build() took 7 s and each call 8 to 13 s, blocked in Redisson's connection
   * attempts. Once Redis is back, the client connects and the provider locks as usual.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyCallOfALazyClientToADeadServerEndsWithinItsWaitPlusTheResponseTimeout(Mode mode) {
    RedisServer server = RedisServer.start();
    server.kill();
    RedissonClient redisson = Redisson.create(lazyConfig(server));
    long buildStart = System.nanoTime();
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(redisson)
            .mode(mode)
            .responseTimeout(RESPONSE_TIMEOUT)
            .build()) {
      Duration buildTook = Duration.ofNanos(System.nanoTime() - buildStart);
      LockTemplate template = LockTemplate.of(provider);
      List<Duration> waits = List.of(Duration.ZERO, Duration.ofMillis(500), Duration.ZERO);
      List<Duration> took = new ArrayList<>();

      for (Duration wait : waits) {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> template.runWithLock(key, wait, LEASE, h -> {}));
        took.add(Duration.ofNanos(System.nanoTime() - start));
        assertThat(thrown).isInstanceOf(LockBackendException.class);
      }

      assertThat(buildTook).as("build()").isLessThanOrEqualTo(RESPONSE_TIMEOUT.plus(SLACK));
      for (int i = 0; i < waits.size(); i++) {
        assertThat(took.get(i))
            .as("call %d of %s", i, took)
            .isLessThanOrEqualTo(waits.get(i).plus(RESPONSE_TIMEOUT).plus(SLACK));
      }
      server.restart();
      // Sent once Redisson's connection attempts still under way have given up or connected.
      String ran = template.executeWithLock(key, RECOVERY_WAIT, LEASE, h -> "ran");
      assertThat(ran).isEqualTo("ran");
    } finally {
      TestRedisson.shutdown(redisson);
      server.close();
    }
  }

  /** Redisson's defaults for connecting and retrying: the ones that made each call take seconds. */
  private static Config lazyConfig(RedisServer server) {
    Config config = new Config().setLazyInitialization(true);
    config
        .useSingleServer()
        .setAddress(server.address())
        .setConnectionPoolSize(4)
        .setConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(2)
        .setSubscriptionConnectionMinimumIdleSize(1);
    return config;
  }
}
