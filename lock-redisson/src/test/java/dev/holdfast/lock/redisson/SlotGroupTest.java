package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SlotGroupTest {

  @Test
  void outsideAClusterARequestIsOneGroup() {
    List<String> keys = List.of("bar", "foo", "zap");

    List<SlotGroup> groups = SlotGroup.of(keys, false);

    assertThat(groups)
        .singleElement()
        .satisfies(group -> assertThat(group.lockKeys).isEqualTo(keys));
  }

  @Test
  void inAClusterKeysSortedBySlotSplitIntoOneGroupPerSlotInSlotOrder() {
    List<String> keys = new ArrayList<>(List.of("foo", "{order-1}:b", "bar", "{order-1}:a"));
    keys.sort(HashSlots.CLUSTER_ORDER);

    List<SlotGroup> groups = SlotGroup.of(keys, true);

    assertThat(groups)
        .extracting(group -> group.lockKeys)
        .containsExactly(List.of("bar"), List.of("{order-1}:a", "{order-1}:b"), List.of("foo"));
    assertThat(groups).extracting(group -> group.offset).containsExactly(0, 1, 3);
    assertThat(groups.get(1).acquireKeys)
        .containsExactly(
            "{order-1}:a",
            "{order-1}:b",
            "{order-1}:a:fencing-token",
            "{order-1}:b:fencing-token",
            "{order-1}:a:fencing-token:fencing-token",
            "{order-1}:b:fencing-token:fencing-token");
    assertThat(groups.get(1).releaseKeys)
        .containsExactly(
            "{order-1}:a",
            "{order-1}:b",
            "{order-1}:a:fencing-token:fencing-token",
            "{order-1}:b:fencing-token:fencing-token");
  }
}
