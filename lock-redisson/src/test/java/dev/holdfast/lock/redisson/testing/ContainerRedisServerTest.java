package dev.holdfast.lock.redisson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;

/**
 * The container fallback of {@link RedisServer#start(String...)}, where a Docker engine runs. A
 * machine without one skips this test only: every other Redis test needs a server and fails without
 * one.
 */
@Timeout(120)
final class ContainerRedisServerTest {

  @Test
  void runsRedisInAContainerThatPausesKillsAndRestarts() {
    assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "needs a Docker engine to run");

    try (RedisServer server = ContainerRedisServer.start(List.of("--maxmemory", "1mb"))) {
      Object maxmemory = server.call("CONFIG", "GET", "maxmemory");
      server.call("SET", "before-the-crash", "1");
      server.pause();
      Throwable whilePaused = catchThrowable(() -> server.call(Duration.ofMillis(300), "PING"));
      server.resume();
      Object afterResume = server.call("PING");
      server.kill();
      boolean runningAfterKill = server.isRunning();

      server.restart();

      assertThat(maxmemory).isEqualTo(List.of("maxmemory", "1048576"));
      assertThat(whilePaused).isInstanceOf(UncheckedIOException.class);
      assertThat(afterResume).isEqualTo("PONG");
      assertThat(runningAfterKill).isFalse();
      assertThat(server.isRunning()).isTrue();
      assertThat(server.call("DBSIZE")).isEqualTo(0L);
      assertThat(server.pid()).isEmpty();
    }
  }
}
