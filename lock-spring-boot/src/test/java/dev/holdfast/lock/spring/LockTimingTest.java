package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LeaseMode;
import dev.holdfast.lock.LockRequest;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

/**
 * Each of wait time, lease time and lease mode comes from the annotation where it sets it, and from
 * the keys' policy where it does not.
 */
final class LockTimingTest {

  private final ApplicationContextRunner runner =
      TestLocks.runner()
          .withPropertyValues("shop.lock.wait=750ms", "shop.lock.lease=PT1M", "shop.lock.none=")
          .withBean(Timed.class);

  @Test
  void takesEverythingFromThePolicyWhenTheAnnotationSetsNothing() {
    runner.run(
        lockOnce(
            timed -> timed.policyOnly("lock:hot:1"),
            request -> {
              assertThat(request.waitTime()).isEqualTo(TestLocks.HOT.waitTime());
              assertThat(request.leaseTime()).isEqualTo(TestLocks.HOT.leaseTime());
              assertThat(request.leaseMode()).isEqualTo(LeaseMode.RENEWING);
              assertThat(request.policyName()).isEqualTo("hot");
            }));
  }

  @Test
  void overridesOnlyTheWaitTime() {
    runner.run(
        lockOnce(
            timed -> timed.waitOnly("lock:hot:1"),
            request -> {
              assertThat(request.waitTime()).isEqualTo(Duration.ofSeconds(2));
              assertThat(request.leaseTime()).isEqualTo(TestLocks.HOT.leaseTime());
              assertThat(request.leaseMode()).isEqualTo(LeaseMode.RENEWING);
              assertThat(request.policyName()).isEqualTo("hot");
            }));
  }

  @Test
  void overridesOnlyTheLeaseTime() {
    runner.run(
        lockOnce(
            timed -> timed.leaseOnly("lock:order:1"),
            request -> {
              assertThat(request.waitTime()).isEqualTo(TestLocks.STANDARD.waitTime());
              assertThat(request.leaseTime()).isEqualTo(Duration.ofMillis(1500));
              assertThat(request.leaseMode()).isEqualTo(LeaseMode.FIXED);
              assertThat(request.policyName()).isEqualTo("standard");
            }));
  }

  @Test
  void overridesOnlyTheLeaseMode() {
    runner.run(
        lockOnce(
            timed -> timed.modeOnly("lock:order:1"),
            request -> {
              assertThat(request.waitTime()).isEqualTo(TestLocks.STANDARD.waitTime());
              assertThat(request.leaseTime()).isEqualTo(TestLocks.STANDARD.leaseTime());
              assertThat(request.leaseMode()).isEqualTo(LeaseMode.RENEWING);
            }));
  }

  @Test
  void resolvesPlaceholdersOnceAtStartup() {
    runner.run(
        lockOnce(
            timed -> timed.fromProperties("lock:order:1"),
            request -> {
              assertThat(request.waitTime()).isEqualTo(Duration.ofMillis(750));
              assertThat(request.leaseTime()).isEqualTo(Duration.ofMinutes(1));
            }));
  }

  @Test
  void leavesToThePolicyAPlaceholderThatResolvesToNothing() {
    runner.run(
        lockOnce(
            timed -> timed.emptyProperty("lock:order:1"),
            request -> assertThat(request.waitTime()).isEqualTo(TestLocks.STANDARD.waitTime())));
  }

  private static ContextConsumer<AssertableApplicationContext> lockOnce(
      Consumer<Timed> call, Consumer<LockRequest> expectations) {
    return context -> {
      call.accept(context.getBean(Timed.class));

      assertThat(context.getBean(RecordingListener.class).attempts())
          .singleElement()
          .satisfies(expectations);
    };
  }

  /** One method per combination of attributes. */
  public static class Timed {
    @DistributedLock(keys = "#key")
    public void policyOnly(String key) {}

    @DistributedLock(keys = "#key", waitTime = "2s")
    public void waitOnly(String key) {}

    @DistributedLock(keys = "#key", leaseTime = "1500ms")
    public void leaseOnly(String key) {}

    @DistributedLock(keys = "#key", leaseMode = LeaseMode.RENEWING)
    public void modeOnly(String key) {}

    @DistributedLock(
        keys = "#key",
        waitTime = "${shop.lock.wait}",
        leaseTime = "${shop.lock.lease}")
    public void fromProperties(String key) {}

    @DistributedLock(keys = "#key", waitTime = "${shop.lock.none}")
    public void emptyProperty(String key) {}
  }
}
