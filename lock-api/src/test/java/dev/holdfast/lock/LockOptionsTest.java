package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class LockOptionsTest {

  @Test
  void fromPolicyOverridesNothing() {
    LockOptions options = LockOptions.fromPolicy();

    assertThat(options.waitTime()).isEmpty();
    assertThat(options.leaseTime()).isEmpty();
    assertThat(options.leaseMode()).isEmpty();
  }

  @Test
  void keepsEachValueSetAndLeavesTheOthersUnset() {
    LockOptions options = LockOptions.builder().leaseTime(Duration.ofSeconds(3)).build();

    assertThat(options.waitTime()).isEmpty();
    assertThat(options.leaseTime()).contains(Duration.ofSeconds(3));
    assertThat(options.leaseMode()).isEmpty();
  }

  @Test
  void aBuilderThatSetsNothingBuildsFromPolicy() {
    LockOptions options = LockOptions.builder().build();

    assertThat(options).isSameAs(LockOptions.fromPolicy());
  }

  @Test
  void equalWhenTheirValuesAre() {
    LockOptions options =
        LockOptions.builder().waitTime(Duration.ZERO).leaseMode(LeaseMode.RENEWING).build();
    LockOptions same =
        LockOptions.builder().leaseMode(LeaseMode.RENEWING).waitTime(Duration.ZERO).build();

    assertThat(options)
        .isEqualTo(same)
        .hasSameHashCodeAs(same)
        .isNotEqualTo(LockOptions.fromPolicy());
    assertThat(options)
        .hasToString("LockOptions{waitTime=PT0S, leaseTime=policy, leaseMode=RENEWING}");
  }

  @Test
  void rejectsANegativeWaitTimeNamingItAndTheValue() {
    Throwable thrown = catchThrowable(() -> LockOptions.builder().waitTime(Duration.ofMillis(-1)));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("waitTime must not be negative, was PT-0.001S");
  }

  @Test
  void rejectsALeaseShorterThanTheShortestLeaseNamingItAndTheValue() {
    Throwable thrown =
        catchThrowable(() -> LockOptions.builder().leaseTime(Duration.ofNanos(9_999_999)));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTime must be at least PT0.01S, was PT0.009999999S");
  }

  @Test
  void rejectsNullValuesNamingThem() {
    LockOptions.Builder builder = LockOptions.builder();

    assertThat(catchThrowable(() -> builder.waitTime(null)))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("waitTime must not be null");
    assertThat(catchThrowable(() -> builder.leaseTime(null)))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("leaseTime must not be null");
    assertThat(catchThrowable(() -> builder.leaseMode(null)))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("leaseMode must not be null");
  }
}
