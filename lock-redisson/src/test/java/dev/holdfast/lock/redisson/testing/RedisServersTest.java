package dev.holdfast.lock.redisson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link RedisServer#start(String...)} chooses between a local process and a container. */
final class RedisServersTest {

  @TempDir Path temp;

  @Test
  void findsTheFirstExecutableRedisServerFileOnThePath() throws Exception {
    Path notExecutable = Files.createDirectories(temp.resolve("not-executable"));
    Files.createFile(notExecutable.resolve("redis-server"));
    Path aDirectory = Files.createDirectories(temp.resolve("a-directory/redis-server")).getParent();
    Path executable = Files.createDirectories(temp.resolve("executable"));
    Files.createFile(
        executable.resolve("redis-server"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    String path =
        String.join(
            File.pathSeparator,
            "",
            notExecutable.toString(),
            aDirectory.toString(),
            executable.toString());

    assertThat(RedisServers.findExecutable(path)).contains(executable.resolve("redis-server"));
  }

  @Test
  void findsNothingWithoutAPath() {
    assertThat(RedisServers.findExecutable(null)).isEmpty();
  }

  @Test
  void saysHowToGetRedisWhenNeitherRedisServerNorDockerIsThere() {
    Throwable thrown =
        catchThrowable(() -> RedisServers.start(temp.toString(), () -> false, List.of()));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-server is not on the PATH (" + temp + ")")
        .hasMessageContaining("apt-get install redis-server")
        .hasMessageContaining("start a Docker engine");
  }

  @Test
  void saysHowToGetRedisWhenATopologyNeedsAnExecutableThatIsMissing() {
    Throwable thrown =
        catchThrowable(() -> RedisServers.requireExecutable(temp.toString(), "redis-cli"));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-cli is not on the PATH (" + temp + ")")
        .hasMessageContaining("apt-get install redis-server redis-sentinel");
  }
}
