package dev.holdfast.lock.inmemory;

import static java.time.Duration.ZERO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.LockNotAcquiredException;
import dev.holdfast.lock.LockTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads wait for in-memory keys by parking, which unmounts them from their carrier:
 * nothing pins. {@code -Djdk.tracePinnedThreads} is gone since JDK 24, so pinning is detected with
 * JFR's {@code jdk.VirtualThreadPinned} event, and a control test shows the detector catches a
 * thread that really is pinned.
 *
 * <p>The build compiles for Java 17 and, on JDK 17, reports these tests skipped; where the Temurin
 * 25 JDK is installed, the {@code virtual-threads-on-jdk25} Surefire execution of this module runs
 * them on it.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@Timeout(120)
final class InMemoryLockProviderVirtualThreadTest {

  private static final String PINNED = "jdk.VirtualThreadPinned";
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration LONG_WAIT = Duration.ofSeconds(60);

  /** What {@link WaitsForAKeyWhileInitialized} waits for; set before the class is first used. */
  private static final AtomicReference<@Nullable LockTemplate> KEY_HELD_ELSEWHERE =
      new AtomicReference<>();

  private final InMemoryLockProvider provider = InMemoryLockProvider.create();
  private final LockTemplate locks = LockTemplate.of(provider);

  @TempDir Path recordings;

  /**
   * A virtual thread that blocks while the JVM loads or initializes a class is still pinned on JDK
   * 25 (seen here once in ten runs, when two threads first touched a {@code ConcurrentHashMap} view
   * class at the same time), so a smaller run of the same workload loads every class it needs
   * before the recording starts.
   */
  @Test
  void virtualThreadsContendingForKeysParkWithoutPinningTheirCarriers() throws Exception {
    List<String> keys = List.of("lock:hot:0", "lock:hot:1", "lock:hot:2", "lock:hot:3");
    new Contention(locks, keys, 100, 4).run();
    Contention contention = new Contention(locks, keys, 1_000, 20);

    List<RecordedEvent> pinned = pinnedEventsWhile(contention::run);

    assertThat(contention.failures).isEmpty();
    assertThat(contention.threads).allMatch(VirtualThreads::isVirtual);
    assertThat(contention.counts).containsExactly(5_000, 5_000, 5_000, 5_000);
    assertThat(contention.holdersThatSawAParkedWaiter).hasPositiveValue();
    assertThat(pinned).as(describe(pinned)).isEmpty();
    assertThat(provider.keysInUse()).isZero();
  }

  /**
   * The control: JDK 25 still pins a virtual thread that parks while a class initializer is on its
   * stack. Waiting for a key there must show up as a pinned event, or the test above proves
   * nothing.
   */
  @Test
  void theDetectorSeesAVirtualThreadPinnedWhileWaitingForAKeyInAClassInitializer()
      throws Exception {
    KEY_HELD_ELSEWHERE.set(locks);
    AtomicReference<@Nullable Throwable> outcome = new AtomicReference<>();
    Thread initializer =
        VirtualThreads.unstarted(() -> outcome.set(WaitsForAKeyWhileInitialized.OUTCOME));

    List<RecordedEvent> pinned =
        pinnedEventsWhile(
            () ->
                locks.runWithLock(
                    WaitsForAKeyWhileInitialized.KEY,
                    ZERO,
                    LEASE,
                    held -> {
                      initializer.start();
                      initializer.join();
                    }));

    assertThat(outcome.get()).isInstanceOf(LockNotAcquiredException.class);
    assertThat(pinned)
        .as(describe(pinned))
        .anySatisfy(
            event ->
                assertThat(event.getStackTrace().getFrames())
                    .extracting(RecordedFrame::getMethod)
                    .anySatisfy(
                        method -> {
                          assertThat(method.getType().getName())
                              .isEqualTo(WaitsForAKeyWhileInitialized.class.getName());
                          assertThat(method.getName()).isEqualTo("<clinit>");
                        }));
  }

