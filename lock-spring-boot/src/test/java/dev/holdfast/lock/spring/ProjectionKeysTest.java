package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A projection key ({@code #lines.![productId]}) is evaluated element by element, which SpEL can
 * compile, with the keys SpEL's own projection would give.
 */
final class ProjectionKeysTest {

  private final ApplicationContextRunner runner = TestLocks.runner().withBean(Projections.class);

  @Test
  void projectsTheElementsOfAnArray() {
    runner.run(
        context -> {
          Projections projections = context.getBean(Projections.class);

          List<String> held = projections.ofArray(new Item[] {new Item("b"), new Item("a")});

          assertThat(held).containsExactly("a", "b");
        });
  }

  @Test
  void projectsAMapAsSpelDoesOverItsEntries() {
    runner.run(
        context -> {
          Projections projections = context.getBean(Projections.class);
          Map<String, Integer> stock = new TreeMap<>(Map.of("x", 1, "y", 2));

          List<String> held = projections.ofMapKeys(stock);

          assertThat(held).containsExactly("x", "y");
        });
  }

  @Test
  void keepsGivingTheSameKeysOnceSpelHasCompiledTheElementExpression() {
    runner.run(
        context -> {
          Projections projections = context.getBean(Projections.class);
          for (int i = 0; i < 300; i++) {
            projections.ofList(List.of(new Item("k" + i)));
          }

          List<String> afterItems = projections.ofList(List.of(new Item("a"), new Item("b")));
          List<String> otherType = projections.ofList(List.of(new OtherItem("c")));

          assertThat(afterItems).containsExactly("a", "b");
          assertThat(otherType).containsExactly("c");
        });
  }

  @Test
  void refusesANullSourceOfANullSafeProjectionAsANullKey() {
    runner.run(
        context -> {
          Projections projections = context.getBean(Projections.class);

          Throwable thrown = catchThrowable(() -> projections.nullSafe(null));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessage(
                  "ProjectionKeysTest.Projections.nullSafe(List): key expression"
                      + " \"#items?.![name]\" gave null (arguments [items=null])");
        });
  }

  @Test
  void namesTheIndexOfAnElementTheExpressionFailsOn() {
    runner.run(
        context -> {
          Projections projections = context.getBean(Projections.class);

          Throwable thrown =
              catchThrowable(() -> projections.ofList(Arrays.asList(new Item("a"), null)));

          assertThat(thrown)
              .isExactlyInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith(
                  "ProjectionKeysTest.Projections.ofList(List): key expression \"#items.![name]\""
                      + " failed at index 1 (arguments [items=[Item[name=a], null]]): ");
        });
  }

  /** An element. */
  public record Item(String name) {}

  /** An element of another type with a property of the same name. */
  public record OtherItem(String name) {}

  /** Locks projected keys and returns them. */
  public static class Projections {

    @DistributedLock(keys = "#items.![name]")
    public List<String> ofList(List<?> items) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(keys = "#items.![name]")
    public List<String> ofArray(Item[] items) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(keys = "#stock.![key]")
    public List<String> ofMapKeys(Map<String, Integer> stock) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(keys = "#items?.![name]")
    public List<String> nullSafe(List<Item> items) {
      return CurrentLocks.held().keys();
    }
  }
}
