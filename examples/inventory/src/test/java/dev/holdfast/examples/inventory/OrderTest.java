package dev.holdfast.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class OrderTest {

  @Test
  void sumsTheLinesOfAProductThatAppearsTwiceInProductOrder() {
    Order order =
        new Order("o-1", List.of(new OrderLine(7, 2), new OrderLine(3, 1), new OrderLine(7, 4)));

    assertThat(order.quantities()).containsExactly(Map.entry(3L, 1), Map.entry(7L, 6));
    assertThat(order.units()).isEqualTo(7);
  }

  @Test
  void refusesALineOfLessThanOneUnitNamingTheValue() {
    assertThatThrownBy(() -> new OrderLine(7, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quantity")
        .hasMessageContaining("was 0");
  }

  @Test
  void refusesAnOrderWithoutLinesOrWithABlankId() {
    assertThatThrownBy(() -> new Order("o-1", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lines");
    assertThatThrownBy(() -> new Order(" ", List.of(new OrderLine(1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was \" \"");
  }

  @Test
  void refusesAnOrderWhoseLinesAddUpToMoreUnitsThanAnIntHolds() {
    List<OrderLine> lines = List.of(new OrderLine(1, Integer.MAX_VALUE), new OrderLine(2, 1));

    assertThatThrownBy(() -> new Order("o-1", lines))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 2147483648");
  }
}
