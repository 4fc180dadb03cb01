package dev.holdfast.lock.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.Ticker;
import dev.holdfast.lock.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class DeadlineTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void remainingTimeShrinksAsTheTickerAdvances() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), ticker);

    ticker.advance(Duration.ofMillis(300));

    assertThat(deadline.remainingNanos()).isEqualTo(Duration.ofMillis(700).toNanos());
    assertThat(deadline.hasExpired()).isFalse();
  }

  @Test
  void remainingTimeIsNeverNegative() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), ticker);

    ticker.advance(Duration.ofSeconds(5));

    assertThat(deadline.remainingNanos()).isZero();
    assertThat(deadline.hasExpired()).isTrue();
  }

  @Test
  void hasNotExpiredOneNanosecondBeforeTheWaitEnds() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), ticker);

    ticker.advance(Duration.ofSeconds(1).minusNanos(1));

    assertThat(deadline.hasExpired()).isFalse();
    assertThat(deadline.remainingNanos()).isEqualTo(1);
  }

  @Test
  void expiresWhenTheWholeWaitHasPassed() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), ticker);

    ticker.advance(Duration.ofSeconds(1));

    assertThat(deadline.hasExpired()).isTrue();
  }

  @Test
  void zeroWaitHasExpiredAtOnce() {
    Deadline deadline = Deadline.after(Duration.ZERO, ticker);

    boolean expired = deadline.hasExpired();

    assertThat(expired).isTrue();
    assertThat(deadline.remainingNanos()).isZero();
  }

  @Test
  void aZeroWaitNeverReadsTheClockAndReportsNoTimeElapsed() {
    Ticker unreadable =
        () -> {
          throw new AssertionError("the clock was read");
        };

    Deadline deadline = Deadline.after(Duration.ZERO, unreadable);

    assertThat(deadline.remainingNanos()).isZero();
    assertThat(deadline.hasExpired()).isTrue();
    assertThat(deadline.elapsed()).isZero();
  }

  @Test
  void elapsedMeasuresFromTheStartEvenPastTheWait() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), ticker);

    ticker.advance(Duration.ofMillis(2_500));

    assertThat(deadline.elapsed()).isEqualTo(Duration.ofMillis(2_500));
  }

  @Test
  void waitTimeIsTheWholeWaitWhateverHasElapsed() {
    Deadline deadline = Deadline.after(Duration.ofMillis(750), ticker);

    ticker.advance(Duration.ofMillis(500));

    assertThat(deadline.waitTime()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void rejectsANegativeWaitNamingIt() {
    Throwable thrown = catchThrowable(() -> Deadline.after(Duration.ofMillis(-1), ticker));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "PT-0.001S");
  }

  @Test
  void rejectsANullWaitNamingIt() {
    Throwable thrown = catchThrowable(() -> Deadline.after(null, ticker));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessageContaining("waitTime");
  }

  @Test
  void rejectsAWaitBeyondTheNanosecondRangeNamingIt() {
    Throwable thrown = catchThrowable(() -> Deadline.after(Duration.ofDays(365L * 300), ticker));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "PT2628000H");
  }

  @Test
  void aDeadlineStartingAtFirstUseReadsNoClockUntilAsked() {
    Ticker unreadable =
        () -> {
          throw new AssertionError("the clock was read");
        };

    Deadline deadline = Deadline.startingAtFirstUse(Duration.ofSeconds(1), unreadable);

    assertThat(deadline.waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aDeadlineStartingAtFirstUseRunsItsWholeWaitFromTheFirstQuestion() {
    Deadline deadline = Deadline.startingAtFirstUse(Duration.ofSeconds(1), ticker);
    ticker.advance(Duration.ofSeconds(5));

    long atFirstQuestion = deadline.remainingNanos();
    ticker.advance(Duration.ofMillis(300));

    assertThat(atFirstQuestion).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(deadline.remainingNanos()).isEqualTo(Duration.ofMillis(700).toNanos());
    assertThat(deadline.elapsed()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aDeadlineStartingAtFirstUseExpiresAfterItsWholeWait() {
    Deadline deadline = Deadline.startingAtFirstUse(Duration.ofSeconds(1), ticker);
    assertThat(deadline.hasExpired()).isFalse();

    ticker.advance(Duration.ofSeconds(1));

    assertThat(deadline.hasExpired()).isTrue();
  }

  @Test
  void aDeadlineStartingAtFirstUseRejectsANegativeWaitNamingIt() {
    Throwable thrown =
        catchThrowable(() -> Deadline.startingAtFirstUse(Duration.ofMillis(-1), ticker));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("waitTime", "PT-0.001S");
  }
}
