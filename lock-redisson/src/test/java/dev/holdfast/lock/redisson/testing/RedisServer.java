package dev.holdfast.lock.redisson.testing;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * A Redis server of a test's own, which the test can pause, kill, stop and restart to inject
 * faults, and query with {@link #call(String...)} to check what a lock left behind.
 *
 * <p>{@link #start(String...)} runs a local {@code redis-server} process when one is on the {@code
 * PATH}, or else a {@code redis:7.0} container through Testcontainers. Either starts with nothing
 * persisted: no RDB snapshots and no append-only file, so every start and {@link #restart()} begins
 * with an empty data set.
 *
 * <p>Instances are thread-safe. The lifecycle methods block until the server has reached the state
 * they name. Closing is idempotent and ends the server whatever state it is in; servers that a test
 * leaves unclosed are ended when the JVM exits (local processes by a shutdown hook, containers by
 * Testcontainers' reaper).
 *
 * <p>{@code TestRedissonTest.aRedissonCommandWaitsOutAPauseAndCompletesOnResume} shows the use that
 * the fault-injection tests build on.
 */
public interface RedisServer extends AutoCloseable {

  /** How long {@link #call(String...)} waits to connect, and then for each read of the reply. */
  Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Starts a server and waits until it answers commands.
   *
   * @param extraArgs {@code redis-server} arguments after the helper's own, so they win: for
   *     example {@code "--maxmemory", "1mb"}. Not {@code --requirepass}: {@link #call(String...)}
   *     does not authenticate.
   * @return the running server
   * @throws IllegalStateException if neither {@code redis-server} is on the {@code PATH} nor a
   *     Docker engine is available (the message says how to get either), or if the server could not
   *     start (the message names the command line and the end of its log)
   */
  static RedisServer start(String... extraArgs) {
    return RedisServers.start(
        System.getenv("PATH"),
        () -> DockerClientFactory.instance().isDockerAvailable(),
        List.of(extraArgs));
  }

  /**
   * The host to connect to.
   *
   * @return {@code 127.0.0.1} for a local process; for a container, Testcontainers' host for it
   */
  String host();

  /**
   * The port to connect to.
   *
   * @return the port; a local process keeps its port across {@link #restart()}, a container gets a
   *     new mapped port on every restart
   */
  int port();

  /**
   * The address in the form Redisson takes.
   *
   * @return {@code redis://host:port}
   */
  default String address() {
    return "redis://" + host() + ":" + port();
  }

  /**
   * Freezes the server (SIGSTOP, or {@code docker pause}): it keeps its connections and data but
   * answers nothing until {@link #resume()}. Returns once the server is frozen.
   *
   * @throws IllegalStateException if the server is not running
   */
  void pause();

  /**
   * Lets a {@linkplain #pause() paused} server run again (SIGCONT, or {@code docker unpause}); it
   * then answers the commands that waited. Does nothing to a server that is not paused, dead ones
   * included, so that cleanup code can call it whatever the test did.
   */
  void resume();

  /**
   * Ends the server at once (SIGKILL, or {@code docker kill}), as a crash would: clients see their
   * connections drop and new connections refused. Does nothing if the server is not running.
   */
  void kill();

  /**
   * Shuts the server down gracefully (SIGTERM, or {@code docker stop}), resuming it first if it is
   * paused, and waits until it has exited. Does nothing if the server is not running.
   *
   * @throws IllegalStateException if a local process did not exit within 10 seconds of SIGTERM; it
   *     has then been killed (Docker kills a container after that time without complaint)
   */
  void stop();

  /**
   * Starts the server again after {@link #kill()} or {@link #stop()}, with the same arguments and
   * an empty data set, and waits until it answers commands. A local process comes back on the same
   * {@link #port()}; a container comes back on a new one.
   *
   * @throws IllegalStateException if the server is running, or if it could not start again
   */
  void restart();

  /**
   * Whether the server process or container is running; a paused one counts as running.
   *
   * @return true from start until kill, stop or close, and again after restart
   */
  boolean isRunning();

  /**
   * The operating-system process id of a local server, for tests that watch the process itself.
   *
   * @return the pid of the current process; empty for a container
   */
  OptionalLong pid();

  /**
   * Sends one command on a new connection and returns the decoded reply, waiting at most {@link
   * #DEFAULT_CALL_TIMEOUT} to connect and then for each read.
   *
   * @param command the command and its arguments, each sent as a UTF-8 bulk string
   * @return the reply: a {@code String} for a simple or bulk string, a {@code Long} for an integer,
   *     a {@code List<Object>} for an array, or null for a null bulk string or array
   * @throws ReplyException if Redis replied with an error
   * @throws UncheckedIOException if the server could not be reached or did not answer in time
   */
  default @Nullable Object call(String... command) {
    return call(DEFAULT_CALL_TIMEOUT, command);
  }

  /**
   * Like {@link #call(String...)} with another timeout, for example a short one to show that a
   * paused server does not answer.
   *
   * @param timeout how long to wait to connect, and then for each read of the reply
   * @param command the command and its arguments
   * @return the decoded reply, as for {@link #call(String...)}
   * @throws ReplyException if Redis replied with an error
   * @throws UncheckedIOException if the server could not be reached or did not answer in time
   */
  default @Nullable Object call(Duration timeout, String... command) {
    return RespClient.call(host(), port(), timeout, List.of(command));
  }

  /**
   * Stops the server if it is running, resuming it first if it is paused, and frees what it held.
   * Idempotent; does not throw if the server has already died.
   *
   * @throws IllegalStateException as {@link #stop()} does
   */
  @Override
  void close();

  /** Redis replied to a {@link RedisServer#call(String...)} with an error. */
  final class ReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplyException(String error) {
      super(error);
    }
  }
}
