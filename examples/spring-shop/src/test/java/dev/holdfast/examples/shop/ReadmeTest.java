package dev.holdfast.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The READMEs' snippets are the shop's own code: each block under a {@code <!-- held to PATH by
 * ReadmeTest -->} line must appear in that file, Java as written, properties line by line. The
 * shop's README names paths inside this module, the project's README (its Spring Boot quick start)
 * paths from the project's root. Reads the files, so it runs in this module only, not in
 * compat/spring-shop-boot-3.
 */
final class ReadmeTest {

  private static final Pattern HELD_BLOCK =
      Pattern.compile(
          "<!-- held to (\\S+) by ReadmeTest -->\\n```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyHeldSnippetOfTheShopsReadmeIsInTheFileItNames() throws IOException {
    assertThat(checkHeldSnippets(Path.of("."))).as("held snippets in the shop's README").isEqualTo(2);
  }

  @Test
  void theProjectReadmesSpringBootQuickStartIsTheShopsCode() throws IOException {
    assertThat(checkHeldSnippets(Path.of("../.."))).as("held snippets in the project's README").isEqualTo(3);
  }

  /** Checks every held snippet of {@code directory}'s README; returns how many there were. */
  private static int checkHeldSnippets(Path directory) throws IOException {
    Matcher blocks = HELD_BLOCK.matcher(Files.readString(directory.resolve("README.md")));
    int checked = 0;
    while (blocks.find()) {
      String source = Files.readString(directory.resolve(blocks.group(1)));
      String snippet = blocks.group(3);
      if (blocks.group(2).equals("properties")) {
        assertThat(source.lines()).as(blocks.group(1)).containsAll(snippet.lines().toList());
      } else {
        assertThat(source).as(blocks.group(1)).contains(snippet);
      }
      checked++;
    }
    return checked;
  }
}
