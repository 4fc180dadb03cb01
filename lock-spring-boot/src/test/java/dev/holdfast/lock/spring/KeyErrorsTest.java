package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.expression.EvaluationException;

/**
 * A call whose key expressions give no usable key fails with a message naming the method, the
 * expression and the value, before anything is acquired and without running the method.
 */
final class KeyErrorsTest {

  private final ApplicationContextRunner runner = TestLocks.runner().withBean(Keys.class);

  @Test
  void refusesAnExpressionThatFailsNamingMethodExpressionAndArguments() {
    runner.run(
        context -> {
          Keys keys = context.getBean(Keys.class);

          Throwable thrown = catchThrowable(() -> keys.ofOrder(null));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith(
                  "KeyErrorsTest.Keys.ofOrder(Order): key expression \"#order.lines.![productId]\" failed"
                      + " (arguments [order=null]): ")
              .hasCauseInstanceOf(EvaluationException.class);
          assertNothingAcquiredNorRun(context.getBean(RecordingListener.class), keys);
        });
  }

  @Test
  void refusesANullKey() {
    runner.run(
        context -> {
          Keys keys = context.getBean(Keys.class);

          Throwable thrown = catchThrowable(() -> keys.of(null));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessage(
                  "KeyErrorsTest.Keys.of(String): key expression \"#key\" gave null (arguments [key=null])");
          assertNothingAcquiredNorRun(context.getBean(RecordingListener.class), keys);
        });
  }

  @Test
  void refusesABlankKeyQuotingIt() {
    runner.run(
        context -> {
          Keys keys = context.getBean(Keys.class);

          Throwable thrown = catchThrowable(() -> keys.of(" \t"));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessage(
                  "KeyErrorsTest.Keys.of(String): key expression \"#key\" gave a blank key \" \t\""
                      + " (arguments [key=\" \t\"])");
          assertNothingAcquiredNorRun(context.getBean(RecordingListener.class), keys);
        });
  }

  @Test
  void refusesANullElementNamingItsIndex() {
    runner.run(
        context -> {
          Keys keys = context.getBean(Keys.class);

          Throwable thrown = catchThrowable(() -> keys.ofAll(Arrays.asList("a", null)));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessage(
                  "KeyErrorsTest.Keys.ofAll(List): key expression \"#keys\" gave null at index 1"
                      + " (arguments [keys=[a, null]])");
          assertNothingAcquiredNorRun(context.getBean(RecordingListener.class), keys);
        });
  }

  @Test
  void refusesAnEmptyKeySetNamingEveryExpression() {
    runner.run(
        context -> {
          Keys keys = context.getBean(Keys.class);

          Throwable thrown = catchThrowable(() -> keys.ofBoth(List.of(), new String[0]));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith(
                  "KeyErrorsTest.Keys.ofBoth(List, String[]): the key expressions [\"#keys\", \"#more\"] gave"
                      + " no key (arguments [keys=[], more=");
          assertNothingAcquiredNorRun(context.getBean(RecordingListener.class), keys);
        });
  }

  @Test
  void refusesANestedCollection() {
    runner.run(
        context -> {
          Keys keys = context.getBean(Keys.class);

          Throwable thrown = catchThrowable(() -> keys.ofAll(List.of(List.of("a", "b"))));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith(
                  "KeyErrorsTest.Keys.ofAll(List): key expression \"#keys\" gave a nested collection [a, b] at index 0,"
                      + " which is not a key");
          assertNothingAcquiredNorRun(context.getBean(RecordingListener.class), keys);
        });
  }

  @Test
  void cutsLongArgumentsShortInTheMessage() {
    runner.run(
        context -> {
          Keys keys = context.getBean(Keys.class);

          Throwable thrown = catchThrowable(() -> keys.ofAll(Arrays.asList("x".repeat(500), null)));

          assertThat(thrown.getMessage()).hasSizeLessThan(250).contains("x…");
        });
  }

  private static void assertNothingAcquiredNorRun(RecordingListener listener, Keys keys) {
    assertThat(listener.attempts()).isEmpty();
    assertThat(keys.runs()).isZero();
  }

  /** An order. */
  public record Order(List<Line> lines) {}

  /** A line of an order. */
  public record Line(long productId) {}

  /** Methods whose keys come straight from their arguments. */
  public static class Keys {

    private final AtomicInteger runs = new AtomicInteger();

    public int runs() {
      return runs.get();
    }

    @DistributedLock(keys = "#key")
    public void of(String key) {
      runs.incrementAndGet();
    }

    @DistributedLock(keys = "#keys")
    public void ofAll(List<?> keys) {
      runs.incrementAndGet();
    }

    @DistributedLock(keys = {"#keys", "#more"})
    public void ofBoth(List<?> keys, String[] more) {
      runs.incrementAndGet();
    }

    @DistributedLock(keys = "#order.lines.![productId]")
    public void ofOrder(Order order) {
      runs.incrementAndGet();
    }
  }
}
