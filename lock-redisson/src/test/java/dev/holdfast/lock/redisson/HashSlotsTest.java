package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class HashSlotsTest {

  /** Slots that Redis Cluster itself reports for these keys (CLUSTER KEYSLOT). */
  @ParameterizedTest
  @CsvSource({
    "foo, 12182",
    "bar, 5061",
    "123456789, 12739",
    "{user1000}.following, 3443",
    "{user1000}.followers, 3443",
    "foo{}{bar}, 8363",
    "foo{{bar}}zap, 4015",
    "foo{bar}{zap}, 5061"
  })
  void computesTheSlotRedisClusterComputes(String key, int slot) {
    assertThat(HashSlots.slot(key)).isEqualTo(slot);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lock:product:7",
        "order:{42}:line",
        "a}b",
        "a{}b",
        "}{",
        "{",
        "}",
        "{}",
        "lock:{product}:7",
        "clé:ürün:商品"
      })
  void aFencingCounterLivesInItsLockKeysSlot(String lockKey) {
    String counter = HashSlots.fencingCounterKey(lockKey);

    assertThat(HashSlots.slot(counter)).isEqualTo(HashSlots.slot(lockKey));
    assertThat(counter).contains(lockKey).isNotEqualTo(lockKey);
  }

  @Test
  void aFencingCounterLivesInItsLockKeysSlotForRandomKeys() {
    Random random = new Random(42);
    String alphabet = "ab{}:";
    for (int i = 0; i < 10_000; i++) {
      StringBuilder key = new StringBuilder();
      for (int length = random.nextInt(8); length >= 0; length--) {
        key.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }

      String counter = HashSlots.fencingCounterKey(key.toString());

      assertThat(HashSlots.slot(counter))
          .as("counter %s of %s", counter, key)
          .isEqualTo(HashSlots.slot(key.toString()));
    }
  }

  @Test
  void readableKeysGetReadableCounters() {
    assertThat(HashSlots.fencingCounterKey("lock:product:7"))
        .isEqualTo("{lock:product:7}:fencing-token");
    assertThat(HashSlots.fencingCounterKey("order:{42}:line"))
        .isEqualTo("order:{42}:line:fencing-token");
  }

  @Test
  void clusterOrderGroupsKeysBySlotThenSortsByKey() {
    List<String> keys = new java.util.ArrayList<>(List.of("foo", "bar", "{foo}b", "{foo}a"));

    keys.sort(HashSlots.CLUSTER_ORDER);

    assertThat(keys).containsExactly("bar", "foo", "{foo}a", "{foo}b");
  }
}
