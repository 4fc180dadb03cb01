package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LockRequestTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  @Test
  void keepsItsValuesAndCopiesTheKeys() {
    List<String> keys = new ArrayList<>(List.of("lock:a", "lock:b"));

    LockRequest request = LockRequest.of(keys, WAIT, LEASE, LeaseMode.RENEWING, "product");
    keys.add("lock:c");

    assertThat(request.keys()).containsExactly("lock:a", "lock:b");
    assertThat(request.waitTime()).isEqualTo(WAIT);
    assertThat(request.leaseTime()).isEqualTo(LEASE);
    assertThat(request.leaseMode()).isEqualTo(LeaseMode.RENEWING);
    assertThat(request.policyName()).isEqualTo("product");
  }

  @Test
  void rejectsRepeatedKeyNamingIndexAndValue() {
    List<String> keys = List.of("lock:a", "lock:b", "lock:a");

    Throwable thrown =
        catchThrowable(() -> LockRequest.of(keys, WAIT, LEASE, LeaseMode.FIXED, "default"));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys[2]", "distinct", "\"lock:a\"");
  }

  @Test
  void rejectsNullKeys() {
    Throwable thrown =
        catchThrowable(() -> LockRequest.of(null, WAIT, LEASE, LeaseMode.FIXED, "default"));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("keys must not be null");
  }

  @Test
  void rejectsEmptyKeys() {
    Throwable thrown =
        catchThrowable(() -> LockRequest.of(List.of(), WAIT, LEASE, LeaseMode.FIXED, "default"));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys", "was 0");
  }

  @Test
  void rejectsNullKeyNamingItsIndex() {
    List<String> keys = Arrays.asList("lock:a", null);

    Throwable thrown =
        catchThrowable(() -> LockRequest.of(keys, WAIT, LEASE, LeaseMode.FIXED, "default"));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("keys[1] must not be null");
  }

  @Test
  void rejectsLeaseBelowTheMinimum() {
    Duration tooShort = LockTemplate.MIN_LEASE_TIME.minusNanos(1);

    Throwable thrown =
        catchThrowable(
            () -> LockRequest.of(List.of("lock:a"), WAIT, tooShort, LeaseMode.FIXED, "default"));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "was " + tooShort);
  }

  @Test
  void rejectsNullLeaseMode() {
    Throwable thrown =
        catchThrowable(() -> LockRequest.of(List.of("lock:a"), WAIT, LEASE, null, "default"));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("leaseMode must not be null");
  }

  @Test
  void rejectsNullPolicyName() {
    Throwable thrown =
        catchThrowable(() -> LockRequest.of(List.of("lock:a"), WAIT, LEASE, LeaseMode.FIXED, null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("policyName must not be null");
  }
}
