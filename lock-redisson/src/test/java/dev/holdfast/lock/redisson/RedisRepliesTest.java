package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.lock.LockBackendException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

final class RedisRepliesTest {

  private static final List<String> KEYS = List.of("lock:product:7");

  @Test
  void aReplyThatDoesNotComeInTimeIsABackendFailureNamingTheBudget() {
    assertThatThrownBy(
            () ->
                RedisReplies.await(
                    new CompletableFuture<>(), Duration.ofMillis(20).toNanos(), "acquiring", KEYS))
        .isInstanceOf(LockBackendException.class)
        .hasMessage("Redis did not answer within 20 ms while acquiring [lock:product:7]")
        .hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void aReplyAwaitedAfterTheDeadlineNamesTheDeadlineNotANegativeBudget() {
    assertThatThrownBy(
            () ->
                RedisReplies.await(
                    new CompletableFuture<>(),
                    -Duration.ofMillis(305).toNanos(),
                    "acquiring",
                    KEYS))
        .isInstanceOf(LockBackendException.class)
        .hasMessage(
            "Redis did not answer before the call's deadline while acquiring [lock:product:7]");
  }

  @Test
  void aReplyAlreadyThereIsReturnedEvenAfterTheDeadline() throws Exception {
    assertThat(RedisReplies.await(CompletableFuture.completedFuture(7L), -1, "acquiring", KEYS))
        .isEqualTo(7L);
  }
}
