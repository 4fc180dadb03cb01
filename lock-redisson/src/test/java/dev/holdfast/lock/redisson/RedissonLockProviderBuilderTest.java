package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.holdfast.lock.LockBackendException;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.redisson.RedissonLockProvider.Mode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

final class RedissonLockProviderBuilderTest {

  @Test
  void aNullClientIsRefusedByName() {
    assertThatThrownBy(() -> RedissonLockProvider.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("redisson must not be null");
  }

  static Stream<Arguments> durationSetters() {
    BiConsumer<RedissonLockProvider.Builder, Duration> responseTimeout =
        RedissonLockProvider.Builder::responseTimeout;
    BiConsumer<RedissonLockProvider.Builder, Duration> pollInterval =
        RedissonLockProvider.Builder::pollInterval;
    BiConsumer<RedissonLockProvider.Builder, Duration> acknowledgementTimeout =
        (builder, timeout) -> builder.replicaAcknowledgement(1, timeout);
    return Stream.of(
        Arguments.of("responseTimeout", responseTimeout),
        Arguments.of("pollInterval", pollInterval),
        Arguments.of("timeout", acknowledgementTimeout));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("durationSetters")
  void aDurationOutOfRangeIsRefusedNamingTheParameterAndValue(
      String name, BiConsumer<RedissonLockProvider.Builder, Duration> setter) {
    RedissonLockProvider.Builder builder = RedissonLockProvider.builder(SharedRedis.client());

    assertThatThrownBy(() -> setter.accept(builder, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(name + " must be between 1 ms and 1 hour, was PT0S");
    assertThatThrownBy(() -> setter.accept(builder, Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(name + " must be between 1 ms and 1 hour, was PT2H");
    assertThatThrownBy(() -> setter.accept(builder, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(name + " must not be null");
  }

  @Test
  void aReplicaAcknowledgementOfNoReplicaIsRefusedNamingTheValue() {
    RedissonLockProvider.Builder builder = RedissonLockProvider.builder(SharedRedis.client());

    assertThatThrownBy(() -> builder.replicaAcknowledgement(0, Duration.ofMillis(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicas must be at least 1, was 0");
  }

  @Test
  void aReplicaAcknowledgementIsRefusedInTheCompatibleMode() {
    RedissonLockProvider.Builder builder =
        RedissonLockProvider.builder(SharedRedis.client())
            .mode(Mode.REDISSON_COMPATIBLE)
            .replicaAcknowledgement(1, Duration.ofMillis(100));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("replicaAcknowledgement works in Mode.ATOMIC only, not in REDISSON_COMPATIBLE");
  }

  @Test
  void aNullEvictionPolicyCheckIsRefusedByName() {
    assertThatThrownBy(
            () -> RedissonLockProvider.builder(SharedRedis.client()).evictionPolicyCheck(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("check must not be null");
  }

  @Test
  void aNullModeIsRefusedByName() {
    assertThatThrownBy(() -> RedissonLockProvider.builder(SharedRedis.client()).mode(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("mode must not be null");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void closingTheProviderLeavesTheClientOpen(Mode mode) {
    RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedRedis.client()).mode(mode).build();
    LockTemplate.of(provider)
        .runWithLock("builder:close", Duration.ZERO, Duration.ofSeconds(5), held -> {});

    provider.close();
    provider.close();

    assertThat(provider.mode()).isEqualTo(mode);
    assertThat(SharedRedis.client().isShutdown()).isFalse();
    assertThat(SharedRedis.client().getBucket("builder:close").isExists()).isFalse();
  }

  @Test
  void aClosedProviderRefusesToAcquire() {
    RedissonLockProvider provider = RedissonLockProvider.builder(SharedRedis.client()).build();
    provider.close();

    Throwable thrown =
        catchThrowable(
            () ->
                LockTemplate.of(provider)
                    .runWithLock(
                        "builder:closed", Duration.ZERO, Duration.ofSeconds(5), held -> {}));

    assertThat(thrown)
        .isInstanceOf(LockBackendException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(" is closed");
  }

  @Test
  void aProviderClosedWhileACallWaitsGivesBackWhatTheCallThenTakes() throws Exception {
    String key = "builder:closed-while-waiting:" + UUID.randomUUID();
    RedissonLockProvider provider = RedissonLockProvider.builder(SharedRedis.client()).build();
    LockTemplate holder =
        LockTemplate.of(RedissonLockProvider.builder(SharedRedis.secondClient()).build());
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holding =
        new Thread(
            () ->
                catchThrowable(
                    () ->
                        holder.runWithLock(
                            key,
                            Duration.ZERO,
                            Duration.ofSeconds(30),
                            h -> {
                              held.countDown();
                              release.await();
                            })));
    holding.start();
    held.await();
    CompletableFuture<Throwable> waiting =
        CompletableFuture.supplyAsync(
            () ->
                catchThrowable(
                    () ->
                        LockTemplate.of(provider)
                            .runWithLock(
                                key, Duration.ofSeconds(10), Duration.ofSeconds(30), h -> {})));
    Thread.sleep(300);

    provider.close();
    release.countDown();
    holding.join();

    assertThat(waiting.get(10, TimeUnit.SECONDS))
        .isInstanceOf(LockBackendException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed while acquiring");
    assertThat(SharedRedis.client().getBucket(key).isExists()).isFalse();
  }

  @Test
  void closingDropsTheHandOffSubscription() {
    String key = "builder:linger:" + UUID.randomUUID();
    RedissonLockProvider provider =
        RedissonLockProvider.builder(SharedRedis.client())
            .pollInterval(Duration.ofHours(1))
            .build();
    ScriptLockProvider scripted = (ScriptLockProvider) provider.delegate();
    String channel = HandOffs.CHANNEL_PREFIX + scripted.providerId;
    try (RedissonLockProvider holder =
        RedissonLockProvider.builder(SharedRedis.secondClient()).build()) {
      LockTemplate.of(holder)
          .runWithLock(
              key,
              Duration.ZERO,
              Duration.ofSeconds(30),
              held ->
                  catchThrowable(
                      () ->
                          LockTemplate.of(provider)
                              .runWithLock(
                                  key, Duration.ofMillis(300), Duration.ofSeconds(30), h -> {})));
    }
    boolean keptAfterTheWait = scripted.handOffs.isSubscribed();

    provider.close();

    assertThat(keptAfterTheWait).isTrue();
    assertThat(scripted.handOffs.isSubscribed()).isFalse();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                List.of(channel, 0L)
                    .equals(SharedRedis.server().call("PUBSUB", "NUMSUB", channel)));
  }

  @Test
  void theFencingCounterKeyIsPublishedForOperators() {
    assertThat(RedissonLockProvider.fencingCounterKey("lock:product:7"))
        .isEqualTo("{lock:product:7}:fencing-token");
    assertThatThrownBy(() -> RedissonLockProvider.fencingCounterKey(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("lockKey must not be null");
  }
}
