package dev.holdfast.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's snippets are the shop's own code: each block under a {@code <!-- held to PATH by
 * ReadmeTest -->} line must appear in that file, Java as written, properties line by line. Reads
 * the module's files, so it runs in this module only, not in compat/spring-shop-boot-3.
 */
final class ReadmeTest {

  private static final Pattern HELD_BLOCK =
      Pattern.compile(
          "<!-- held to (\\S+) by ReadmeTest -->\\n```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyHeldSnippetIsInTheFileItNames() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher blocks = HELD_BLOCK.matcher(readme);
    int checked = 0;

    while (blocks.find()) {
      String source = Files.readString(Path.of(blocks.group(1)));
      String snippet = blocks.group(3);
      if (blocks.group(2).equals("properties")) {
        assertThat(source.lines()).as(blocks.group(1)).containsAll(snippet.lines().toList());
      } else {
        assertThat(source).as(blocks.group(1)).contains(snippet);
      }
      checked++;
    }

    assertThat(checked).as("held snippets in the README").isEqualTo(2);
  }
}
