package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.testing.FakeLockProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class HeldLocksTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final FakeLockProvider provider = FakeLockProvider.create();
  private final LockTemplate template = LockTemplate.of(provider);

  @Test
  void keysAreInAcquisitionOrder() {
    FakeLockProvider reversed = FakeLockProvider.withKeyOrder(Comparator.reverseOrder());

    List<String> keys =
        LockTemplate.of(reversed)
            .executeWithLocks(List.of("lock:a", "lock:c", "lock:b"), WAIT, LEASE, HeldLocks::keys);

    assertThat(keys).containsExactly("lock:c", "lock:b", "lock:a");
    assertThat(reversed.requestedKeys()).containsExactly(keys);
  }

  @Test
  void keysCannotBeModifiedByTheCallback() {
    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:a"), WAIT, LEASE, held -> held.keys().add("lock:z")));

    assertThat(thrown).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fencingTokenOfEachKeyComesFromTheBackend() {
    List<OptionalLong> tokens =
        template.executeWithLocks(
            List.of("lock:a", "lock:b"),
            WAIT,
            LEASE,
            held -> List.of(held.fencingToken("lock:a"), held.fencingToken("lock:b")));

    assertThat(tokens)
        .containsExactly(
            provider.lastHandle().fencingToken("lock:a"),
            provider.lastHandle().fencingToken("lock:b"))
        .allSatisfy(token -> assertThat(token).isPresent());
  }

  @Test
  void fencingTokenIsEmptyWhenTheBackendIssuesNone() {
    FakeLockProvider tokenless = FakeLockProvider.withoutFencingTokens();

    OptionalLong token =
        LockTemplate.of(tokenless)
            .executeWithLock("lock:a", WAIT, LEASE, held -> held.fencingToken("lock:a"));

    assertThat(token).isEmpty();
  }

  @Test
  void fencingTokenOfAKeyNotInTheCallIsRejectedNamingKeyAndKeys() {
    Throwable thrown =
        template.executeWithLocks(
            List.of("lock:a", "lock:b"),
            WAIT,
            LEASE,
            held -> catchThrowable(() -> held.fencingToken("lock:c")));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("[lock:a, lock:b]", "\"lock:c\"");
  }

  @Test
  void isHeldWhileTheBackendReportsNoLostKey() {
    boolean held = template.executeWithLocks(List.of("lock:a"), WAIT, LEASE, HeldLocks::isHeld);

    assertThat(held).isTrue();
  }

  @Test
  void checkHeldPassesWhileTheBackendReportsNoLostKey() {
    template.runWithLocks(
        List.of("lock:a", "lock:b"),
        WAIT,
        LEASE,
        held -> assertThatCode(held::checkHeld).doesNotThrowAnyException());

    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  @Test
  void isHeldTurnsFalseOnceTheBackendReportsALostKey() {
    List<Boolean> answers = new ArrayList<>();

    catchThrowable(
        () ->
            template.runWithLocks(
                List.of("lock:a", "lock:b"),
                WAIT,
                LEASE,
                held -> {
                  answers.add(held.isHeld());
                  provider.lastHandle().lose("lock:b");
                  answers.add(held.isHeld());
                }));

    assertThat(answers).containsExactly(true, false);
  }

  @Test
  void checkHeldThrowsLockLostNamingTheLostKeys() {
    AtomicReference<Throwable> checked = new AtomicReference<>();

    catchThrowable(
        () ->
            template.runWithLocks(
                List.of("lock:a", "lock:b", "lock:c"),
                WAIT,
                LEASE,
                held -> {
                  provider.lastHandle().lose("lock:a", "lock:c");
                  checked.set(catchThrowable(held::checkHeld));
                }));

    assertThat(checked.get())
        .isInstanceOfSatisfying(
            LockLostException.class,
            lost -> {
              assertThat(lost.lostKeys()).containsExactly("lock:a", "lock:c");
              assertThat(lost.keys()).containsExactly("lock:a", "lock:b", "lock:c");
            });
  }
}
