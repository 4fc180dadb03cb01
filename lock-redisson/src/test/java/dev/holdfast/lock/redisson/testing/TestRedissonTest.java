package dev.holdfast.lock.redisson.testing;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.api.RedissonClient;

/** A client from {@link TestRedisson} works against a {@link RedisServer}, through its faults. */
@Timeout(60)
final class TestRedissonTest {

  private static RedisServer server;
  private static RedissonClient client;

  @BeforeAll
  static void connect() {
    server = RedisServer.start();
    client = TestRedisson.connect(server);
  }

  @AfterAll
  static void shutdown() {
    try {
      TestRedisson.shutdown(client);
    } finally {
      server.close();
    }
  }

  @Test
  void connectsAClientThatWritesToTheServer() {
    client.getAtomicLong("written").set(7);

    assertThat(server.call("GET", "written")).isEqualTo("7");
  }

  @Test
  void aRedissonCommandWaitsOutAPauseAndCompletesOnResume() throws Exception {
    server.pause();
    CompletableFuture<Long> increment =
        client.getAtomicLong("counter").incrementAndGetAsync().toCompletableFuture();
    Throwable whilePaused = catchThrowable(() -> increment.get(500, MILLISECONDS));

    server.resume();

    assertThat(whilePaused).isInstanceOf(TimeoutException.class);
    assertThat(increment.get(5, SECONDS)).isEqualTo(1L);
    assertThat(server.call("GET", "counter")).isEqualTo("1");
  }
}
