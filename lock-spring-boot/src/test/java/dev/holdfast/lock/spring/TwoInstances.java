package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockTemplate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Two applications started from one runner, as two instances of one service: whether the second
 * can take a key the first holds, which is what a lock provider is for.
 */
final class TwoInstances {

  private static final Duration LEASE = Duration.ofSeconds(10);

  private TwoInstances() {}

  /**
   * Starts two applications from {@code runner} and, while the first holds {@code key}, has the
   * second try it without waiting.
   *
   * @return what the second's try threw, or null if it took the key
   */
  static @Nullable Throwable secondTryWhileFirstHolds(ApplicationContextRunner runner, String key) {
    AtomicBoolean tried = new AtomicBoolean();
    AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
    runner.run(
        first ->
            runner.run(
                second -> {
                  LockTemplate secondLocks = second.getBean(LockTemplate.class);
                  first
                      .getBean(LockTemplate.class)
                      .runWithLock(
                          key,
                          Duration.ofMillis(100),
                          LEASE,
                          held -> {
                            thrown.set(
                                catchThrowable(
                                    () ->
                                        secondLocks.runWithLock(
                                            key, Duration.ZERO, LEASE, inner -> {})));
                            tried.set(true);
                          });
                }));
    assertThat(tried).as("the second application tried the key").isTrue();
    return thrown.get();
  }
}
