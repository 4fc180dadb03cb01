package dev.holdfast.lock.redisson.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a local {@code redis-server} process promises beyond {@link RedisServerTest}: it is a
 * process of this JVM's own, keeps its port across restarts, ends cleanly, and never outlives the
 * JVM.
 */
@Timeout(30)
final class LocalRedisServerTest {

  private final LocalRedisServer server = startLocal();

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void isAChildProcessListeningOnLoopbackOnly() {
    long pid = server.pid().orElseThrow();

    Object info = server.call("INFO", "server");
    Object bind = server.call("CONFIG", "GET", "bind");

    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(ProcessHandle.current().children().mapToLong(ProcessHandle::pid)).contains(pid);
    assertThat((String) info).contains("\nprocess_id:" + pid + "\r\n");
    assertThat(bind).isEqualTo(List.of("bind", "127.0.0.1"));
  }

  @Test
  void restartsOnTheSamePortWhileAConnectionOfTheKilledProcessIsInTimeWait() throws IOException {
    int port = server.port();
    long killedPid = server.pid().orElseThrow();
    try (Socket connection = new Socket(server.host(), port)) {
      connection.setSoTimeout(5_000);
      // Killing the server ends an accepted connection with FIN, but resets one still queued.
      connection.getOutputStream().write("PING\r\n".getBytes(UTF_8));
      assertThat(connection.getInputStream().readNBytes(7)).asString(UTF_8).isEqualTo("+PONG\r\n");
      server.kill();
      // Closing only after the server's end has closed leaves the server's end in TIME_WAIT.
      assertThat(connection.getInputStream().read()).as("end of stream").isEqualTo(-1);
    }

    server.restart();

    assertThat(server.port()).isEqualTo(port);
    assertThat(server.pid().orElseThrow()).isNotEqualTo(killedPid);
    assertThat(server.call("PING")).isEqualTo("PONG");
  }

  @Test
  void restartDoesNotLoadASnapshotSavedBeforeTheKill() {
    server.call("SET", "saved", "1");
    server.call("SAVE");
    server.kill();

    server.restart();

    assertThat(server.call("DBSIZE")).isEqualTo(0L);
  }

  @Test
  void stopShutsTheProcessDownGracefully() {
    long pid = server.pid().orElseThrow();

    server.stop();

    assertThat(isAlive(pid)).isFalse();
    assertThat(server.logTail()).contains("Received SIGTERM").contains("ready to exit");
  }

  @Test
  void killEndsTheProcessWithoutAShutdown() {
    long pid = server.pid().orElseThrow();

    server.kill();

    assertThat(isAlive(pid)).isFalse();
    assertThat(server.logTail()).doesNotContain("SIGTERM").doesNotContain("ready to exit");
  }

  @Test
  void closeEndsAPausedProcess() {
    long pid = server.pid().orElseThrow();
    server.pause();

    server.close();

    assertThat(isAlive(pid)).isFalse();
  }

  @Test
  void closeDeletesTheServersDirectory() {
    List<?> dir = (List<?>) server.call("CONFIG", "GET", "dir");
    Path directory = Path.of((String) dir.get(1));

    server.close();

    assertThat(directory).doesNotExist();
  }

  @Test
  void aServerThatCannotStartNamesItsCommandLineAndOutput() {
    Throwable thrown = catchThrowable(() -> startLocal("--maxmemory", "lots"));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-server exited with code 1 before answering on port")
        .hasMessageContaining(" --save \"\" --appendonly no ")
        .hasMessageContaining(" --maxmemory lots")
        .hasMessageContaining("FATAL CONFIG FILE ERROR");
  }

  @Test
  void noServerOutlivesTheJvmThatStartedItEvenWhenPaused() throws Exception {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ExitsLeavingAPausedServer.class.getName())
            .redirectError(Redirect.INHERIT)
            .start();
    List<String> output = new String(jvm.getInputStream().readAllBytes(), UTF_8).lines().toList();
    int exitCode = jvm.waitFor();
    long pid = Long.parseLong(output.get(output.size() - 1));

    boolean survived = isAlive(pid);
    if (survived) {
      // Not to leave it behind on a failure.
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    assertThat(exitCode).isZero();
    assertThat(survived).as("redis-server pid %d alive after its JVM exited", pid).isFalse();
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static LocalRedisServer startLocal(String... extraArgs) {
    Path executable =
        RedisServers.findExecutable(System.getenv("PATH"))
            .orElseThrow(() -> new IllegalStateException("redis-server is not on the PATH"));
    return LocalRedisServer.start(executable, List.of(extraArgs));
  }

  /** Run in a JVM of its own: starts and pauses a server, prints its pid, and exits. */
  static final class ExitsLeavingAPausedServer {
    public static void main(String[] args) {
      RedisServer server = RedisServer.start();
      server.pause();
      System.out.println(server.pid().orElseThrow());
    }
  }
}
