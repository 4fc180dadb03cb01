package dev.holdfast.lock.testing;

import dev.holdfast.lock.LockRequest;
import dev.holdfast.lock.spi.Acquisition;
import dev.holdfast.lock.spi.Deadline;
import dev.holdfast.lock.spi.LockCapability;
import dev.holdfast.lock.spi.LockProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scriptable provider: it records every request, and answers each with the next queued {@link
 * Answer}, or by granting the keys when none is queued. It never blocks.
 */
public final class FakeLockProvider implements LockProvider {

  /** What the provider does for one {@code acquire} call. */
  @FunctionalInterface
  public interface Answer {

    /** Answers one acquisition. */
    Acquisition answer(LockRequest request, Deadline deadline) throws InterruptedException;
  }

  private final Comparator<String> keyOrder;
  private final boolean issuesTokens;
  private final List<LockRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Deadline> deadlines = new CopyOnWriteArrayList<>();
  private final List<FakeLockHandle> handles = new CopyOnWriteArrayList<>();
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicLong lastToken = new AtomicLong(100);

  private FakeLockProvider(Comparator<String> keyOrder, boolean issuesTokens) {
    this.keyOrder = keyOrder;
    this.issuesTokens = issuesTokens;
  }

  /** A provider in string order that issues fencing tokens. */
  public static FakeLockProvider create() {
    return new FakeLockProvider(Comparator.naturalOrder(), true);
  }

  /** A provider that declares its own key order. */
  public static FakeLockProvider withKeyOrder(Comparator<String> keyOrder) {
    return new FakeLockProvider(keyOrder, true);
  }

  /** A provider that issues no fencing tokens. */
  public static FakeLockProvider withoutFencingTokens() {
    return new FakeLockProvider(Comparator.naturalOrder(), false);
  }

  /** Queues the answer to the next acquisition not yet answered. */
  public FakeLockProvider answerNext(Answer answer) {
    answers.add(answer);
    return this;
  }

  /** Grants every key of {@code request}, each with a fresh fencing token. */
  public Acquisition.Acquired grant(LockRequest request) {
    Map<String, Long> tokens = new LinkedHashMap<>();
    if (issuesTokens) {
      for (String key : request.keys()) {
        tokens.put(key, lastToken.incrementAndGet());
      }
    }
    FakeLockHandle handle = new FakeLockHandle(request.keys(), tokens);
    handles.add(handle);
    return new Acquisition.Acquired(handle);
  }

  @Override
  public Acquisition acquire(LockRequest request, Deadline deadline) throws InterruptedException {
    requests.add(request);
    deadlines.add(deadline);
    Answer answer = answers.poll();
    return answer == null ? grant(request) : answer.answer(request, deadline);
  }

  /** Every request the provider was asked for, in order. */
  public List<LockRequest> requests() {
    return List.copyOf(requests);
  }

  /** The keys of every request, in order. */
  public List<List<String>> requestedKeys() {
    List<List<String>> keys = new ArrayList<>();
    for (LockRequest request : requests) {
      keys.add(request.keys());
    }
    return keys;
  }

  /** The deadline of every request, in order. */
  public List<Deadline> deadlines() {
    return List.copyOf(deadlines);
  }

  /** The handle of the {@code index}-th granted acquisition. */
  public FakeLockHandle handle(int index) {
    return handles.get(index);
  }

  /** The handle of the latest granted acquisition. */
  public FakeLockHandle lastHandle() {
    return handles.get(handles.size() - 1);
  }

  /** Every handle granted, in order. */
  public List<FakeLockHandle> handles() {
    return List.copyOf(handles);
  }

  @Override
  public Set<LockCapability> capabilities() {
    return issuesTokens ? Set.copyOf(EnumSet.of(LockCapability.FENCING_TOKENS)) : Set.of();
  }

  @Override
  public Comparator<String> keyOrder() {
    return keyOrder;
  }

  @Override
  public String toString() {
    return "FakeLockProvider";
  }
}
