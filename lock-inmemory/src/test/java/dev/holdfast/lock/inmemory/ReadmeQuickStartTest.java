package dev.holdfast.lock.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockTemplate;
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
    Receipt receipt = locks.executeWithLocks(keys, Duration.ofSeconds(2), Duration.ofSeconds(30), held -> {
      // Runs while both keys are held (de-duplicated, sorted, taken all-or-nothing).
      long token = held.fencingToken("lock:product:7").orElseThrow();
      held.checkHeld();                        // right before commit: throws if a lease ended
      return inventory.deduct(order, token);   // its value, or its exception, reaches you unchanged
    });
    // end of the README's snippet

    assertThat(receipt.order()).isEqualTo(order);
    assertThat(receipt.fencingToken()).isPositive();
    assertThat(inventory.deductions).containsExactly(order);
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
