package dev.holdfast.lock.redisson.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class FaultScheduleTest {

  private static final int KINDS = FaultKind.values().length;

  @Test
  void everyKindComesOnceInEachRound() {
    FaultSchedule schedule = new FaultSchedule(42);

    for (int round = 0; round < 5; round++) {
      Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
      for (int i = 0; i < KINDS; i++) {
        counts.merge(schedule.next(i % 3 == 0), 1, Integer::sum);
      }
      assertThat(counts).hasSize(KINDS).allSatisfy((kind, count) -> assertThat(count).isOne());
    }
  }

  @Test
  void putsMasterFaultsBackWhileTheMasterIsNotReady() {
    FaultSchedule schedule = new FaultSchedule(42);

    List<FaultKind> round = IntStream.range(0, KINDS).mapToObj(i -> schedule.next(false)).toList();

    int clientFaults = (int) round.stream().filter(kind -> !kind.hitsMaster()).count();
    assertThat(round.subList(0, clientFaults)).noneMatch(FaultKind::hitsMaster);
    assertThat(round.subList(clientFaults, KINDS)).allMatch(FaultKind::hitsMaster);
  }

  @Test
  void theSameSeedGivesTheSameFaultsAndChoices() {
    assertThat(draw(new FaultSchedule(7))).isEqualTo(draw(new FaultSchedule(7)));
  }

  @Test
  void anotherSeedGivesAnotherOrder() {
    assertThat(draw(new FaultSchedule(7))).isNotEqualTo(draw(new FaultSchedule(8)));
  }

  private static List<Object> draw(FaultSchedule schedule) {
    return IntStream.range(0, 3 * KINDS)
        .mapToObj(i -> i % 2 == 0 ? schedule.next(true) : (Object) schedule.choose(1_000))
        .toList();
  }
}
