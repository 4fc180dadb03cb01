package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.HeldLocks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link CurrentLocks#held()} gives the innermost running {@link DistributedLock} method's locks.
 */
final class CurrentLocksTest {

  private final ApplicationContextRunner runner =
      TestLocks.runner().withBean(Inner.class).withBean(Outer.class);

  @Test
  void givesTheKeysAndFencingTokensOfTheRunningMethod() {
    runner.run(
        context -> {
          Inner inner = context.getBean(Inner.class);

          HeldLocks held = inner.lock("lock:a");

          assertThat(held.keys()).containsExactly("lock:a");
          assertThat(held.fencingToken("lock:a")).isPresent();
        });
  }

  @Test
  void givesTheInnermostMethodsLocksAndTheOuterOnesAgainAfterIt() {
    runner.run(
        context -> {
          Outer outer = context.getBean(Outer.class);

          List<List<String>> seen = outer.lockAround("lock:1-outer", "lock:2-inner");

          assertThat(seen)
              .containsExactly(
                  List.of("lock:1-outer"), List.of("lock:2-inner"), List.of("lock:1-outer"));
        });
  }

  @Test
  void isGoneAgainAfterTheMethodThrew() {
    runner.run(
        context -> {
          Inner inner = context.getBean(Inner.class);
          catchThrowable(() -> inner.fail("lock:a"));

          Throwable thrown = catchThrowable(CurrentLocks::held);

          assertThat(thrown).isExactlyInstanceOf(IllegalStateException.class);
        });
  }

  @Test
  void refusesOutsideAnyLockedMethodSayingWhereItWorks() {
    Throwable thrown = catchThrowable(CurrentLocks::held);

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("No @DistributedLock method is running on thread ")
        .hasMessageContaining(
            "CurrentLocks.held() is only available inside one, on the thread that called it"
                + " through its Spring proxy");
  }

  /** Returns what it held. */
  public static class Inner {
    @DistributedLock(keys = "#key")
    public HeldLocks lock(String key) {
      return CurrentLocks.held();
    }

    @DistributedLock(keys = "#key")
    public void fail(String key) {
      throw new IllegalStateException("failed holding " + CurrentLocks.held().keys());
    }
  }

  /** Records the keys it sees before, inside and after a nested locked call. */
  public static class Outer {
    private final Inner inner;

    public Outer(Inner inner) {
      this.inner = inner;
    }

    @DistributedLock(keys = "#outerKey")
    public List<List<String>> lockAround(String outerKey, String innerKey) {
      List<List<String>> seen = new ArrayList<>();
      seen.add(CurrentLocks.held().keys());
      seen.add(inner.lock(innerKey).keys());
      seen.add(CurrentLocks.held().keys());
      return seen;
    }
  }
}
