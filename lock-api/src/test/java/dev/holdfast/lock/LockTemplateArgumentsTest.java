package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.testing.FakeLockProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every invalid argument is refused, naming the parameter and value, before anything is asked. */
final class LockTemplateArgumentsTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final LockCallback<String, RuntimeException> CALLBACK = held -> "done";
  private static final LockAction<RuntimeException> ACTION = held -> {};
  private static final Duration BEYOND_NANOS = Duration.ofNanos(Long.MAX_VALUE).plusNanos(1);

  private final FakeLockProvider provider = FakeLockProvider.create();
  private final LockTemplate template = LockTemplate.of(provider);

  @Test
  void rejectsNullKeysCollection() {
    Throwable thrown = catchThrowable(() -> template.executeWithLocks(null, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("keys must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullKeysCollectionOnPolicyOverload() {
    Throwable thrown = catchThrowable(() -> template.executeWithLocks(null, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("keys must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullOptions() {
    Throwable thrown =
        catchThrowable(() -> template.executeWithLocks(List.of("lock:a"), null, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("options must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsInvalidKeysOnTheOptionsOverloadToo() {
    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of(" "), LockOptions.fromPolicy(), CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys[0]", "blank");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsEmptyKeys() {
    Throwable thrown =
        catchThrowable(() -> template.executeWithLocks(List.of(), WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys", "[]");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullKeyNamingItsIndex() {
    List<String> keys = Arrays.asList("lock:a", null, "lock:c");

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(keys, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("keys[1] must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsBlankKeyNamingItsIndexAndValue() {
    List<String> keys = List.of("lock:a", " \t");

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(keys, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys[1]", "blank", "\" \t\"");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsEmptyStringKeyNamingItsIndex() {
    List<String> keys = List.of("");

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(keys, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys[0]", "blank", "\"\"");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsKeyLongerThanMaxKeyLengthNamingIndexAndLength() {
    String tooLong = "k".repeat(LockTemplate.MAX_KEY_LENGTH + 1);
    List<String> keys = List.of("lock:a", tooLong);

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(keys, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(
            "keys[1]",
            "at most " + LockTemplate.MAX_KEY_LENGTH,
            "was " + (LockTemplate.MAX_KEY_LENGTH + 1),
            "\"kkkk");
    assertThat(provider.requests()).isEmpty();
  }

  /**
   * The regression: UTF-8 has no form for half a surrogate pair, so Redis stored {@code lock:}
   * followed by U+D800, and {@code lock:} followed by U+DBFF, both as {@code lock:?}. The template
   * took them for two keys and Redis for one: the callback ran, then the call reported a lost
   * lease.
   */
  @Test
  void rejectsAKeyWithALoneSurrogateNamingItsIndexAndTheCharsIndex() {
    List<String> keys = List.of("lock:\uD800", "lock:\uDBFF");

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(keys, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys[0]", "char 5", "\\uD800", "lone surrogate");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsALowSurrogateWithoutItsHighHalfOnASingleKeyCall() {
    String key = "lock:a\uDC00b";

    Throwable thrown = catchThrowable(() -> template.executeWithLock(key, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("key ", "char 6", "\\uDC00");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void acceptsAKeyWithACompleteSurrogatePair() {
    String key = "lock:product:\uD83D\uDCE6";

    String result = template.executeWithLock(key, WAIT, LEASE, CALLBACK);

    assertThat(result).isEqualTo("done");
    assertThat(provider.requestedKeys()).containsExactly(List.of(key));
  }

  /**
   * The regression: the Redis backend keeps a key's fencing counter at {@code {x}:fencing-token},
   * so a lock key spelled so could never be taken once {@code x} had been.
   */
  @Test
  void rejectsAKeyEndingInTheReservedSuffixNamingItsIndex() {
    List<String> keys = List.of("lock:a", "{lock:a}" + LockTemplate.RESERVED_KEY_SUFFIX);

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(keys, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys[1]", "must not end with", ":fencing-token", "{lock:a}");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void acceptsAKeyThatOnlyContainsTheReservedSuffix() {
    String key = "lock:a" + LockTemplate.RESERVED_KEY_SUFFIX + ":b";

    String result = template.executeWithLock(key, WAIT, LEASE, CALLBACK);

    assertThat(result).isEqualTo("done");
  }

  @Test
  void quotesOnlyTheStartOfAnOverlongKey() {
    String tooLong = "k".repeat(LockTemplate.MAX_KEY_LENGTH + 1);

    Throwable thrown =
        catchThrowable(() -> template.executeWithLocks(List.of(tooLong), WAIT, LEASE, CALLBACK));

    assertThat(thrown.getMessage()).hasSizeLessThan(200);
  }

  @Test
  void acceptsKeyOfExactlyMaxKeyLength() {
    String longest = "k".repeat(LockTemplate.MAX_KEY_LENGTH);

    String result = template.executeWithLocks(List.of(longest), WAIT, LEASE, CALLBACK);

    assertThat(result).isEqualTo("done");
    assertThat(provider.requestedKeys()).containsExactly(List.of(longest));
  }

  @Test
  void rejectsMoreThanMaxKeys() {
    List<String> keys = distinctKeys(LockTemplate.MAX_KEYS + 1);

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(keys, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(
            "keys", "at most " + LockTemplate.MAX_KEYS, "was " + (LockTemplate.MAX_KEYS + 1));
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void acceptsExactlyMaxKeys() {
    List<String> keys = distinctKeys(LockTemplate.MAX_KEYS);

    template.executeWithLocks(keys, WAIT, LEASE, CALLBACK);

    assertThat(provider.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.keys()).hasSize(LockTemplate.MAX_KEYS));
  }

  @Test
  void rejectsNullWaitTime() {
    Throwable thrown =
        catchThrowable(() -> template.executeWithLocks(List.of("lock:a"), null, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("waitTime must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNegativeWaitTime() {
    Duration negative = Duration.ofMillis(-1);

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), negative, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "negative", negative.toString());
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void acceptsZeroWaitTimeAsOneAttempt() {
    template.executeWithLocks(List.of("lock:a"), Duration.ZERO, LEASE, CALLBACK);

    assertThat(provider.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.waitTime()).isZero());
  }

  @Test
  void rejectsWaitTimeBeyondNanosecondRange() {
    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), BEYOND_NANOS, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "292 years", BEYOND_NANOS.toString());
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullLeaseTime() {
    Throwable thrown =
        catchThrowable(() -> template.executeWithLocks(List.of("lock:a"), WAIT, null, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("leaseTime must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsZeroLeaseTime() {
    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, Duration.ZERO, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "at least PT0.01S", "was PT0S");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNegativeLeaseTime() {
    Duration negative = Duration.ofSeconds(-5);

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, negative, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "was " + negative);
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsLeaseTimeBelowTheMinimum() {
    Duration tooShort = LockTemplate.MIN_LEASE_TIME.minusNanos(1);

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, tooShort, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "at least PT0.01S", "was " + tooShort);
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void acceptsLeaseTimeOfExactlyTheMinimum() {
    template.executeWithLocks(List.of("lock:a"), WAIT, LockTemplate.MIN_LEASE_TIME, CALLBACK);

    assertThat(provider.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.leaseTime()).isEqualTo(Duration.ofMillis(10)));
  }

  @Test
  void rejectsLeaseTimeBeyondNanosecondRange() {
    Duration threeHundredYears = Duration.ofDays(300L * 365);

    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLocks(List.of("lock:a"), WAIT, threeHundredYears, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "292 years", threeHundredYears.toString());
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullCallback() {
    LockCallback<String, RuntimeException> missing = null;

    Throwable thrown =
        catchThrowable(() -> template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, missing));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("callback must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullCallbackOnPolicyOverload() {
    LockCallback<String, RuntimeException> missing = null;

    Throwable thrown = catchThrowable(() -> template.executeWithLocks(List.of("lock:a"), missing));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("callback must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullActionOnRunWithLocks() {
    LockAction<RuntimeException> missing = null;

    Throwable thrown =
        catchThrowable(() -> template.runWithLocks(List.of("lock:a"), WAIT, LEASE, missing));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("action must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullActionOnRunWithLocksPolicyOverload() {
    LockAction<RuntimeException> missing = null;

    Throwable thrown = catchThrowable(() -> template.runWithLocks(List.of("lock:a"), missing));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("action must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullSingleKeyNamingParameterKey() {
    Throwable thrown = catchThrowable(() -> template.executeWithLock(null, WAIT, LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsBlankSingleKeyNamingParameterKey() {
    Throwable thrown = catchThrowable(() -> template.executeWithLock("  ", CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must not be blank, was \"  \"");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsOverlongSingleKeyOnRunWithLock() {
    String tooLong = "k".repeat(LockTemplate.MAX_KEY_LENGTH + 1);

    Throwable thrown = catchThrowable(() -> template.runWithLock(tooLong, WAIT, LEASE, ACTION));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key must be at most " + LockTemplate.MAX_KEY_LENGTH)
        .hasMessageContaining("was " + (LockTemplate.MAX_KEY_LENGTH + 1));
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullSingleKeyOnRunWithLockPolicyOverload() {
    Throwable thrown = catchThrowable(() -> template.runWithLock(null, ACTION));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNegativeWaitTimeOnSingleKeyCall() {
    Throwable thrown =
        catchThrowable(
            () -> template.executeWithLock("lock:a", Duration.ofSeconds(-1), LEASE, CALLBACK));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "PT-1S");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void rejectsNullSingleKeyCallback() {
    LockCallback<String, RuntimeException> missing = null;

    Throwable thrown = catchThrowable(() -> template.executeWithLock("lock:a", missing));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("callback must not be null");
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void builderRejectsNullProvider() {
    Throwable thrown = catchThrowable(() -> LockTemplate.builder(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("provider must not be null");
  }

  @Test
  void ofRejectsNullProvider() {
    Throwable thrown = catchThrowable(() -> LockTemplate.of(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("provider must not be null");
  }

  @Test
  void builderRejectsNullListener() {
    LockTemplate.Builder builder = LockTemplate.builder(provider);

    Throwable thrown = catchThrowable(() -> builder.listener(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("listener must not be null");
  }

  @Test
  void builderRejectsNullTicker() {
    LockTemplate.Builder builder = LockTemplate.builder(provider);

    Throwable thrown = catchThrowable(() -> builder.ticker(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
  }

  @Test
  void builderRejectsNullPolicies() {
    LockTemplate.Builder builder = LockTemplate.builder(provider);

    Throwable thrown = catchThrowable(() -> builder.policies(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("policies must not be null");
  }

  @Test
  void compositeRejectsNullListenerNamingItsIndex() {
    LockListener listener = new LockListener() {};

    Throwable thrown = catchThrowable(() -> LockListener.composite(listener, null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("listeners[1] must not be null");
  }

  @Test
  void compositeRejectsNullArray() {
    LockListener[] none = null;

    Throwable thrown = catchThrowable(() -> LockListener.composite(none));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("listeners must not be null");
  }

  private static List<String> distinctKeys(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "lock:item:" + i)
        .collect(Collectors.toCollection(ArrayList::new));
  }
}
