package dev.holdfast.lock.inmemory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.inmemory.readme.InMemoryExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's in-memory example is {@link InMemoryExample}'s source file without its package line,
 * so the program a reader pastes is the one Maven compiles and this test runs; {@code
 * LockTemplate}'s Javadoc example is a part of it. An edit to any of the three fails a test here.
 */
final class ReadmeInMemoryExampleTest {

  private static final String EXAMPLE =
      "lock-inmemory/src/test/java/dev/holdfast/lock/inmemory/readme/InMemoryExample.java";

  @Test
  void theReadmeShowsTheExampleProgramAsItIs() throws IOException {
    String source = Files.readString(Path.of("..", EXAMPLE));

    String shown = javaBlockAfter(Files.readString(Path.of("../README.md")), "<!-- " + EXAMPLE);

    assertThat(shown).isEqualTo(source.substring(source.indexOf("\n\n") + 2));
  }

  @Test
  void theExampleSellsUnderBothProductLocksAndPrintsTheStockLeft() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream standardOut = System.out;

    System.setOut(new PrintStream(printed, true, UTF_8));
    try {
      InMemoryExample.main(new String[0]);
    } finally {
      System.setOut(standardOut);
    }

    assertThat(printed.toString(UTF_8))
        .isEqualTo("stock {3=4, 7=3}, fencing token of lock:product:7: 1" + System.lineSeparator());
  }

  @Test
  void lockTemplatesJavadocExampleIsPartOfTheExample() throws IOException {
    String javadoc =
        Files.readString(Path.of("../lock-api/src/main/java/dev/holdfast/lock/LockTemplate.java"));
    String source = Files.readString(Path.of("..", EXAMPLE));

    String example = between(javadoc, "<pre>{@code\n", " * }</pre>").replaceAll("(?m)^ \\*", "");

    assertThat(stripped(source)).contains(stripped(example));
  }

  /** The lines of {@code code} without their indentation, as one string. */
  private static String stripped(String code) {
    return code.lines().map(String::strip).collect(Collectors.joining("\n"));
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