  @Test
  void aCallOnAVirtualThreadReleasesTheKeyForOtherThreads() throws Exception {
    String key = "lock:product:7";
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Runnable call = () -> locks.runWithLock(key, ZERO, LEASE, held -> {});
    Thread virtual = VirtualThreads.unstarted(() -> failure.set(catchThrowable(call::run)));
    virtual.start();
    virtual.join();

    boolean tookItHere = locks.executeWithLock(key, ZERO, LEASE, held -> true);

    assertThat(failure.get()).isNull();
    assertThat(tookItHere).isTrue();
    assertThat(provider.keysInUse()).isZero();
  }

  /**
   * Virtual threads that each take the keys in turn, {@code rounds} times, incrementing the key's
   * counter with a read, a yield and a write: a lost update would show a broken exclusion, and the
   * yield unmounts the holder so that the others find the key taken and park.
   */
  private static final class Contention {

    final List<Thread> threads = new ArrayList<>();
    final long[] counts; // counts[k] is guarded by keys.get(k)
    final AtomicInteger holdersThatSawAParkedWaiter = new AtomicInteger();
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final LockTemplate locks;
    private final List<String> keys;
    private final int rounds;
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    private final CountDownLatch start = new CountDownLatch(1);

    Contention(LockTemplate locks, List<String> keys, int threadCount, int rounds) {
      this.locks = locks;
      this.keys = keys;
      this.rounds = rounds;
      this.counts = new long[keys.size()];
      for (int t = 0; t < threadCount; t++) {
        int first = t;
        threads.add(VirtualThreads.unstarted(() -> work(first)));
      }
    }

    /** Starts every thread at once and waits for all of them. */
    void run() throws InterruptedException {
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    }

    private void work(int first) {
      try {
        start.await();
        for (int r = 0; r < rounds; r++) {
          int k = (first + r) % keys.size();
          waiting.add(Thread.currentThread());
          locks.runWithLock(keys.get(k), LONG_WAIT, LEASE, held -> increment(k));
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    }

    private void increment(int k) {
      waiting.remove(Thread.currentThread());
      // A waiter parked in its timed wait for a key reports TIMED_WAITING.
      for (Thread waiter : waiting) {
        if (waiter.getState() == Thread.State.TIMED_WAITING) {
          holdersThatSawAParkedWaiter.incrementAndGet();
          break;
        }
      }
      long seen = counts[k];
      Thread.yield();
      counts[k] = seen + 1;
    }
  }

  /** Waits for a key held by the test while this class is being initialized. */
  private static final class WaitsForAKeyWhileInitialized {

    static final String KEY = "lock:control:pinned";

    /** The outcome of the wait: {@link LockNotAcquiredException} if the test held the key. */
    static final @Nullable Throwable OUTCOME =
        catchThrowable(
            () ->
                requireNonNullTemplate(KEY_HELD_ELSEWHERE.get())
                    .runWithLock(KEY, Duration.ofMillis(50), LEASE, held -> {}));
  }

  private static LockTemplate requireNonNullTemplate(@Nullable LockTemplate template) {
    if (template == null) {
      throw new IllegalStateException("KEY_HELD_ELSEWHERE must be set before initialization");
    }
    return template;
  }

  /** Work that may throw anything. */
  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  /** Records every {@code jdk.VirtualThreadPinned} event, however short, during {@code work}. */
  private List<RecordedEvent> pinnedEventsWhile(Work work) throws Exception {
    Path file = recordings.resolve("pinned.jfr");
    try (Recording recording = new Recording()) {
      recording.enable(PINNED).withThreshold(ZERO).withStackTrace();
      recording.start();
      work.run();
      recording.stop();
      recording.dump(file);
    }
    return RecordingFile.readAllEvents(file).stream()
        .filter(event -> event.getEventType().getName().equals(PINNED))
        .collect(Collectors.toList());
  }

  private static String describe(List<RecordedEvent> events) {
    return events.size()
        + " pinned event(s), the first ones:\n"
        + events.stream().limit(3).map(RecordedEvent::toString).collect(Collectors.joining());
  }
}
