package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.holdfast.lock.testing.FakeLockProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

final class LockTemplateReentryTest {

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final FakeLockProvider provider = FakeLockProvider.create();
  private final LockTemplate template = LockTemplate.of(provider);

  @Test
  void callsNestedTenDeepEachTakeTheirOwnLaterKeyAndReleaseItOnTheWayOut() {
    List<String> heldInside = nestTakingLaterKeys(0, 10);

    assertThat(heldInside).hasSize(10).startsWith("lock:00").endsWith("lock:09");
    assertThat(provider.requestedKeys()).hasSize(10);
    assertThat(provider.handles()).allSatisfy(h -> assertThat(h.releaseCount()).isEqualTo(1));
  }

  /** Takes lock:{depth}, then, inside, the next deeper one; returns the keys seen innermost. */
  private List<String> nestTakingLaterKeys(int depth, int deepest) {
    String key = String.format("lock:%02d", depth);
    return template.executeWithLocks(
        List.of("lock:00", key),
        WAIT,
        LEASE,
        held -> {
          if (depth + 1 == deepest) {
            List<String> all = new ArrayList<>();
            for (int i = 0; i < deepest; i++) {
              all.add(String.format("lock:%02d", i));
            }
            return template.executeWithLocks(all, WAIT, LEASE, HeldLocks::keys);
          }
          return nestTakingLaterKeys(depth + 1, deepest);
        });
  }

  @Test
  void nestedCallOnKeysAlreadyHeldRunsWithoutAskingTheProviderAgain() {
    List<String> nestedKeys =
        template.executeWithLocks(
            List.of("lock:a", "lock:b"),
            WAIT,
            LEASE,
            outer ->
                template.executeWithLocks(
                    List.of("lock:b", "lock:a"), WAIT, LEASE, HeldLocks::keys));

    assertThat(nestedKeys).containsExactly("lock:a", "lock:b");
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:a", "lock:b"));
    assertThat(provider.lastHandle().releaseCount()).isEqualTo(1);
  }

  @Test
  void nestedCallOnHeldKeysKeepsTheOuterFencingTokens() {
    AtomicReference<OptionalLong> outerToken = new AtomicReference<>();

    OptionalLong nestedToken =
        template.executeWithLocks(
            List.of("lock:a"),
            WAIT,
            LEASE,
            outer -> {
              outerToken.set(outer.fencingToken("lock:a"));
              return template.executeWithLock(
                  "lock:a", WAIT, LEASE, nested -> nested.fencingToken("lock:a"));
            });

    assertThat(nestedToken).isEqualTo(outerToken.get()).isPresent();
  }

  @Test
  void nestedCallWithAnExtraLaterKeyTakesAndReleasesOnlyThatKey() {
    List<String> events = new ArrayList<>();

    template.executeWithLocks(
        List.of("lock:a", "lock:b"),
        WAIT,
        LEASE,
        outer -> {
          template.executeWithLocks(
              List.of("lock:c", "lock:a"),
              WAIT,
              LEASE,
              nested -> {
                events.add("nested holds " + nested.keys());
                return null;
              });
          events.add(
              "outer released "
                  + provider.handle(0).releaseCount()
                  + ", nested released "
                  + provider.handle(1).releaseCount());
          return null;
        });

    assertThat(provider.requestedKeys())
        .containsExactly(List.of("lock:a", "lock:b"), List.of("lock:c"));
    assertThat(events)
        .containsExactly("nested holds [lock:a, lock:c]", "outer released 0, nested released 1");
    assertThat(provider.handle(0).releaseCount()).isEqualTo(1);
    assertThat(provider.handle(1).releaseCount()).isEqualTo(1);
  }

  @Test
  void nestedHeldLocksGivesEachKeyTheTokenOfTheCallThatTookIt() {
    List<OptionalLong> tokens =
        template.executeWithLocks(
            List.of("lock:a"),
            WAIT,
            LEASE,
            outer ->
                template.executeWithLocks(
                    List.of("lock:a", "lock:b"),
                    WAIT,
                    LEASE,
                    nested ->
                        List.of(nested.fencingToken("lock:a"), nested.fencingToken("lock:b"))));

    assertThat(tokens)
        .containsExactly(
            provider.handle(0).fencingToken("lock:a"), provider.handle(1).fencingToken("lock:b"));
  }

  @Test
  void nestedHeldLocksSeesTheLossOfAKeyTakenByTheOuterCall() {
    AtomicReference<Throwable> checked = new AtomicReference<>();

    catchThrowable(
        () ->
            template.executeWithLocks(
                List.of("lock:a"),
                WAIT,
                LEASE,
                outer ->
                    template.executeWithLocks(
                        List.of("lock:a", "lock:b"),
                        WAIT,
                        LEASE,
                        nested -> {
                          provider.handle(0).lose("lock:a");
                          checked.set(catchThrowable(nested::checkHeld));
                          return null;
                        })));

    assertThat(checked.get())
        .isInstanceOfSatisfying(
            LockLostException.class,
            lost -> {
              assertThat(lost.lostKeys()).containsExactly("lock:a");
              assertThat(lost.keys()).containsExactly("lock:a", "lock:b");
            });
  }

