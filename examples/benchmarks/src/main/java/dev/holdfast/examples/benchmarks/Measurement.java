package dev.holdfast.examples.benchmarks;

/**
 * What the suite measured of one benchmark; {@code NaN} where a figure was not measured.
 *
 * @param opsPerSecond the mean throughput of the measured iterations
 * @param opsError the half-width of JMH's 99.9 % confidence interval of it
 * @param p50Micros the median time of one operation, from the sampling run
 * @param p99Micros its 99th percentile
 * @param p999Micros its 99.9th percentile
 * @param cpuMicrosPerOp the benchmark JVM's CPU time per operation
 * @param commandsPerOp Redis commands per operation
 */
record Measurement(
    double opsPerSecond,
    double opsError,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    double cpuMicrosPerOp,
    double commandsPerOp) {

  /** Nothing measured. */
  static final Measurement NONE =
      new Measurement(
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** This measurement with the figures of a throughput run. */
  Measurement withThroughput(double ops, double error, double cpu, double commands) {
    return new Measurement(ops, error, p50Micros, p99Micros, p999Micros, cpu, commands);
  }

  /** This measurement with the latency percentiles of a sampling run. */
  Measurement withLatency(double p50, double p99, double p999) {
    return new Measurement(opsPerSecond, opsError, p50, p99, p999, cpuMicrosPerOp, commandsPerOp);
  }
}
