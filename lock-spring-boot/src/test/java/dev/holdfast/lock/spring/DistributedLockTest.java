package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A {@link DistributedLock} method runs inside one template call over the keys it names. */
final class DistributedLockTest {

  private final ApplicationContextRunner runner = TestLocks.runner().withBean(Shop.class);

  @Test
  void locksTheKeysOfEveryExpressionInOneAcquisitionDeduplicatedAndSorted() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);
          List<Line> lines = List.of(new Line(7, 1), new Line(3, 2), new Line(7, 5));

          List<String> held = shop.reserveLines(lines, 5);

          assertThat(held).containsExactly("lock:product:3", "lock:product:5", "lock:product:7");
          assertThat(context.getBean(RecordingListener.class).attempts())
              .singleElement()
              .extracting(LockRequest::keys)
              .isEqualTo(List.of("lock:product:3", "lock:product:5", "lock:product:7"));
        });
  }

  @Test
  void prependsThePrefixToTheParameterItNames() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);

          List<String> held = shop.reserve(42);

          assertThat(held).containsExactly("lock:product:42");
        });
  }

  @Test
  void projectsAPropertyOfEveryElementOfANestedCollection() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);
          Order order = new Order(List.of(new Line(2, 1), new Line(1, 1)));

          List<String> held = shop.reserveOrder(order);

          assertThat(held).containsExactly("lock:product:1", "lock:product:2");
        });
  }

  @Test
  void readsParametersByPositionAsP0AndA0() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);

          List<String> held = shop.positional("b", "a");

          assertThat(held).containsExactly("a", "b");
        });
  }

  @Test
  void takesEveryElementOfAnArray() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);

          List<String> held = shop.lockIds(new long[] {9, 8, 9});

          assertThat(held).containsExactly("id:8", "id:9");
        });
  }

  @Test
  void returnsTheMethodsValueAfterReleasing() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);
          LockTemplate template = context.getBean(LockTemplate.class);

          List<String> held = shop.reserve(1);
          String afterwards =
              template.executeWithLock("lock:product:1", Duration.ZERO, LEASE, h -> "free");

          assertThat(held).containsExactly("lock:product:1");
          assertThat(afterwards).isEqualTo("free");
        });
  }

  static Stream<Exception> failures() {
    return Stream.of(new IOException("disk full"), new IllegalStateException("sold out"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void rethrowsWhatTheMethodThrowsAsTheSameInstance(Exception failure) {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);

          Throwable thrown = catchThrowable(() -> shop.fail("lock:failing", failure));

          assertThat(thrown).isSameAs(failure);
        });
  }

  @Test
  void rethrowsAnErrorOfTheMethodAsTheSameInstance() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);
          StackOverflowError error = new StackOverflowError("deep");

          Throwable thrown = catchThrowable(() -> shop.failWithError("lock:failing", error));

          assertThat(thrown).isSameAs(error);
        });
  }

  @Test
  void passesLockNotAcquiredToTheCallerUnchanged() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);
          LockTemplate template = context.getBean(LockTemplate.class);
          CountDownLatch holding = new CountDownLatch(1);
          CountDownLatch done = new CountDownLatch(1);
          ExecutorService other = Executors.newSingleThreadExecutor();
          try {
            other.submit(
                () -> {
                  template.runWithLock(
                      "lock:busy",
                      held -> {
                        holding.countDown();
                        done.await();
                      });
                  return null;
                });
            holding.await();

            Throwable thrown = catchThrowable(() -> shop.tryOnce("lock:busy"));

            assertThat(thrown)
                .isExactlyInstanceOf(LockNotAcquiredException.class)
                .extracting(e -> ((LockNotAcquiredException) e).blockingKeys())
                .isEqualTo(List.of("lock:busy"));
          } finally {
            done.countDown();
            other.shutdown();
          }
        });
  }

  @Test
  void callsWithReversedKeyOrdersOnManyThreadsNeverDeadlockAndExcludeEachOther() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);
          int calls = 2_000;
          ExecutorService threads = Executors.newFixedThreadPool(4);
          List<Future<?>> done = new ArrayList<>();

          for (int t = 0; t < 4; t++) {
            List<String> keys = t % 2 == 0 ? List.of("k1", "k2", "k3") : List.of("k3", "k2", "k1");
            done.add(
                threads.submit(
                    () -> {
                      for (int i = 0; i < calls; i++) {
                        shop.increment(keys);
                      }
                    }));
          }
          for (Future<?> each : done) {
            each.get(30, TimeUnit.SECONDS);
          }
          threads.shutdown();

          assertThat(shop.counter()).isEqualTo(4 * calls);
        });
  }

  @Test
  void proxiesThroughSpringBootsAopAutoConfigurationToo() {
    runner
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
        .run(
            context -> {
              Shop shop = context.getBean(Shop.class);

              List<String> held = shop.reserve(5);

              assertThat(AopUtils.isCglibProxy(shop)).isTrue();
              assertThat(held).containsExactly("lock:product:5");
            });
  }

  @Test
  void proxiesWithoutSpringBootsAopAutoConfiguration() {
    runner.run(
        context -> {
          Shop shop = context.getBean(Shop.class);

          assertThat(AopUtils.isAopProxy(shop)).isTrue();
          assertThat(context.getBean(RecordingListener.class).attempts()).isEmpty();
        });
  }

  @Test
  void leavesBeansUnproxiedWithoutALockTemplate() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DistributedLockAutoConfiguration.class))
        .withBean(Shop.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(DistributedLockAdvisor.class);
              assertThat(AopUtils.isAopProxy(context.getBean(Shop.class))).isFalse();
            });
  }

  private static final Duration LEASE = Duration.ofSeconds(10);

  /** A line of an order. */
  public record Line(long productId, int quantity) {}

  /** An order. */
  public record Order(List<Line> lines) {}

  /** The bean under test; each method returns the keys it held. */
  public static class Shop {

    private int counter;

    @DistributedLock(prefix = "lock:product:", keys = "#productId")
    public List<String> reserve(long productId) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(
        prefix = "lock:product:",
        keys = {"#lines.![productId]", "#extra", "#p0[0].productId"})
    public List<String> reserveLines(List<Line> lines, long extra) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(prefix = "lock:product:", keys = "#order.lines.![productId]")
    public List<String> reserveOrder(Order order) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(keys = {"#p0", "#a1"})
    public List<String> positional(String first, String second) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(prefix = "id:", keys = "#ids")
    public List<String> lockIds(long[] ids) {
      return CurrentLocks.held().keys();
    }

    @DistributedLock(keys = "#key")
    public void fail(String key, Exception failure) throws Exception {
      throw failure;
    }

    @DistributedLock(keys = "#key")
    public void failWithError(String key, Error error) {
      throw error;
    }

    @DistributedLock(keys = "#key", waitTime = "0s")
    public void tryOnce(String key) {}

    /** Not thread-safe by itself: only the locks keep the count exact. */
    @DistributedLock(keys = "#keys")
    public void increment(List<String> keys) {
      int read = counter;
      Thread.yield();
      counter = read + 1;
    }

    public int counter() {
      return counter;
    }
  }
}
