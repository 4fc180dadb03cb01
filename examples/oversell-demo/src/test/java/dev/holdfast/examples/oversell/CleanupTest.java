package dev.holdfast.examples.oversell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CleanupTest {

  @Test
  void closesEveryResourceLastFirstEvenWhenOneFailsAndReportsEveryFailure() {
    List<String> closed = new ArrayList<>();
    Cleanup cleanup = new Cleanup();
    cleanup.add(() -> closed.add("first"));
    cleanup.add(
        () -> {
          throw new IllegalStateException("second failed");
        });
    cleanup.add(
        () -> {
          closed.add("third");
          throw new IllegalStateException("third failed");
        });

    assertThatThrownBy(cleanup::closeAll)
        .hasRootCauseMessage("third failed")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("second failed"));
    assertThat(closed).containsExactly("third", "first");
  }

  @Test
  void afterAFailureEveryCloseFailureIsSuppressedInIt() {
    Cleanup cleanup = new Cleanup();
    cleanup.add(
        () -> {
          throw new IllegalStateException("close failed");
        });
    Exception primary = new Exception("the run failed");

    cleanup.closeAllAfter(primary);

    assertThat(primary.getSuppressed())
        .singleElement()
        .satisfies(e -> assertThat(e).hasRootCauseMessage("close failed"));
  }
}
