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
   * The first executable {@code redis-server} on {@code path}. Reading the PATH ourselves spares a
   * process per start, and {@code which}, which minimal images lack.
   */
  static Optional<Path> findExecutable(@Nullable String path) {
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, EXECUTABLE))
        .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
        .findFirst();
  }
}
