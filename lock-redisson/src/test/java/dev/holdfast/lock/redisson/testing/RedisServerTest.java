package dev.holdfast.lock.redisson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.redisson.testing.RedisServer.ReplyException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a {@link RedisServer} does whichever way it runs, shown on the one that {@link
 * RedisServer#start(String...)} picks on this machine.
 */
@Timeout(30)
final class RedisServerTest {

  private final RedisServer server = RedisServer.start();

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void answersCommandsAtTheAddressItNames() {
    Object reply = server.call("PING");

    assertThat(reply).isEqualTo("PONG");
    assertThat(server.address()).isEqualTo("redis://" + server.host() + ":" + server.port());
    assertThat(server.isRunning()).isTrue();
  }

  @Test
  void decodesEachKindOfReply() {
    Object status = server.call("SET", "city", "Zürich");
    Object bulkString = server.call("GET", "city");
    Object nullBulkString = server.call("GET", "no-such-key");
    Object integer = server.call("RPUSH", "list", "a", "", "c");
    Object array = server.call("LRANGE", "list", "0", "-1");
    Object emptyArray = server.call("KEYS", "no-such-*");

    assertThat(status).isEqualTo("OK");
    assertThat(bulkString).isEqualTo("Zürich");
    assertThat(nullBulkString).isNull();
    assertThat(integer).isEqualTo(3L);
    assertThat(array).isEqualTo(List.of("a", "", "c"));
    assertThat(emptyArray).isEqualTo(List.of());
  }

  @Test
  void throwsTheErrorThatRedisReplied() {
    Throwable thrown = catchThrowable(() -> server.call("INCR"));

    assertThat(thrown)
        .isInstanceOf(ReplyException.class)
        .hasMessage("ERR wrong number of arguments for 'incr' command");
  }

  @Test
  void appliesTheExtraArguments() {
    try (RedisServer limited = RedisServer.start("--maxmemory", "1mb")) {

      Object maxmemory = limited.call("CONFIG", "GET", "maxmemory");

      assertThat(maxmemory).isEqualTo(List.of("maxmemory", "1048576"));
    }
  }

  @Test
  void twoServersHaveTheirOwnPortsAndData() {
    try (RedisServer other = RedisServer.start()) {

      server.call("SET", "only-here", "1");

      assertThat(other.port()).isNotEqualTo(server.port());
      assertThat(other.call("DBSIZE")).isEqualTo(0L);
      assertThat(server.call("DBSIZE")).isEqualTo(1L);
    }
  }

  @Test
  void aPausedServerAnswersOnlyOnceResumed() {
    server.pause();
    Throwable whilePaused = catchThrowable(() -> server.call(Duration.ofMillis(300), "PING"));
    server.resume();

    Object afterResume = server.call("PING");

    assertThat(whilePaused)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(server.host() + ":" + server.port())
        .hasCauseInstanceOf(SocketTimeoutException.class);
    assertThat(afterResume).isEqualTo("PONG");
    assertThat(server.isRunning()).isTrue();
  }

  @Test
  void aKilledServerRefusesConnections() {
    server.kill();

    Throwable thrown = catchThrowable(() -> server.call("PING"));

    assertThat(server.isRunning()).isFalse();
    assertThat(thrown)
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void aKilledServerRestartsWithNoData() {
    server.call("SET", "before-the-crash", "1");
    server.kill();

    server.restart();

    assertThat(server.isRunning()).isTrue();
    assertThat(server.call("DBSIZE")).isEqualTo(0L);
  }

  @Test
  void aStoppedServerRestarts() {
    server.stop();
    boolean runningWhenStopped = server.isRunning();

    server.restart();

    assertThat(runningWhenStopped).isFalse();
    assertThat(server.call("PING")).isEqualTo("PONG");
  }

  @Test
  void refusesToRestartWhileRunning() {
    Throwable thrown = catchThrowable(server::restart);

    assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
    assertThat(server.call("PING")).isEqualTo("PONG");
  }

  @Test
  void refusesToPauseAServerThatIsNotRunning() {
    server.kill();

    Throwable thrown = catchThrowable(server::pause);

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot pause")
        .hasMessageContaining("not running");
  }

  @Test
  void resumeDoesNothingToAServerKilledWhilePaused() {
    server.pause();
    server.kill();

    server.resume();

    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void closeEndsAPausedServer() {
    server.pause();

    server.close();

    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void closeOfAKilledServerIsQuietAndIdempotent() {
    server.kill();

    server.close();
    server.close();

    assertThat(server.isRunning()).isFalse();
  }
}
