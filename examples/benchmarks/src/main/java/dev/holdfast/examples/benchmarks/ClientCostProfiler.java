package dev.holdfast.examples.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisClientConfig;
import org.redisson.client.RedisConnection;
import org.redisson.client.protocol.RedisCommands;

/**
 * What one operation costs besides time: the benchmark JVM's CPU time ({@value #CPU}; the client
 * is the bottleneck, not Redis) and, for benchmarks with a {@value RedisStates#ADDRESS_PARAM}, the
 * Redis commands it made the server run ({@value #COMMANDS}: {@code INFO commandstats} before and
 * after each iteration, every command but this profiler's own {@code INFO}, those Lua scripts call
 * included). Both are divided by every operation of the iteration, including those JMH runs while
 * its threads start and stop, since the deltas cover those too.
 *
 * <p>Runs inside the benchmark's JVM, as JMH's {@code -prof} does with internal profilers.
 */
public final class ClientCostProfiler implements InternalProfiler {

  /** The label of the CPU time per operation, in microseconds. */
  public static final String CPU = "client.cpu";

  /** The label of the Redis commands per operation. */
  public static final String COMMANDS = "redis.commands";

  private static final String STAT_PREFIX = "cmdstat_";
  private static final Pattern CALLS = Pattern.compile("(?:^|,)calls=(\\d+)");

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private @Nullable RedisClient redis;
  private @Nullable RedisConnection connection;
  private long commandsBefore;
  private long cpuBefore;

  /** Creates the profiler; JMH calls it. */
  public ClientCostProfiler() {}

  @Override
  public String getDescription() {
    return "process CPU time and Redis commands (INFO commandstats) per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    String address = benchmarkParams.getParam(RedisStates.ADDRESS_PARAM);
    if (address != null) {
      RedisClientConfig config = new RedisClientConfig();
      config.setAddress(address);
      RedisClient client = RedisClient.create(config);
      redis = client;
      RedisConnection connected = client.connect();
      connection = connected;
      commandsBefore = commandCount(connected);
    }
    cpuBefore = os.getProcessCpuTime(); // last: the connection's set-up is not the benchmark's
  }

  @Override
  public Collection<? extends Result<?>> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuBefore; // first, for the same reason
    long ops = result.getMetadata().getAllOps();
    List<Result<?>> results = new ArrayList<>();
    results.add(
        new ScalarResult(CPU, perOp(cpu / 1_000.0, ops), "µs/op", AggregationPolicy.AVG));
    RedisClient client = redis;
    RedisConnection connected = connection;
    if (client != null && connected != null) {
      try {
        long commands = commandCount(connected) - commandsBefore;
        results.add(
            new ScalarResult(COMMANDS, perOp((double) commands, ops), "cmds/op", AggregationPolicy.AVG));
      } finally {
        client.shutdown(); // closes the connection too
        redis = null;
        connection = null;
      }
    }
    return results;
  }

  private static double perOp(double total, long ops) {
    return ops == 0 ? Double.NaN : total / ops;
  }

  /** The calls of every command so far, but {@code INFO}, which this profiler sends. */
  private static long commandCount(RedisConnection connection) {
    Map<String, String> stats = connection.sync(RedisCommands.INFO_COMMANDSTATS);
    long calls = 0;
    for (Map.Entry<String, String> stat : stats.entrySet()) {
      String name = stat.getKey();
      if (name.startsWith(STAT_PREFIX) && !name.equals(STAT_PREFIX + "info")) {
        calls += callsOf(stat.getValue());
      }
    }
    return calls;
  }

  /** Reads {@code calls=N} from a value such as {@code calls=12,usec=40,usec_per_call=3.33,…}. */
  private static long callsOf(String stat) {
    Matcher calls = CALLS.matcher(stat);
    if (calls.find()) {
      return Long.parseLong(calls.group(1));
    }
    throw new IllegalStateException("No calls= in INFO commandstats entry: " + stat);
  }
}
