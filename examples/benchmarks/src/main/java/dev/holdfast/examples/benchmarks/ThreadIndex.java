package dev.holdfast.examples.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/** Which of the benchmark's threads this is: thread {@code i} of a 16-key workload uses key i. */
@State(Scope.Thread)
public class ThreadIndex {

  private int index;

  /** Creates the state; JMH calls it. */
  public ThreadIndex() {}

  /**
   * Reads the thread's index.
   *
   * @param thread JMH's view of the thread
   */
  @Setup
  public void setUp(ThreadParams thread) {
    index = thread.getThreadIndex();
  }

  /** Returns the key of {@code keys} this thread uses. */
  String keyOf(String[] keys) {
    return keys[index % keys.length];
  }
}
