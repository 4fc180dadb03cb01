package dev.holdfast.examples.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import org.openjdk.jmh.util.Version;
import org.redisson.Redisson;

/**
 * Runs the benchmarks twice through JMH, once for throughput (with {@link ClientCostProfiler}) and
 * once sampling the time of single operations for percentiles, and prints one markdown table of
 * Holdfast against its peers, with the targets.
 *
 * <p>Settings are system properties, all optional but the Redis address for the Redis benchmarks
 * ({@code run-benchmarks.sh} sets them from environment variables):
 *
 * <ul>
 *   <li>{@code holdfast.benchmarks.redis}: {@code redis://host:port} of a server of this run's own
 *   <li>{@code holdfast.benchmarks.forks} (1), {@code .warmupIterations} (5), {@code
 *       .warmupSeconds} (3), {@code .iterations} (5), {@code .seconds} (2)
 *   <li>{@code holdfast.benchmarks.include}: a regular expression over {@code Class.method}
 *       (everything)
 *   <li>{@code holdfast.benchmarks.logs}: where JMH's own output goes ({@code target/jmh})
 *   <li>{@code holdfast.benchmarks.sweepThreads}: the thread counts of the thread sweep, a third
 *       pass that runs the contended workloads at each ({@code 1,4,16}; empty for none)
 *   <li>{@code holdfast.benchmarks.sweepInclude}: which benchmarks the sweep runs, a regular
 *       expression over {@code Class.method} ({@value #CONTENDED}), within {@code include}
 *   <li>{@code holdfast.benchmarks.charts}: where {@link Charts} draws the run (none if unset)
 * </ul>
 */
public final class BenchmarkSuite {

  private static final String PROPERTY = "holdfast.benchmarks.";

  /** The workloads where threads wait for each other: the thread sweep's default. */
  static final String CONTENDED =
      "InMemoryBenchmark\\..*SixteenThreads|RedisOneKeyBenchmark\\..*HotKey"
          + "|RedisThreeOfTwentyBenchmark\\..*";

  /** Benchmark names are reported without it. */
  private static final String PACKAGE = BenchmarkSuite.class.getPackageName();

  private BenchmarkSuite() {}

  /**
   * How to run the suite.
   *
   * @param redisAddress {@code redis://host:port}, or null to run without Redis (the Redis
   *     benchmarks then fail)
   * @param forks JMH forks per benchmark; 0 runs in this JVM (for the smoke test only)
   * @param warmupIterations warm-up iterations per fork
   * @param warmupTime length of one
   * @param iterations measured iterations per fork
   * @param time length of one
   * @param include which benchmarks, a regular expression over {@code Class.method}
   * @param logs the directory for JMH's output
   * @param sweepThreads the thread counts at which the sweep runs; empty for no sweep
   * @param sweepInclude which benchmarks the sweep runs (those {@code include} also matches)
   * @param charts the directory {@link Charts} draws into, or null for no charts
   */
  record Settings(
      @Nullable String redisAddress,
      int forks,
      int warmupIterations,
      TimeValue warmupTime,
      int iterations,
      TimeValue time,
      String include,
      Path logs,
      List<Integer> sweepThreads,
      String sweepInclude,
      @Nullable Path charts) {

    Settings {
      sweepThreads = List.copyOf(sweepThreads);
    }

    static Settings fromSystemProperties() {
      String charts = System.getProperty(PROPERTY + "charts");
      return new Settings(
          System.getProperty(PROPERTY + "redis"),
          atLeast("forks", 1, 0),
          atLeast("warmupIterations", 5, 0),
          TimeValue.seconds(atLeast("warmupSeconds", 3, 1)),
          atLeast("iterations", 5, 1),
          TimeValue.seconds(atLeast("seconds", 2, 1)),
          System.getProperty(PROPERTY + "include", ".*"),
          Path.of(System.getProperty(PROPERTY + "logs", "target/jmh")),
          threadCounts(System.getProperty(PROPERTY + "sweepThreads", "1,4,16")),
          System.getProperty(PROPERTY + "sweepInclude", CONTENDED),
          charts == null || charts.isBlank() ? null : Path.of(charts));
    }

    /** {@code "1,4,16"} → [1, 4, 16]; blank → none. */
    static List<Integer> threadCounts(String value) {
      List<Integer> counts = new ArrayList<>();
      for (String count : Pattern.compile(",").split(value, -1)) {
        if (count.isBlank()) {
          continue;
        }
        int parsed;
        try {
          parsed = Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
          parsed = 0;
        }
        if (parsed < 1) {
          throw new IllegalArgumentException(
              PROPERTY
                  + "sweepThreads must be thread counts of at least 1 separated by commas, was "
                  + value);
        }
        counts.add(parsed);
      }
      return counts;
    }

    private static int atLeast(String name, int otherwise, int min) {
      String value = System.getProperty(PROPERTY + name);
      if (value == null) {
        return otherwise;
      }
      int parsed;
      try {
        parsed = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        parsed = Integer.MIN_VALUE;
      }
      if (parsed < min) {
        throw new IllegalArgumentException(
            PROPERTY + name + " must be a whole number of at least " + min + ", was " + value);
      }
      return parsed;
    }
  }

