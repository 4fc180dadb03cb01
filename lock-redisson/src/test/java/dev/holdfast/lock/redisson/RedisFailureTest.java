package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import dev.holdfast.lock.redisson.testing.RedisServer;
import dev.holdfast.lock.redisson.testing.TestRedisson;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.api.RedissonClient;

/** Every way Redis can refuse becomes a backend failure with the cause, never "not acquired". */
final class RedisFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static RedisServer server;
  private static RedissonClient redisson;

  private final String key = "failure:" + UUID.randomUUID();

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

  /** A server state that refuses writes, how to enter it, how to leave it, and its error. */
  enum Refusal {
    READONLY_REPLICA(
        List.of("REPLICAOF", "127.0.0.1", "1"), List.of("REPLICAOF", "NO", "ONE"), "READONLY"),
    OUT_OF_MEMORY(
        List.of("CONFIG", "SET", "maxmemory", "1"),
        List.of("CONFIG", "SET", "maxmemory", "0"),
        "used memory > 'maxmemory'"),
    NOT_ENOUGH_REPLICAS(
        List.of("CONFIG", "SET", "min-replicas-to-write", "1"),
        List.of("CONFIG", "SET", "min-replicas-to-write", "0"),
        "NOREPLICAS");

    final List<String> enter;
    final List<String> leave;
    final String error;

    Refusal(List<String> enter, List<String> leave, String error) {
      this.enter = enter;
      this.leave = leave;
      this.error = error;
    }
  }

  @ParameterizedTest
  @EnumSource(Refusal.class)
  void aRefusedWriteIsABackendFailureCarryingRedisError(Refusal refusal) {
    try (RedissonLockProvider provider = RedissonLockProvider.builder(redisson).build()) {
      server.call(refusal.enter.toArray(String[]::new));
      Throwable thrown;
      try {
        thrown =
            catchThrowable(
                () -> LockTemplate.of(provider).runWithLock(key, WAIT, LEASE, held -> {}));
      } finally {
        server.call(refusal.leave.toArray(String[]::new));
      }

      assertThat(thrown)
          .isInstanceOf(LockBackendException.class)
          .hasMessageContaining(refusal.error);
      assertThat(((LockBackendException) thrown).keys()).containsExactly(key);
    }
  }

  /**
   * A queued waiter leaves its queues in the try that takes its keys; a full Redis refuses that try
   * like any other, although leaving a queue frees memory (Redis lets a script that has written go
   * on writing past {@code maxmemory}). The key here ends by its lease, so the waiter is not handed
   * it by a release: it tries again at the lease's end, still queued.
   */
  @Test
  void aFullServerRefusesTheTryOfAQueuedWaiter() throws Exception {
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try (RedissonLockProvider provider = RedissonLockProvider.builder(redisson).build()) {
      server.call("SET", key, "a holder that is gone", "PX", "1000");
      Future<Throwable> waiter =
          threads.submit(
              () ->
                  catchThrowable(
                      () ->
                          LockTemplate.of(provider)
                              .runWithLock(key, Duration.ofSeconds(10), LEASE, h -> {})));
      try {
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> server.call("EXISTS", HashSlots.waiterQueueKey(key)).equals(1L));
        server.call(Refusal.OUT_OF_MEMORY.enter.toArray(String[]::new));
        Throwable thrown = waiter.get(10, TimeUnit.SECONDS);

        assertThat(thrown)
            .isInstanceOf(LockBackendException.class)
            .hasMessageContaining(Refusal.OUT_OF_MEMORY.error);
      } finally {
        server.call(Refusal.OUT_OF_MEMORY.leave.toArray(String[]::new));
        threads.shutdownNow();
      }
    }
  }

  /** Each mode's lock is of the other's type: a hash for Redisson's locks, a string for ours. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aKeyOfTheWrongTypeIsABackendFailureNotATimeout(Mode mode) {
    if (mode == Mode.ATOMIC) {
      server.call("HSET", key, "not", "a lock");
    } else {
      server.call("SET", key, "not a lock");
    }
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(redisson).mode(mode).build()) {
      Throwable thrown =
          catchThrowable(() -> LockTemplate.of(provider).runWithLock(key, WAIT, LEASE, held -> {}));

      assertThat(thrown).isInstanceOf(LockBackendException.class).hasMessageContaining("WRONGTYPE");
    } finally {
      server.call("DEL", key);
    }
  }

  @Test
  void aServerThatLostItsScriptsIsGivenThemAgainWithoutAFailure() {
    try (RedissonLockProvider provider = RedissonLockProvider.builder(redisson).build()) {
      LockTemplate template = LockTemplate.of(provider);
      template.runWithLock(key, WAIT, LEASE, held -> {});
      server.call("SCRIPT", "FLUSH");
      server.call("CONFIG", "RESETSTAT");

      String value = template.executeWithLock(key, WAIT, LEASE, held -> "ran");

      assertThat(value).isEqualTo("ran");
      // Acquire and release each met NOSCRIPT once, loaded their script, and ran it again.
      assertThat((String) server.call("INFO", "commandstats"))
          .contains("cmdstat_script|load:calls=2,")
          .containsPattern("cmdstat_evalsha:calls=4,.*failed_calls=2");
    }
  }

  @Test
  void aDeadServerIsABackendFailureWithinTheWaitPlusTheResponseTimeout() {
    Duration responseTimeout = Duration.ofMillis(300);
    try (RedissonLockProvider provider =
        RedissonLockProvider.builder(redisson).responseTimeout(responseTimeout).build()) {
      server.kill();

      long start = System.nanoTime();
      Throwable thrown =
          catchThrowable(() -> LockTemplate.of(provider).runWithLock(key, WAIT, LEASE, held -> {}));
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      server.restart();

      assertThat(thrown).isInstanceOf(LockBackendException.class);
      assertThat(elapsed).isLessThan(WAIT.plus(responseTimeout).plus(Duration.ofSeconds(1)));
    }
  }
}
