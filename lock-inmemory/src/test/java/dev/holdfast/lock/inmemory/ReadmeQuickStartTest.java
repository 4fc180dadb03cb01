package dev.holdfast.lock.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's quick start, compiled and run so that it cannot drift from the API. */
final class ReadmeQuickStartTest {

  @Test
  void theQuickStartDeductsUnderBothProductLocks() {
    Inventory inventory = new Inventory();
    String order = "order-1";

    // README: Quick start
    LockTemplate locks = LockTemplate.of(InMemoryLockProvider.create());

    List<String> keys = List.of("lock:product:7", "lock:product:3", "lock:product:7");
    Duration wait = Duration.ofSeconds(2);
    Duration lease = Duration.ofSeconds(30);
    Receipt receipt =
        locks.executeWithLocks(
            keys,
            wait,
            lease,
            held -> {
              // Runs while both keys are held: de-duplicated, sorted, taken all-or-nothing.
              long token = held.fencingToken("lock:product:7").orElseThrow();
              held.checkHeld(); // right before committing: throws if a lease has ended
              return inventory.deduct(order, token); // value or exception reaches you unchanged
            });
    // end of the README's snippet

    assertThat(receipt.order()).isEqualTo(order);
    assertThat(receipt.fencingToken()).isPositive();
    assertThat(inventory.deductions).containsExactly(order);
  }

  @Test
  void theReadmeShowsExactlyThisSnippet() throws Exception {
    String test =
        Files.readString(
            Path.of("src/test/java", getClass().getName().replace('.', '/') + ".java"));
    String readme = Files.readString(Path.of("../README.md"));

    String snippet =
        between(test, "// README: Quick start\n", "    // end of the README's snippet")
            .replaceAll("(?m)^ {4}", "");
    String shown = between(readme, "## Quick start\n\n```java\n", "```");

    assertThat(shown).isEqualTo(snippet);
  }

  private static String between(String text, String opening, String closing) {
    int start = text.indexOf(opening) + opening.length();
    return text.substring(start, text.indexOf(closing, start));
  }

  /** What the quick start returns. */
  record Receipt(String order, long fencingToken) {}

  /** Stands in for the store the locks protect. */
  static final class Inventory {
    final List<String> deductions = new ArrayList<>();

    Receipt deduct(String order, long fencingToken) {
      deductions.add(order);
      return new Receipt(order, fencingToken);
    }
  }
}
