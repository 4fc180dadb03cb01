package dev.holdfast.lock.redisson;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.redisson.readme.QuickStart;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start is {@link QuickStart}'s source file without its package line, so the
 * program a reader pastes is the one Maven compiles and this test runs, in a JVM of its own: it
 * must print what the README says and exit, which it does only once it has closed the provider and
 * the Redisson client.
 */
final class ReadmeQuickStartTest {

  private static final String EXAMPLE =
      "lock-redisson/src/test/java/dev/holdfast/lock/redisson/readme/QuickStart.java";

  /** Generous: a Redisson client takes seconds to start on a loaded two-core machine. */
  private static final long EXIT_TIMEOUT_SECONDS = 60;

  @Test
  void theReadmeShowsTheQuickStartProgramAsItIs() throws IOException {
    String source = Files.readString(Path.of("..", EXAMPLE));

    String shown = javaBlockAfter(Files.readString(Path.of("../README.md")), "<!-- " + EXAMPLE);

    assertThat(shown).isEqualTo(source.substring(source.indexOf("\n\n") + 2));
  }

  @Test
  void theQuickStartSellsUnderBothProductLocksPrintsTheStockLeftAndExits() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      Path log = Path.of("target", "readme-quick-start.log");
      Process program =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  QuickStart.class.getName(),
                  server.address())
              .redirectError(log.toFile())
              .start();

      boolean exited = program.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!exited) {
        program.destroyForcibly();
      }

      assertThat(exited)
          .as("exited within %d s; its log, %s:%n%s", EXIT_TIMEOUT_SECONDS, log, read(log))
          .isTrue();
      assertThat(program.exitValue()).as("exit code; its log:%n%s", read(log)).isZero();
      assertThat(new String(program.getInputStream().readAllBytes(), UTF_8))
          // The token is the Redis server's clock in microseconds: 16 digits until the year 2286.
          .matches("stock \\{3=4, 7=3}, fencing token of lock:product:7: \\d{16}\n");
      assertThat(server.call("EXISTS", "lock:product:7", "lock:product:3")).isEqualTo(0L);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log);
  }

  /** The first {@code java} code block after {@code marker}, without its fences. */
  private static String javaBlockAfter(String markdown, String marker) {
    assertThat(markdown).as("the README's marker of the example").contains(marker);
    return between(markdown.substring(markdown.indexOf(marker)), "```java\n", "```\n");
  }

  private static String between(String text, String opening, String closing) {
    int start = text.indexOf(opening) + opening.length();
    return text.substring(start, text.indexOf(closing, start));
  }
}
