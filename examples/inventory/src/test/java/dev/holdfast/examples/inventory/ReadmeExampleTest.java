package dev.holdfast.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.holdfast.examples.inventory.OrderService.Fencing;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of the inventory README and of {@link OrderService}'s Javadoc, compiled and run. */
final class ReadmeExampleTest {

  @Test
  void theReadmeExamplePlacesAFencedOrderUnderTheSharedLock() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:readme-example;DB_CLOSE_DELAY=-1");
    try (HikariDataSource dataSource = new HikariDataSource(config);
        RedissonLockProvider provider = RedissonLockProvider.builder(SharedRedis.first()).build()) {
      Inventory stock = Inventory.builder(dataSource).build();
      stock.createTables();
      try {
        stock.resetStock(Map.of(3L, 5L, 7L, 5L));

        // README, "Inventory: order stock deduction on a real database"
        Inventory inventory = Inventory.builder(dataSource).build(); // over three tables
        OrderService orders =
            new OrderService(
                LockTemplate.of(provider), // RedissonLockProvider, shared by every service instance
                inventory,
                Fencing.supportedBy(provider),
                Duration.ofSeconds(5), // wait for all of the order's product locks
                Duration.ofSeconds(10)); // lease
        orders.placeOrder(new Order("o-1", List.of(new OrderLine(7, 2), new OrderLine(3, 1))));
        // end of the README's example

        assertThat(Fencing.supportedBy(provider)).isEqualTo(Fencing.TOKENS);
        assertThat(inventory.stock()).containsExactly(Map.entry(3L, 4L), Map.entry(7L, 3L));
      } finally {
        stock.dropTables();
      }
    }
  }

  @Test
  void theReadmeAndOrderServicesJavadocShowExactlyThisExample() throws Exception {
    String test =
        Files.readString(
            Path.of("src/test/java", getClass().getName().replace('.', '/') + ".java"));
    String readme = Files.readString(Path.of("README.md"));
    String javadoc =
        Files.readString(
            Path.of("src/main/java", OrderService.class.getName().replace('.', '/') + ".java"));

    String example =
        between(test, "database\"\n", "        // end of the README's example")
            .replaceAll("(?m)^ {8}", "");
    String shown = between(readme, "```java\n", "```\n");
    String documented =
        between(javadoc, "<pre>{@code\n", " * }</pre>").replaceAll("(?m)^ \\* ", "");

    assertThat(shown).isEqualTo(example);
    assertThat(documented).isEqualTo(example);
  }

  private static String between(String text, String opening, String closing) {
    int start = text.indexOf(opening) + opening.length();
    return text.substring(start, text.indexOf(closing, start));
  }
}
