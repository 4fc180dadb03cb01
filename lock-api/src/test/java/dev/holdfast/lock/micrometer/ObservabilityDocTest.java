package dev.holdfast.lock.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.testing.FakeLockProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example of {@code docs/observability.md}, compiled and run here, and held to the page's text
 * so that an edit to either fails a test.
 */
final class ObservabilityDocTest {

  private static final Path PAGE = Path.of("../docs/observability.md");

  @Test
  void theExampleTakesTimesFromThePolicyAndRecordsUnderItsName() {
    FakeLockProvider provider = FakeLockProvider.create();
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    List<String> keys = List.of("lock:product:7", "lock:product:3");
    Stock stock = new Stock();
    String order = "order-1";

    // docs/observability.md
    LockPolicy product = LockPolicy.custom("product").leaseTime(Duration.ofSeconds(10)).build();
    LockPolicy hot = LockPolicy.custom("hot-product").waitTime(Duration.ofMillis(200)).build();
    LockTemplate locks =
        LockTemplate.builder(provider)
            .policies(
                LockPolicies.builder()
                    .policy("lock:product:*", product)
                    .policy("lock:product:hot-*", hot)
                    .build())
            .listener(new MicrometerLockListener(meterRegistry))
            .build();

    locks.runWithLocks(keys, held -> stock.deduct(order)); // wait and lease from the policy
    // end of the page's example

    assertThat(stock.deducted).containsExactly(order);
    assertThat(provider.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.leaseTime()).isEqualTo(Duration.ofSeconds(10)));
    assertThat(meterRegistry.get(MicrometerLockListener.WAIT).tag("policy", "product").timers())
        .isNotEmpty();
  }

  @Test
  void thePageShowsExactlyThisExample() throws Exception {
    String test =
        Files.readString(
            Path.of("src/test/java", getClass().getName().replace('.', '/') + ".java"));
    String page = Files.readString(PAGE);

    String example =
        between(test, "// docs/observability.md\n", "    // end of the page's example")
            .replaceAll("(?m)^ {4}", "");
    String shown = between(page, "```java\n", "```\n");

    assertThat(shown).isEqualTo(example);
  }

  private static String between(String text, String opening, String closing) {
    int start = text.indexOf(opening) + opening.length();
    return text.substring(start, text.indexOf(closing, start));
  }

  /** Stands in for the store the locks protect. */
  private static final class Stock {
    final List<String> deducted = new ArrayList<>();

    boolean deduct(String order) {
      return deducted.add(order);
    }
  }
}
