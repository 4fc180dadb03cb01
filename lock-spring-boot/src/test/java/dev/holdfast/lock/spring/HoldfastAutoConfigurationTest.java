package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockListener;
import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockPolicies;
import dev.holdfast.lock.LockPolicy;
import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.spi.LockProvider;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

/**
 * Which lock provider, policies and template the auto-configuration makes, when it backs off, and
 * how it refuses to start rather than fall back to JVM-local locks.
 */
final class HoldfastAutoConfigurationTest {

  private static final Duration WAIT = Duration.ofMillis(100);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class));

  /**
   * As an application with Redisson's starter or its own RedissonClient bean has it, with a
   * response timeout far above what a call needs: the suite runs on loaded two-core machines, and
   * these tests are about what is configured, not about latency.
   */
  private final ApplicationContextRunner withRedisson =
      runner
          .withBean(RedissonClient.class, SharedRedis::client)
          .withPropertyValues("holdfast.redis.response-timeout=5s");

  private final String key = "lock:test:" + UUID.randomUUID();

  @Test
  void locksInRedisThroughTheApplicationsRedissonClientByDefault() {
    withRedisson.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(LockProvider.class);
          assertThat(context)
              .getBean("holdfastLockProvider")
              .isInstanceOf(RedissonLockProvider.class);
          assertThat(context.getBean(RedissonLockProvider.class).mode())
              .isEqualTo(RedissonLockProvider.Mode.ATOMIC);
          assertThat(context).hasSingleBean(LockTemplate.class);

          long token =
              context
                  .getBean(LockTemplate.class)
                  .executeWithLock(key, WAIT, LEASE, held -> held.fencingToken(key).orElseThrow());

          assertThat(token).isPositive();
        });
  }

  @Test
  void twoApplicationsOnOneRedisExcludeEachOther() {
    assertThat(TwoInstances.secondTryWhileFirstHolds(withRedisson, key))
        .isInstanceOf(LockNotAcquiredException.class);
  }

  /** Why there is no fallback: what a second instance on in-memory locks would do. */
  @Test
  void twoApplicationsOnInMemoryLocksDoNotExcludeEachOther() {
    ApplicationContextRunner inMemory = runner.withPropertyValues("holdfast.provider=in-memory");

    assertThat(TwoInstances.secondTryWhileFirstHolds(inMemory, key)).isNull();
  }

  @Test
  void closingTheApplicationClosesTheProviderButNeverTheClient() {
    RedissonLockProvider[] provider = new RedissonLockProvider[1];

    withRedisson.run(context -> provider[0] = context.getBean(RedissonLockProvider.class));

    assertThat(SharedRedis.client().isShutdown()).isFalse();
    Throwable afterClose =
        catchThrowable(() -> LockTemplate.of(provider[0]).executeWithLock(key, held -> "x"));
    assertThat(afterClose).hasRootCauseInstanceOf(IllegalStateException.class);
    assertThat(afterClose.getCause()).hasMessageEndingWith(" is closed");
  }

  @Test
  void withoutARedissonClientStartupFailsAndTheAnalysisExplainsTheChoice() {
    runner.run(
        context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis =
              new LockProviderFailureAnalyzer().analyze(context.getStartupFailure());

          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription())
              .contains("holdfast.provider=redisson, the default")
              .contains("no RedissonClient bean");
          assertThat(analysis.getAction())
              .contains("org.redisson:redisson-spring-boot-starter")
              .contains("define a RedissonClient bean")
              .contains("holdfast.provider=in-memory")
              .contains("two instances of a service would each grant the same key")
              .contains("oversell")
              .contains("never falls back");
        });
  }

  @Test
  void withoutRedissonOnTheClasspathStartupFailsNamingWhatIsMissing() {
    withRedisson
        .withClassLoader(new FilteredClassLoader(RedissonClient.class))
        .run(
            context -> {
              FailureAnalysis analysis =
                  new LockProviderFailureAnalyzer().analyze(context.getStartupFailure());

              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .endsWith("but org.redisson:redisson is not on the classpath.");
              assertThat(analysis.getAction())
                  .contains("dev.holdfast:lock-spring-boot-starter")
                  .contains("holdfast.provider=in-memory");
            });
  }

  @Test
  void withoutLockRedissonOnTheClasspathStartupFailsNamingWhatIsMissing() {
    withRedisson
        .withClassLoader(new FilteredClassLoader(RedissonLockProvider.class))
        .run(
            context -> {
              FailureAnalysis analysis =
                  new LockProviderFailureAnalyzer().analyze(context.getStartupFailure());

              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .endsWith("but dev.holdfast:lock-redisson is not on the classpath.");
            });
  }

  @Test
  void locksInThisJvmOnlyWhenAskedEvenWithARedissonClientAtHand() {
    withRedisson
        .withPropertyValues("holdfast.provider=in-memory")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(LockProvider.class);
              assertThat(context)
                  .getBean("holdfastLockProvider")
                  .isInstanceOf(InMemoryLockProvider.class);
            });
  }

  @Test
  void readsTheProviderInEveryFormBootBindsAnEnumFrom() {
    for (String value : List.of("in-memory", "IN_MEMORY", "inMemory")) {
      withRedisson
          .withPropertyValues("holdfast.provider=" + value)
          .run(
              context ->
                  assertThat(context)
                      .as(value)
                      .getBean(LockProvider.class)
                      .isInstanceOf(InMemoryLockProvider.class));
    }
  }

  @Test
  void locksInThisJvmWithoutRedissonOnTheClasspath() {
    runner
        .withPropertyValues("holdfast.provider=in-memory")
        .withClassLoader(new FilteredClassLoader(RedissonClient.class, RedissonLockProvider.class))
        .run(
            context -> {
              String result =
                  context.getBean(LockTemplate.class).executeWithLock(key, held -> "done");

              assertThat(result).isEqualTo("done");
            });
  }

  @Test
  void inMemoryWithoutLockInmemoryOnTheClasspathStartupFailsNamingIt() {
    runner
        .withPropertyValues("holdfast.provider=in-memory")
        .withClassLoader(new FilteredClassLoader(InMemoryLockProvider.class))
        .run(
            context -> {
              FailureAnalysis analysis =
                  new LockProviderFailureAnalyzer().analyze(context.getStartupFailure());

              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "holdfast.provider=in-memory, but dev.holdfast:lock-inmemory is not on the"
                          + " classpath.");
            });
  }

  @Test
  void anUnknownProviderFailsStartupNamingThePropertyAndValue() {
    withRedisson
        .withPropertyValues("holdfast.provider=zookeeper")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("zookeeper")
                    .hasMessageContaining("ProviderType"));
  }

  @Test
  void aLockProviderOfTheApplicationsOwnWinsAndNeedsNoRedissonClient() {
    InMemoryLockProvider own = InMemoryLockProvider.create();

    runner
        .withBean("ownProvider", LockProvider.class, () -> own)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).getBean(LockProvider.class).isSameAs(own);
              assertThat(context).doesNotHaveBean("holdfastLockProvider");
              assertThat(context).doesNotHaveBean(BackendHealth.class);
              assertThat(context).hasSingleBean(LockTemplate.class);
            });
  }

  @Test
  void aLockTemplateOfTheApplicationsOwnWins() {
    LockTemplate own = LockTemplate.of(InMemoryLockProvider.create());

    withRedisson
        .withBean("ownTemplate", LockTemplate.class, () -> own)
        .run(
            context -> {
              assertThat(context).getBean(LockTemplate.class).isSameAs(own);
              assertThat(context).doesNotHaveBean("holdfastLockTemplate");
            });
  }

  @Test
  void lockPoliciesOfTheApplicationsOwnWin() {
    LockPolicies own =
        LockPolicies.builder()
            .policy("lock:test:*", LockPolicy.custom("own").waitTime(Duration.ZERO).build())
            .build();
    List<String> policyNames = new CopyOnWriteArrayList<>();

    runner
        .withPropertyValues("holdfast.provider=in-memory")
        .withBean("ownPolicies", LockPolicies.class, () -> own)
        .withBean(
            LockListener.class,
            () ->
                new LockListener() {
                  @Override
                  public void onAttempt(LockRequest request) {
                    policyNames.add(request.policyName());
                  }
                })
        .run(
            context -> {
              context.getBean(LockTemplate.class).executeWithLock(key, held -> "done");

              assertThat(context).getBean(LockPolicies.class).isSameAs(own);
              assertThat(policyNames).containsExactly("own");
            });
  }

  @Test
  void everyLockListenerBeanIsCalledInItsOrder() {
    List<String> calls = new CopyOnWriteArrayList<>();

    runner
        .withPropertyValues("holdfast.provider=in-memory")
        .withBean("second", LockListener.class, () -> new Recording(calls, "second"))
        .withBean("first", LockListener.class, () -> new FirstRecording(calls))
        .run(
            context -> {
              context.getBean(LockTemplate.class).executeWithLock(key, held -> "done");

              assertThat(calls).containsExactly("first", "second");
            });
  }

  private static class Recording implements LockListener {
    private final List<String> calls;
    private final String name;

    Recording(List<String> calls, String name) {
      this.calls = calls;
      this.name = name;
    }

    @Override
    public void onAttempt(LockRequest request) {
      calls.add(name);
    }
  }

  @Order(1)
  private static final class FirstRecording extends Recording {
    FirstRecording(List<String> calls) {
      super(calls, "first");
    }
  }
}