  /**
   * Runs the suite with the settings of the system properties and prints the report.
   *
   * @param args none are taken
   * @throws RunnerException if JMH fails, for example because a benchmark threw
   */
  public static void main(String[] args) throws RunnerException {
    if (args.length > 0) {
      throw new IllegalArgumentException(
          "BenchmarkSuite takes no arguments, only -D"
              + PROPERTY
              + "* properties; was "
              + Arrays.toString(args));
    }
    Settings settings = Settings.fromSystemProperties();
    System.out.print(describe(settings));
    System.out.println();
    System.out.print(run(settings).table());
  }

  /** Runs both passes and returns what they measured. */
  static Report run(Settings settings) throws RunnerException {
    try {
      Files.createDirectories(settings.logs());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + settings.logs(), e);
    }
    Map<String, Measurement> measured = new HashMap<>();
    Collection<RunResult> throughput = pass(settings, Mode.Throughput);
    for (RunResult result : throughput) {
      Result<?> primary = result.getPrimaryResult();
      measured.merge(
          name(result),
          Measurement.NONE.withThroughput(
              primary.getScore(),
              primary.getScoreError(),
              secondaryScore(result, ClientCostProfiler.CPU),
              secondaryScore(result, ClientCostProfiler.COMMANDS)),
          (old, fresh) -> fresh);
    }
    for (RunResult result : pass(settings, Mode.SampleTime)) {
      Statistics samples = result.getPrimaryResult().getStatistics();
      measured.compute(
          name(result),
          (name, old) ->
              (old == null ? Measurement.NONE : old)
                  .withLatency(
                      samples.getPercentile(50),
                      samples.getPercentile(99),
                      samples.getPercentile(99.9)));
    }
    Pattern included = Pattern.compile(settings.include());
    List<Comparison> expected =
        Arrays.stream(Comparison.ALL)
            .filter(
                c ->
                    included.matcher(withoutParams(c.holdfast())).matches()
                        && included.matcher(withoutParams(c.peer())).matches())
            .toList();
    Report report = new Report(measured, expected);
    Path charts = settings.charts();
    if (charts != null) {
      Charts.render(charts, report, throughput, threadSweep(settings));
    }
    return report;
  }

  /**
   * Runs the sweep's workloads once per thread count, overriding their own {@code @Threads}.
   * Throughput only, without the profiler: it feeds the charts, not the table.
   */
  private static List<RunResult> threadSweep(Settings settings) throws RunnerException {
    List<RunResult> results = new ArrayList<>();
    for (int threads : settings.sweepThreads()) {
      ChainedOptionsBuilder options =
          options(
              settings,
              // Both patterns must match the whole Class.method.
              "(?=(?:" + settings.include() + ")$)(?:" + settings.sweepInclude() + ")",
              Mode.Throughput,
              "threads-" + threads);
      results.addAll(new Runner(options.threads(threads).build()).run());
    }
    return results;
  }

  private static Collection<RunResult> pass(Settings settings, Mode mode) throws RunnerException {
    String label = mode == Mode.Throughput ? "throughput" : "sample";
    ChainedOptionsBuilder options = options(settings, settings.include(), mode, label);
    if (mode == Mode.Throughput) {
      options.addProfiler(ClientCostProfiler.class);
    }
    return new Runner(options.build()).run();
  }

  /** The options every pass shares; {@code label} names its log. */
  private static ChainedOptionsBuilder options(
      Settings settings, String include, Mode mode, String label) {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(PACKAGE + "\\.(" + include + ")$")
            .mode(mode)
            .timeUnit(mode == Mode.Throughput ? TimeUnit.SECONDS : TimeUnit.MICROSECONDS)
            .forks(settings.forks())
            .warmupIterations(settings.warmupIterations())
            .warmupTime(settings.warmupTime())
            .measurementIterations(settings.iterations())
            .measurementTime(settings.time())
            // A benchmark that fails (its error is in the log) leaves its row without figures;
            // the others still run. An iteration stuck for two minutes counts as failed.
            .shouldFailOnError(false)
            .timeout(TimeValue.minutes(2))
            .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
            .output(settings.logs().resolve(label + ".log").toString())
            .result(settings.logs().resolve(label + ".json").toString())
            .resultFormat(ResultFormatType.JSON);
    String address = settings.redisAddress();
    if (address != null) {
      options.param(RedisStates.ADDRESS_PARAM, address);
    }
    return options;
  }

  /**
   * {@code Class.method} of a result, followed by its parameters but the server's address: {@code
   * Class.method[keysPerCall=30]}.
   */
  private static String name(RunResult result) {
    BenchmarkParams params = result.getParams();
    StringBuilder name = new StringBuilder(params.getBenchmark().substring(PACKAGE.length() + 1));
    for (String param : params.getParamsKeys()) {
      // Where a store runs is a condition of the run, not part of the workload.
      if (!param.equals(RedisStates.ADDRESS_PARAM) && !param.equals(JdbcBenchmark.URL_PARAM)) {
        name.append('[').append(param).append('=').append(params.getParam(param)).append(']');
      }
    }
    return name.toString();
  }

  /** {@code Class.method} of a reported name, without its parameters. */
  static String withoutParams(String name) {
    int params = name.indexOf('[');
    return params < 0 ? name : name.substring(0, params);
  }

  /** A profiler's figure; {@code NaN} if it made none (no Redis commands in-memory). */
  private static double secondaryScore(RunResult result, String label) {
    Result<?> secondary = result.getSecondaryResults().get(label);
    return secondary == null ? Double.NaN : secondary.getScore();
  }

  /** The conditions of the run, in markdown. */
  static String describe(Settings settings) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "- JDK %s (%s), %s %s, %d CPUs available%n",
            Runtime.version(),
            System.getProperty("java.vm.name"),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            Runtime.getRuntime().availableProcessors()));
    String address = settings.redisAddress();
    if (address != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "- Redis %s at %s; Redisson %s with its default client settings, but for the"
                  + " \"a client each\" rows: a client per thread with 2 to 4 connections and 2"
                  + " Netty threads, the same for both contenders%n",
              redisVersion(address),
              address,
              Redisson.class.getPackage().getImplementationVersion()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "- JMH %s: %d fork(s) per benchmark, %d × %s warm-up, %d × %s measured, once for"
                + " throughput and once sampling each operation's time%n",
            Version.getPlainVersion(),
            settings.forks(),
            settings.warmupIterations(),
            settings.warmupTime(),
            settings.iterations(),
            settings.time()));
    if (!settings.sweepThreads().isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "- thread sweep (charts only): `%s` at %s threads, throughput, without the"
                  + " profiler%n",
              settings.sweepInclude(),
              settings.sweepThreads()));
    }
    out.append(
        "- every contender waits up to 10 s and holds a fixed 30 s lease (the renewing row: a"
            + " renewed one) around an empty callback; ratio = Holdfast / peer\n");
    return out.toString();
  }

  private static String redisVersion(String address) {
    try (RedisInfo info = RedisInfo.connect(address)) {
      return info.version();
    }
  }
}
