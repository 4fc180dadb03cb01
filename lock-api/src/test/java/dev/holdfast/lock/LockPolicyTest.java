package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class LockPolicyTest {

  @Test
  void defaultPolicyHasTheNamedDefaults() {
    LockPolicy defaults = LockPolicy.ofDefaults();

    assertThat(defaults.name()).isEqualTo(LockPolicy.DEFAULT_NAME).isEqualTo("default");
    assertThat(defaults.waitTime()).isEqualTo(LockPolicy.DEFAULT_WAIT_TIME);
    assertThat(defaults.leaseTime()).isEqualTo(LockPolicy.DEFAULT_LEASE_TIME);
    assertThat(defaults.leaseMode()).isEqualTo(LockPolicy.DEFAULT_LEASE_MODE);
  }

  @Test
  void customPolicyStartsFromTheDefaultsAndKeepsWhatWasSet() {
    LockPolicy policy =
        LockPolicy.custom("hot-product.v2")
            .waitTime(Duration.ofMillis(200))
            .leaseMode(LeaseMode.RENEWING)
            .build();

    assertThat(policy.name()).isEqualTo("hot-product.v2");
    assertThat(policy.waitTime()).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.leaseTime()).isEqualTo(LockPolicy.DEFAULT_LEASE_TIME);
    assertThat(policy.leaseMode()).isEqualTo(LeaseMode.RENEWING);
  }

  @Test
  void acceptsZeroWaitTime() {
    LockPolicy policy = LockPolicy.custom("try-once").waitTime(Duration.ZERO).build();

    assertThat(policy.waitTime()).isZero();
  }

  @Test
  void acceptsNameOfSixtyFourCharacters() {
    String longest = "n".repeat(64);

    LockPolicy policy = LockPolicy.custom(longest).build();

    assertThat(policy.name()).isEqualTo(longest);
  }

  @Test
  void customRejectsNullName() {
    Throwable thrown = catchThrowable(() -> LockPolicy.custom(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void customRejectsEmptyName() {
    Throwable thrown = catchThrowable(() -> LockPolicy.custom(""));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("name", "was \"\"");
  }

  @Test
  void customRejectsNameWithSpace() {
    Throwable thrown = catchThrowable(() -> LockPolicy.custom("hot product"));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("name", "[A-Za-z0-9_.-]", "was \"hot product\"");
  }

  @Test
  void customRejectsPlusWhichJoinsMergedPolicyNames() {
    Throwable thrown = catchThrowable(() -> LockPolicy.custom("a+b"));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("name", "was \"a+b\"");
  }

  @Test
  void customRejectsNameLongerThanSixtyFourCharacters() {
    String tooLong = "n".repeat(65);

    Throwable thrown = catchThrowable(() -> LockPolicy.custom(tooLong));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("name", "1 to 64", tooLong);
  }

  @Test
  void builderRejectsNullWaitTime() {
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.waitTime(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("waitTime must not be null");
  }

  @Test
  void builderRejectsNegativeWaitTime() {
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.waitTime(Duration.ofNanos(-1)));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "negative", Duration.ofNanos(-1).toString());
  }

  @Test
  void builderRejectsWaitTimeBeyondNanosecondRange() {
    Duration tooLong = Duration.ofDays(300L * 365);
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.waitTime(tooLong));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "292 years", tooLong.toString());
  }

  @Test
  void builderRejectsNullLeaseTime() {
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.leaseTime(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("leaseTime must not be null");
  }

  @Test
  void builderRejectsZeroLeaseTime() {
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.leaseTime(Duration.ZERO));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "was PT0S");
  }

  @Test
  void builderRejectsLeaseTimeBelowTheMinimum() {
    Duration tooShort = Duration.ofMillis(2);
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.leaseTime(tooShort));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "was " + tooShort);
  }

  @Test
  void builderRejectsLeaseTimeBeyondNanosecondRange() {
    Duration tooLong = Duration.ofNanos(Long.MAX_VALUE).plusNanos(1);
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.leaseTime(tooLong));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("leaseTime", "292 years", tooLong.toString());
  }

  @Test
  void builderRejectsNullLeaseMode() {
    LockPolicy.Builder builder = LockPolicy.custom("p");

    Throwable thrown = catchThrowable(() -> builder.leaseMode(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("leaseMode must not be null");
  }
}
