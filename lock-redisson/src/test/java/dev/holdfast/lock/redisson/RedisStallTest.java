package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.CallbackOutcome;
import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.api.RedissonClient;

/**
 * A stalled Redis (SIGSTOP) must not stretch a call past its wait plus the response timeout, nor
 * leave behind a lock that the stalled server takes when it resumes (a phantom lock).
 */
final class RedisStallTest {

  private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(300);

  /** Thread scheduling and exception handling on a busy two-core machine. */
  private static final Duration SLACK = Duration.ofMillis(250);

  /** Long enough that a key freed well before it was freed by the provider, not by expiry. */
  private static final Duration LEASE = Duration.ofSeconds(20);

  private static RedisServer server;
  private static RedissonClient redisson;

  private final String key = "stall:" + UUID.randomUUID();

  @BeforeAll
  static void startServer() {
    server = RedisServer.start();
    redisson = TestRedisson.connect(server);
  }

  @AfterAll
  static void stopServer() {
    TestRedisson.shutdown(redisson);
    server.close();
  }

  @AfterEach
  void resumeServer() {
    server.resume();
  }

  @ParameterizedTest(name = "{0}, wait {1} ms")
  @CsvSource({"ATOMIC, 0", "ATOMIC, 1000", "REDISSON_COMPATIBLE, 0", "REDISSON_COMPATIBLE, 1000"})
  void anAcquireDuringAStallFailsTypedInTimeAndLeavesNoPhantomLock(Mode mode, long waitMillis) {
    Duration wait = Duration.ofMillis(waitMillis);
    try (RedissonLockProvider provider = provider(mode)) {
      LockTemplate template = LockTemplate.of(provider);
      server.pause();

      long start = System.nanoTime();
      Throwable thrown = catchThrowable(() -> template.runWithLock(key, wait, LEASE, held -> {}));
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      server.resume();

      assertThat(thrown).isInstanceOf(LockBackendException.class);
      assertThat(elapsed).isLessThanOrEqualTo(wait.plus(RESPONSE_TIMEOUT).plus(SLACK));
      // The command queued on the stalled server ran when it resumed, so the lock existed; the
      // provider then released it, long before its lease would have.
      if (mode == Mode.ATOMIC) {
        await().atMost(Duration.ofSeconds(5)).until(() -> fencingCounter() != null);
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Long.valueOf(0).equals(server.call("EXISTS", key)));
    }
  }

  /**
   * Three keys: Redisson's locks release one key at a time, yet within one response timeout. The
   * callback had completed, so the call returns its result; the failure goes to the listeners.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aReleaseDuringAStallEndsInTimeReturnsTheResultAndTheKeysAreReleasedOnceRedisResumes(
      Mode mode) {
    List<String> keys = List.of(key + ":a", key + ":b", key + ":c");
    List<LockBackendException> reported = new CopyOnWriteArrayList<>();
    try (RedissonLockProvider provider = provider(mode)) {
      LockTemplate template =
          LockTemplate.builder(provider)
              .listener(
                  new LockListener() {
                    @Override
                    public void onBackendFailure(
                        LockRequest request, LockBackendException exception) {
                      reported.add(exception);
                    }
                  })
              .build();

      long[] releaseStart = new long[1];
      String result =
          template.executeWithLocks(
              keys,
              Duration.ZERO,
              LEASE,
              held -> {
                server.pause();
                releaseStart[0] = System.nanoTime();
                return "committed";
              });
      Duration releaseTook = Duration.ofNanos(System.nanoTime() - releaseStart[0]);
      server.resume();

      assertThat(result).isEqualTo("committed");
      assertThat(reported)
          .singleElement()
          .satisfies(
              failure ->
                  assertThat(failure.callbackOutcome()).isEqualTo(CallbackOutcome.COMPLETED));
      assertThat(releaseTook).isLessThanOrEqualTo(RESPONSE_TIMEOUT.plus(SLACK));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  Long.valueOf(0)
                      .equals(server.call("EXISTS", keys.get(0), keys.get(1), keys.get(2))));
    }
  }

  @Test
  void anAcquisitionAnsweredAfterItsLeaseRanOutIsGivenBackAndFailsTyped() throws Exception {
    Duration lease = Duration.ofMillis(200);
    List<String> ran = new ArrayList<>();
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(redisson).responseTimeout(Duration.ofSeconds(2)).build()) {
      LockTemplate template = LockTemplate.of(provider);
      server.pause();
      Thread resumer =
          new Thread(
              () -> {
                sleepQuietly(lease.plusMillis(100));
                server.resume();
              });
      resumer.start();

      Throwable thrown =
          catchThrowable(
              () -> template.runWithLock(key, Duration.ZERO, lease, held -> ran.add(key)));
      resumer.join();

      assertThat(thrown)
          .isInstanceOf(LockBackendException.class)
          .hasMessageContaining("too late for its lease of 200 ms; giving back [" + key + "]")
          .hasCauseInstanceOf(RedissonLockProvider.LeaseRanOutException.class);
      assertThat(ran).isEmpty();
      assertThat(server.call("EXISTS", key)).isEqualTo(0L);
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theLongestWaitThereIsStillTakesAFreeKey(Mode mode) {
    try (RedissonLockProvider provider = provider(mode)) {
      String ran =
          LockTemplate.of(provider)
              .executeWithLock(key, Duration.ofNanos(Long.MAX_VALUE), LEASE, held -> "ran");

      assertThat(ran).isEqualTo("ran");
    }
  }

  private static RedissonLockProvider provider(Mode mode) {
    return RedissonLockProvider.builder(redisson)
        .mode(mode)
        .responseTimeout(RESPONSE_TIMEOUT)
        .build();
  }

  private Object fencingCounter() {
    return server.call("GET", RedissonLockProvider.fencingCounterKey(key));
  }
}