  @Test
  void nestedCallOnAKeySortingBeforeAHeldKeyFailsAtOnceNamingTheKeys() {
    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:b", "lock:c"),
                    WAIT,
                    LEASE,
                    outer ->
                        template.executeWithLocks(
                            List.of("lock:a", "lock:c"), WAIT, LEASE, nested -> "ran")));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockOrderViolationException.class,
            violation -> {
              assertThat(violation.heldKeys()).containsExactly("lock:b", "lock:c");
              assertThat(violation.requestedKey()).isEqualTo("lock:a");
              assertThat(violation).hasMessageContainingAll("lock:a", "[lock:b, lock:c]");
            });
    assertThat(thrown).isInstanceOf(IllegalStateException.class);
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:b", "lock:c"));
    assertThat(provider.handle(0).releaseCount()).isEqualTo(1);
  }

  @Test
  void orderViolationNamesKeysHeldByEveryEnclosingCall() {
    Throwable thrown =
        catchThrowable(
            () ->
                template.executeWithLocks(
                    List.of("lock:b"),
                    WAIT,
                    LEASE,
                    outer ->
                        template.executeWithLocks(
                            List.of("lock:d"),
                            WAIT,
                            LEASE,
                            middle ->
                                template.executeWithLock("lock:c", WAIT, LEASE, inner -> "ran"))));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            LockOrderViolationException.class,
            violation -> {
              assertThat(violation.heldKeys()).containsExactly("lock:b", "lock:d");
              assertThat(violation.requestedKey()).isEqualTo("lock:c");
            });
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:b"), List.of("lock:d"));
  }

  @Test
  void nestedCallThroughASecondTemplateOverTheSameProviderIsReentrant() {
    LockTemplate second = LockTemplate.of(provider);

    String result =
        template.executeWithLocks(
            List.of("lock:a", "lock:b"),
            WAIT,
            LEASE,
            outer -> second.executeWithLock("lock:b", WAIT, LEASE, nested -> "nested ran"));

    assertThat(result).isEqualTo("nested ran");
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:a", "lock:b"));
  }

  @Test
  void callOnADifferentProviderInsideACallbackIsNotNested() {
    FakeLockProvider other = FakeLockProvider.create();
    LockTemplate otherTemplate = LockTemplate.of(other);

    template.executeWithLocks(
        List.of("lock:b"),
        WAIT,
        LEASE,
        outer ->
            otherTemplate.executeWithLocks(
                List.of("lock:a", "lock:b"), WAIT, LEASE, inner -> "ran"));

    assertThat(other.requestedKeys()).containsExactly(List.of("lock:a", "lock:b"));
    assertThat(other.lastHandle().releaseCount()).isEqualTo(1);
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:b"));
  }

  @Test
  void theThreadHoldsNothingAfterTheOuterCallReturns() {
    template.executeWithLocks(
        List.of("lock:b"),
        WAIT,
        LEASE,
        outer -> template.executeWithLock("lock:c", WAIT, LEASE, nested -> "ran"));

    template.executeWithLocks(List.of("lock:a", "lock:b", "lock:c"), WAIT, LEASE, held -> "again");

    assertThat(provider.requestedKeys())
        .containsExactly(
            List.of("lock:b"), List.of("lock:c"), List.of("lock:a", "lock:b", "lock:c"));
  }

  @Test
  void theThreadHoldsNothingAfterTheOuterCallThrows() {
    catchThrowable(
        () ->
            template.executeWithLocks(
                List.of("lock:b"),
                WAIT,
                LEASE,
                outer -> {
                  throw new IOException("failed");
                }));

    template.executeWithLock("lock:a", WAIT, LEASE, held -> "again");

    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:b"), List.of("lock:a"));
  }

  @Test
  void workHandedToAnotherThreadIsNotNested() throws InterruptedException {
    AtomicReference<Throwable> otherThreadFailure = new AtomicReference<>();

    template.executeWithLocks(
        List.of("lock:b"),
        WAIT,
        LEASE,
        outer -> {
          Thread worker =
              new Thread(
                  () ->
                      otherThreadFailure.set(
                          catchThrowable(
                              () ->
                                  template.executeWithLock("lock:a", WAIT, LEASE, held -> "ran"))));
          worker.start();
          worker.join();
          return null;
        });

    assertThat(otherThreadFailure.get()).isNull();
    assertThat(provider.requestedKeys()).containsExactly(List.of("lock:b"), List.of("lock:a"));
  }
}
