package dev.holdfast.lock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockTemplate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Many virtual threads, one per request as {@code spring.threads.virtual.enabled=true} gives a web
 * application, lock through the auto-configured template: each key's counter, incremented without
 * synchronization under its lock, comes out exact.
 *
 * <p>The build compiles for Java 17 and, on JDK 17, reports these tests skipped; where the Temurin
 * 25 JDK is installed, the {@code virtual-threads-on-jdk25} Surefire execution runs them on it.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@Timeout(120)
final class VirtualThreadLocksTest {

  private static final int THREADS = 48;
  private static final int KEYS = 4;
  private static final int INCREMENTS = 4;

  /**
   * Timeouts far above what the calls need: the test is about exact counts, and on a loaded
   * two-core machine a virtual thread whose Redis reply has come may wait long for a carrier. For
   * the same reason the load is modest: 48 threads, 12 per key, still many times the two carriers.
   */
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
          .withPropertyValues(
              "holdfast.defaults.wait-time=60s", "holdfast.redis.response-timeout=10s");

  @Test
  void virtualThreadsLockingInRedisLeaveExactCounts() {
    runner
        .withBean(RedissonClient.class, SharedRedis::client)
        .run(context -> assertExactCounts(context.getBean(LockTemplate.class)));
  }

  @Test
  void virtualThreadsLockingInThisJvmLeaveExactCounts() {
    runner
        .withPropertyValues("holdfast.provider=in-memory")
        .run(context -> assertExactCounts(context.getBean(LockTemplate.class)));
  }

  private static void assertExactCounts(LockTemplate locks) throws Exception {
    String prefix = "lock:vt:" + UUID.randomUUID() + ":";
    int[] counts = new int[KEYS];
    List<Future<?>> calls = new ArrayList<>();

    ExecutorService virtualThreads = newVirtualThreadPerTaskExecutor();
    try {
      for (int t = 0; t < THREADS; t++) {
        int key = t % KEYS;
        calls.add(
            virtualThreads.submit(
                () -> {
                  for (int i = 0; i < INCREMENTS; i++) {
                    locks.runWithLock(
                        prefix + key,
                        held -> {
                          int seen = counts[key];
                          Thread.yield();
                          counts[key] = seen + 1;
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      virtualThreads.shutdownNow();
    }

    assertThat(counts).containsOnly(THREADS / KEYS * INCREMENTS);
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()}, a JDK 21 API, for a Java 17 build. */
  private static ExecutorService newVirtualThreadPerTaskExecutor() {
    try {
      return (ExecutorService)
          MethodHandles.publicLookup()
              .findStatic(
                  Executors.class,
                  "newVirtualThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class))
              .invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor() failed", e);
    }
  }
}
