package dev.holdfast.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class OrderTest {

  @Test
  void sumsTheLinesOfEachProductInProductIdOrder() {
    List<OrderLine> lines = List.of(new OrderLine(7, 1), new OrderLine(3, 2), new OrderLine(7, 4));

    Order order = Order.of("o-1", lines);

    assertThat(order.lines()).containsExactly(new OrderLine(3, 2), new OrderLine(7, 5));
    assertThat(order.units()).isEqualTo(7);
  }

  @Test
  void refusesAProductWhoseLinesAddUpToMoreThanAnInt() {
    List<OrderLine> lines = List.of(new OrderLine(1, Integer.MAX_VALUE), new OrderLine(1, 1));

    assertThatThrownBy(() -> Order.of("o-1", lines))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("product 1")
        .hasMessageContaining(Long.toString(Integer.MAX_VALUE + 1L));
  }

  @Test
  void refusesABlankOrTooLongId() {
    String tooLong = "x".repeat(Order.MAX_ID_LENGTH + 1);

    assertThatThrownBy(() -> Order.of(" ", List.of(new OrderLine(1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\" \"");
    assertThatThrownBy(() -> Order.of(tooLong, List.of(new OrderLine(1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(tooLong);
  }

  @Test
  void refusesALineOfNoUnits() {
    assertThatThrownBy(() -> new OrderLine(4, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quantity must be at least 1, was 0 for product 4");
  }

  @Test
  void refusesARequestWithoutLines() {
    assertThatThrownBy(() -> new OrderRequest("o-1", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lines must not be empty, was []");
  }
}
