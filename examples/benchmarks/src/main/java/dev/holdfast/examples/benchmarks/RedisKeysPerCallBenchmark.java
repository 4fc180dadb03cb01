package dev.holdfast.examples.benchmarks;

import static dev.holdfast.examples.benchmarks.Workloads.LEASE;
import static dev.holdfast.examples.benchmarks.Workloads.NOTHING;
import static dev.holdfast.examples.benchmarks.Workloads.WAIT;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One thread, 1 to 100 fixed keys per call: what each further key costs, one script against one
 * round trip per key and step.
 */
@Threads(1)
public class RedisKeysPerCallBenchmark {

  /** The name of the parameter that sets how many keys a call takes. */
  static final String KEYS_PARAM = "keysPerCall";

  /** Creates the benchmark; JMH calls it. */
  public RedisKeysPerCallBenchmark() {}

  /** The keys of one call, a set of its own for each contender. */
  @State(Scope.Benchmark)
  public static class Keys {

    /** How many keys a call takes. */
    @Param({"1", "3", "10", "30", "100"})
    public int keysPerCall;

    private List<String> holdfast = List.of();
    private List<String> redisson = List.of();

    /** Creates the state; JMH calls it. */
    public Keys() {}

    /** Names the keys. */
    @Setup
    public void name() {
      holdfast = List.of(Workloads.keys("keys-per-call", "holdfast", keysPerCall));
      redisson = List.of(Workloads.keys("keys-per-call", "redisson", keysPerCall));
    }
  }

  /**
   * {@code runWithLocks} over the {@code ATOMIC} Redis backend.
   *
   * @param holdfast the template
   * @param keys the call's keys
   */
  @Benchmark
  public void holdfast(RedisStates.Atomic holdfast, Keys keys) {
    holdfast.template().runWithLocks(keys.holdfast, WAIT, LEASE, NOTHING);
  }

  /**
   * A {@code RedissonMultiLock} over the sorted {@code RLock}s.
   *
   * @param client the Redisson client
   * @param keys the call's keys
   * @throws InterruptedException never: nothing interrupts a benchmark thread
   */
  @Benchmark
  public void redissonMultiLock(RedisStates.Client client, Keys keys) throws InterruptedException {
    Workloads.multiLockOnce(client.redisson(), keys.redisson);
  }
}
