package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The README's Redis example, compiled and run so that it cannot drift from the API. */
final class ReadmeRedisExampleTest {

  @Test
  void theExampleDeductsUnderBothProductLocks() {
    String redisAddress = SharedRedis.server().address();
    Inventory inventory = new Inventory();
    String order = "order-1";

    // README: Redis
    Config config = new Config();
    config.useSingleServer().setAddress(redisAddress); // "redis://127.0.0.1:6379"
    RedissonClient redisson = Redisson.create(config); // yours: Holdfast never shuts it down

    RedissonLockProvider provider = RedissonLockProvider.builder(redisson).build();
    LockTemplate locks = LockTemplate.of(provider);
    Receipt receipt =
        locks.executeWithLocks(
            List.of("lock:product:7", "lock:product:3"),
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            held -> inventory.deduct(order, held.fencingToken("lock:product:7").orElseThrow()));
    // end of the README's snippet
    provider.close();
    TestRedisson.shutdown(redisson);

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
        between(test, "// README: Redis\n", "    // end of the README's snippet")
            .replaceAll("(?m)^ {4}", "");
    String shown = between(readme, "## Redis\n\n```java\n", "```");

    assertThat(shown).isEqualTo(snippet);
  }

  private static String between(String text, String opening, String closing) {
    int start = text.indexOf(opening) + opening.length();
    return text.substring(start, text.indexOf(closing, start));
  }

  /** What the example returns. */
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
