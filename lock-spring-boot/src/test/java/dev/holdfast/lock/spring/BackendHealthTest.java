package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What the {@code holdfast} health indicator reports on either Boot line: whether every Redis
 * master answers {@code PING}, within the response timeout even when Redis does not answer, with
 * the provider's mode and startup-check findings; the in-memory backend is always up.
 */
final class BackendHealthTest {

  private final ApplicationContextRunner onRedis =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
          .withBean(RedissonClient.class, SharedRedis::client);

  @Test
  void isUpWhenEveryRedisMasterAnswers() {
    onRedis.run(
        context -> {
          BackendHealth.Status status = context.getBean(BackendHealth.class).check();

          assertThat(status.up()).isTrue();
          assertThat(status.details())
              .containsEntry("backend", "redis")
              .containsEntry("mode", "atomic")
              .doesNotContainKey("startupFindings");
          assertThat(status.details().get("masters"))
              .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
              .hasSize(1)
              .containsValue("PONG");
        });
  }

  @Test
  void showsWhatTheStartupChecksFound() {
    onRedis
        .withPropertyValues(
            "holdfast.redis.replica-acknowledgement.replicas=1",
            "holdfast.redis.replica-count-check=warn")
        .run(
            context -> {
              BackendHealth.Status status = context.getBean(BackendHealth.class).check();

              assertThat(status.up()).isTrue();
              assertThat(status.details().get("startupFindings"))
                  .asString()
                  .contains("replicaAcknowledgement requires 1 replica(s)");
            });
  }

  /**
   * The test client waits 3 s per command and retries: a check that waited for Redisson would take
   * many seconds against a paused server.
   */
  @Test
  void isDownWithinTheResponseTimeoutWhenRedisDoesNotAnswer() {
    onRedis
        .withPropertyValues("holdfast.redis.response-timeout=300ms")
        .run(
            context -> {
              BackendHealth health = context.getBean(BackendHealth.class);
              BackendHealth.Status status;
              long elapsedNanos;
              SharedRedis.server().pause();
              try {
                long start = System.nanoTime();
                status = health.check();
                elapsedNanos = System.nanoTime() - start;
              } finally {
                SharedRedis.server().resume();
              }

              assertThat(status.up()).isFalse();
              assertThat(status.details().get("masters"))
                  .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                  .containsValue("no answer within 300 ms");
              assertThat(Duration.ofNanos(elapsedNanos)).isLessThan(Duration.ofSeconds(2));
              await().atMost(Duration.ofSeconds(10)).until(() -> health.check().up());
            });
  }

  @Test
  void theInMemoryBackendIsAlwaysUp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
        .withPropertyValues("holdfast.provider=in-memory")
        .run(
            context ->
                assertThat(context.getBean(BackendHealth.class).check())
                    .isEqualTo(new BackendHealth.Status(true, Map.of("backend", "in-memory"))));
  }
}
