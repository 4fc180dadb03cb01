package dev.holdfast.examples.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.examples.benchmarks.BenchmarkSuite.Settings;
import dev.holdfast.lock.redisson.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One short, fork-less iteration of three workloads through the whole suite, against a Redis server
 * of the test's own: the benchmarks run, the profiler counts, the report has the rows, the thread
 * sweep runs and the charts are drawn, headless. It checks that the suite works, not how fast
 * anything is.
 */
final class BenchmarkSuiteSmokeTest {

  @Test
  void measuresHoldfastAndItsPeersAndReportsTheirRatios(@TempDir Path logs) throws Exception {
    Report report;
    try (RedisServer server = RedisServer.start()) {
      Settings settings =
          new Settings(
              server.address(),
              0,
              0,
              TimeValue.milliseconds(100),
              1,
              TimeValue.milliseconds(300),
              "RedisOneKeyBenchmark\\.(holdfast|redisson)|InMemoryBenchmark\\..*OneThread"
                  + "|SpringAnnotationBenchmark\\.(annotation|template)OneKey",
              logs,
              List.of(1, 2),
              "InMemoryBenchmark\\..*",
              logs.resolve("charts"));

      report = BenchmarkSuite.run(settings);
    }

    assertThat(report.rows())
        .extracting(Comparison::workload)
        .containsExactly(
            "1 key, 1 thread",
            "in-memory, 1 key, 1 thread",
            "Spring `@DistributedLock`, 1 key `#productId`, 1 thread");
    for (String benchmark :
        List.of(
            "RedisOneKeyBenchmark.holdfast",
            "RedisOneKeyBenchmark.redisson",
            "InMemoryBenchmark.holdfastOneThread",
            "InMemoryBenchmark.handRolledOneThread",
            "SpringAnnotationBenchmark.annotationOneKey",
            "SpringAnnotationBenchmark.templateOneKey")) {
      Measurement measured = report.of(benchmark);
      assertThat(measured.opsPerSecond()).as(benchmark + " ops/s").isPositive();
      assertThat(measured.p50Micros()).as(benchmark + " p50").isPositive();
      assertThat(measured.p999Micros())
          .as(benchmark + " p99.9")
          .isGreaterThanOrEqualTo(measured.p50Micros());
      assertThat(measured.cpuMicrosPerOp()).as(benchmark + " CPU per op").isPositive();
    }
    // One script to take the key, one to release it, and the commands they call; RLock's more.
    assertThat(report.of("RedisOneKeyBenchmark.holdfast").commandsPerOp()).isBetween(2.0, 20.0);
    assertThat(report.of("RedisOneKeyBenchmark.redisson").commandsPerOp()).isBetween(2.0, 40.0);
    assertThat(report.of("InMemoryBenchmark.holdfastOneThread").commandsPerOp()).isNaN();
    assertThat(report.table())
        .contains("| 1 key, 1 thread | Redis | Redisson `RLock` |")
        .contains("| in-memory, 1 key, 1 thread | in-memory |")
        .contains(
            "| Spring `@DistributedLock`, 1 key `#productId`, 1 thread | in-memory | keys built by"
                + " hand, `LockTemplate` called directly |");
    for (String chart :
        List.of(
            "latency-redis.png", "latency-in-memory.png", "InMemoryBenchmark-ops-by-threads.png")) {
      byte[] png = Files.readAllBytes(logs.resolve("charts").resolve(chart));
      assertThat(png).as(chart).startsWith(0x89, 'P', 'N', 'G');
    }
  }
}
