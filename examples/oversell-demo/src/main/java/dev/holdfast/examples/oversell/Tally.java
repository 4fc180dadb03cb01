package dev.holdfast.examples.oversell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What happened to the orders of one strategy's burst, in one process or merged over several:
 * orders placed, orders refused for lack of stock, orders that failed otherwise by cause ("lock
 * timeout", an exception's name), and each order's time from calling to its outcome, unsorted.
 */
final class Tally {

  private final long accepted;
  private final long rejected;
  private final Map<String, Long> failures;
  private final long[] latencyNanos;

  Tally(long accepted, long rejected, Map<String, Long> failures, long[] latencyNanos) {
    this.accepted = accepted;
    this.rejected = rejected;
    this.failures = Map.copyOf(failures);
    this.latencyNanos = latencyNanos.clone();
  }

  long accepted() {
    return accepted;
  }

  long rejected() {
    return rejected;
  }

  Map<String, Long> failures() {
    return failures;
  }

  long[] latencyNanos() {
    return latencyNanos.clone();
  }

  long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The latency below which {@code percent} of the orders finished, in nanoseconds. */
  long latencyPercentile(double percent) {
    if (latencyNanos.length == 0) {
      return 0;
    }
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  static Tally merge(List<Tally> tallies) {
    Map<String, Long> failures = new TreeMap<>();
    List<long[]> latencies = new ArrayList<>();
    long accepted = 0;
    long rejected = 0;
    for (Tally tally : tallies) {
      accepted += tally.accepted();
      rejected += tally.rejected();
      tally.failures().forEach((cause, count) -> failures.merge(cause, count, Long::sum));
      latencies.add(tally.latencyNanos());
    }
    return new Tally(
        accepted, rejected, failures, latencies.stream().flatMapToLong(Arrays::stream).toArray());
  }

  /** One line, no spaces inside fields, for a worker process to report to its parent. */
  String encode() {
    String causes =
        failures.isEmpty()
            ? "-"
            : failures.entrySet().stream()
                .map(e -> e.getKey().replace(' ', '_') + "=" + e.getValue())
                .collect(Collectors.joining(","));
    String latencies =
        latencyNanos.length == 0
            ? "-"
            : Arrays.stream(latencyNanos).mapToObj(Long::toString).collect(Collectors.joining(","));
    return accepted + " " + rejected + " " + causes + " " + latencies;
  }

  static Tally decode(String line) {
    String[] fields = line.trim().split(" ", -1);
    if (fields.length != 4) {
      throw new IllegalArgumentException("A tally has 4 fields, was \"" + line + "\"");
    }
    Map<String, Long> failures = new TreeMap<>();
    if (!fields[2].equals("-")) {
      for (String cause : fields[2].split(",", -1)) {
        String[] pair = cause.split("=", -1);
        failures.put(pair[0].replace('_', ' '), Long.parseLong(pair[1]));
      }
    }
    long[] latencies =
        fields[3].equals("-")
            ? new long[0]
            : Arrays.stream(fields[3].split(",", -1)).mapToLong(Long::parseLong).toArray();
    return new Tally(Long.parseLong(fields[0]), Long.parseLong(fields[1]), failures, latencies);
  }
}
