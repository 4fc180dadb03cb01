package dev.holdfast.lock.redisson.faults;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One event of one call in a worker's history, one tab-separated line each. {@code nanos} is {@link
 * System#nanoTime()}, which on Linux counts from one host-wide origin, so the histories of several
 * JVMs merge into one time line.
 *
 * @param nanos when it happened
 * @param worker the worker JVM, for example {@code w2g1} (slot 2, first replacement)
 * @param callId unique across the run: worker, thread and sequence number
 * @param op what happened
 * @param detail for {@link Op#FAIL}: the exception's simple name, then {@code :} and a qualifier
 *     (the refusal reason, or whether the interrupt flag was restored); otherwise {@code -}
 * @param items the order
 * @param tokens for {@link Op#ACQUIRED}: the fencing token of each product's key; otherwise empty
 */
record CallEvent(
    long nanos,
    String worker,
    String callId,
    Op op,
    String detail,
    List<OrderItem> items,
    Map<Integer, Long> tokens) {

  /** The steps of a call. */
  enum Op {
    /** Before {@code executeWithLocks}. */
    INVOKE,
    /** First thing in the callback: every key is held. */
    ACQUIRED,
    /** {@code executeWithLocks} returned: the order is committed. */
    OK,
    /** {@code executeWithLocks} threw. */
    FAIL
  }

  private static final String NONE = "-";

  CallEvent {
    items = List.copyOf(items);
    tokens = Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
  }

  /** The exception's simple name of a {@link Op#FAIL}. */
  String failureType() {
    int colon = detail.indexOf(':');
    return colon < 0 ? detail : detail.substring(0, colon);
  }

  String toLine() {
    String tokenText =
        tokens.isEmpty()
            ? NONE
            : tokens.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(","));
    return String.join(
        "\t",
        Long.toString(nanos),
        worker,
        callId,
        op.name(),
        detail,
        OrderItem.format(items),
        tokenText);
  }

  static CallEvent parse(String line) {
    String[] fields = line.split("\t", -1);
    if (fields.length != 7) {
      throw new IllegalArgumentException("not a history line (7 tab-separated fields): " + line);
    }
    Map<Integer, Long> tokens = new LinkedHashMap<>();
    if (!fields[6].equals(NONE)) {
      Arrays.stream(fields[6].split(","))
          .map(pair -> pair.split("=", -1))
          .forEach(pair -> tokens.put(Integer.parseInt(pair[0]), Long.parseLong(pair[1])));
    }
    return new CallEvent(
        Long.parseLong(fields[0]),
        fields[1],
        fields[2],
        Op.valueOf(fields[3]),
        fields[4],
        OrderItem.parse(fields[5]),
        tokens);
  }
}
