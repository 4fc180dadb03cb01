package dev.holdfast.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AcquisitionTest {

  @Test
  void blockedRejectsNullBlockingKeys() {
    Throwable thrown = catchThrowable(() -> new Acquisition.Blocked(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("blockingKeys must not be null");
  }

  @Test
  void blockedRejectsEmptyBlockingKeys() {
    Throwable thrown = catchThrowable(() -> new Acquisition.Blocked(List.of()));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("blockingKeys must not be empty, was []");
  }

  @Test
  void blockedKeepsACopyOfItsKeys() {
    List<String> keys = new ArrayList<>(List.of("lock:a"));

    Acquisition.Blocked blocked = new Acquisition.Blocked(keys);
    keys.add("lock:b");

    assertThat(blocked.blockingKeys()).containsExactly("lock:a");
  }

  @Test
  void acquiredRejectsNullHandle() {
    Throwable thrown = catchThrowable(() -> new Acquisition.Acquired(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("handle must not be null");
  }
}
