package dev.holdfast.lock.testing;

import dev.holdfast.lock.spi.LockHandle;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/** A handle whose lost keys and release failure a test sets, and which counts its releases. */
public final class FakeLockHandle implements LockHandle {

  private final List<String> keys;
  private final Map<String, Long> tokens;
  private final AtomicInteger releases = new AtomicInteger();
  private volatile List<String> lost = List.of();
  private volatile RuntimeException releaseFailure;
  private volatile RuntimeException checkFailure;

  FakeLockHandle(List<String> keys, Map<String, Long> tokens) {
    this.keys = List.copyOf(keys);
    this.tokens = Map.copyOf(tokens);
  }

  /** The keys this handle was granted, in the order the provider was asked for them. */
  public List<String> keys() {
    return keys;
  }

  /** Makes the backend report {@code lostKeys} as lost, from now on and at release. */
  public void lose(String... lostKeys) {
    this.lost = List.of(lostKeys);
  }

  /** Makes {@link #release()} throw {@code failure}. */
  public void failReleaseWith(RuntimeException failure) {
    this.releaseFailure = failure;
  }

  /** Makes {@link #lostKeys()}, the liveness check, throw {@code failure}. */
  public void failChecksWith(RuntimeException failure) {
    this.checkFailure = failure;
  }

  /** How many times {@link #release()} was called. */
  public int releaseCount() {
    return releases.get();
  }

  @Override
  public OptionalLong fencingToken(String key) {
    Long token = tokens.get(key);
    return token == null ? OptionalLong.empty() : OptionalLong.of(token);
  }

  @Override
  public List<String> lostKeys() {
    RuntimeException failure = checkFailure;
    if (failure != null) {
      throw failure;
    }
    return lost;
  }

  @Override
  public List<String> release() {
    releases.incrementAndGet();
    RuntimeException failure = releaseFailure;
    if (failure != null) {
      throw failure;
    }
    return lost;
  }

  @Override
  public String toString() {
    return "FakeLockHandle" + keys;
  }
}
