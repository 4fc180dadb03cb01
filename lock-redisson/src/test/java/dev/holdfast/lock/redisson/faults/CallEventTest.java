package dev.holdfast.lock.redisson.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.redisson.faults.CallEvent.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CallEventTest {

  @Test
  void readsBackTheLineItWrites() {
    CallEvent event =
        new CallEvent(
            123_456_789L,
            "w2g1",
            "w2g1-t3-17",
            Op.ACQUIRED,
            "-",
            List.of(new OrderItem(7, 2), new OrderItem(3, -20)),
            Map.of(7, 41L, 3, 9L));

    assertThat(CallEvent.parse(event.toLine())).isEqualTo(event);
  }

  @Test
  void tellsTheFailureTypeFromItsQualifier() {
    CallEvent event =
        new CallEvent(
            1,
            "w1g0",
            "w1g0-t0-0",
            Op.FAIL,
            "LockInterruptedException:flag-restored",
            List.of(new OrderItem(1, 1)),
            Map.of());

    assertThat(event.failureType()).isEqualTo("LockInterruptedException");
  }

  @Test
  void refusesALineCutShortByAKill() {
    Throwable thrown = catchThrowable(() -> CallEvent.parse("123\tw1g0\tw1g0-t0-0\tINV"));

    assertThat(thrown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a history line");
  }
}
