package dev.holdfast.lock.redisson.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** Chooses how {@link RedisServer#start(String...)} runs Redis on this machine. */
final class RedisServers {

  static final String EXECUTABLE = "redis-server";
  static final String CLI_EXECUTABLE = "redis-cli";

  private RedisServers() {}

  /**
   * A local process when {@code redis-server} is on {@code path}, else a container when Docker is
   * available, else a failure that says how to get either: a test that needs Redis must not pass by
   * skipping.
   */
  static RedisServer start(
      @Nullable String path, BooleanSupplier dockerAvailable, List<String> extraArgs) {
    Optional<Path> executable = findExecutable(path);
    if (executable.isPresent()) {
      return LocalRedisServer.start(executable.get(), extraArgs);
    }
    if (dockerAvailable.getAsBoolean()) {
      return ContainerRedisServer.start(extraArgs);
    }
    throw new IllegalStateException(
        "Tests need Redis, but "
            + EXECUTABLE
            + " is not on the PATH ("
            + path
            + ") and no Docker engine is available. Either install Redis 7 (on Debian or"
            + " Ubuntu: apt-get install redis-server), or start a Docker engine so that"
            + " Testcontainers can run the redis:7.0 image.");
  }

  /**
   * A local {@code redis-server} process, for the topologies (Sentinel, Cluster), which have no
   * container fallback: they need several processes that reach each other on loopback addresses.
   *
   * @param config the text of a configuration file to start with, kept across restarts
   * @throws IllegalStateException if {@code redis-server} is not on the {@code PATH}
   */
  static RedisServer startLocal(Optional<String> config, List<String> extraArgs) {
    return LocalRedisServer.start(
        requireExecutable(System.getenv("PATH"), EXECUTABLE), config, extraArgs);
  }

  /**
   * Closes every server, all of them even when some fail.
   *
   * @throws RuntimeException the first failure, with the others suppressed
   */
  static void closeAll(List<RedisServer> servers) {
    RuntimeException failure = null;
    for (RedisServer server : servers) {
      try {
        server.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes what a failed start had started, attaching any close failure to {@code failure}. */
  static void closeAfterFailure(List<RedisServer> started, RuntimeException failure) {
    try {
      closeAll(started);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The named executable on this JVM's {@code PATH}, or a failure that says how to get it: a test
   * of a topology must not pass by skipping.
   */
  static Path requireExecutable(@Nullable String path, String name) {
    return findExecutable(path, name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Tests of Redis Sentinel and Cluster need local Redis processes, but "
                        + name
                        + " is not on the PATH ("
                        + path
                        + "). Install Redis 7 (on Debian or Ubuntu: apt-get install"
                        + " redis-server redis-sentinel)."));
  }

  /**
   * The first executable {@code redis-server} on {@code path}. Reading the PATH ourselves spares a
   * process per start, and {@code which}, which minimal images lack.
   */
  static Optional<Path> findExecutable(@Nullable String path) {
    return findExecutable(path, EXECUTABLE);
  }

  private static Optional<Path> findExecutable(@Nullable String path, String name) {
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, name))
        .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
        .findFirst();
  }
}
