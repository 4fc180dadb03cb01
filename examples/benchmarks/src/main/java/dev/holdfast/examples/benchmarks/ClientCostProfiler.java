package dev.holdfast.examples.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * What one operation costs besides time: the benchmark JVM's CPU time ({@value #CPU}; the client is
 * the bottleneck, not Redis) and, for benchmarks with a {@value RedisStates#ADDRESS_PARAM}, the
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

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private @Nullable RedisInfo redis;
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
      RedisInfo info = RedisInfo.connect(address);
      redis = info;
      commandsBefore = info.commandCount();
    }
    cpuBefore = os.getProcessCpuTime(); // last: the connection's set-up is not the benchmark's
  }

  @Override
  public Collection<? extends Result<?>> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuBefore; // first, for the same reason
    long ops = result.getMetadata().getAllOps();
    List<Result<?>> results = new ArrayList<>();
    results.add(new ScalarResult(CPU, perOp(cpu / 1_000.0, ops), "µs/op", AggregationPolicy.AVG));
    RedisInfo info = redis;
    if (info != null) {
      try {
        long commands = info.commandCount() - commandsBefore;
        results.add(
            new ScalarResult(
                COMMANDS, perOp((double) commands, ops), "cmds/op", AggregationPolicy.AVG));
      } finally {
        info.close();
        redis = null;
      }
    }
    return results;
  }

  private static double perOp(double total, long ops) {
    return ops == 0 ? Double.NaN : total / ops;
  }
}
