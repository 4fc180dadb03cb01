package dev.holdfast.lock.redisson.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class FaultScheduleTest {

  private static final Set<FaultKind> KIND_SET =
      EnumSet.of(
          FaultKind.MASTER_KILL,
          FaultKind.REPLICA_KILL,
          FaultKind.CLIENT_KILL,
          FaultKind.TCP_FREEZE,
          FaultKind.LEASE_EXPIRE);
  private static final int KINDS = KIND_SET.size();

  @Test
  void everyKindComesOnceInEachRound() {
    FaultSchedule schedule = new FaultSchedule(42, KIND_SET);

    for (int round = 0; round < 5; round++) {
      Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
      for (int i = 0; i < KINDS; i++) {
        counts.merge(schedule.next(i % 3 == 0), 1, Integer::sum);
      }
      assertThat(counts.keySet()).isEqualTo(KIND_SET);
      assertThat(counts.values()).allMatch(count -> count == 1);
    }
  }

  @Test
  void putsNodeFaultsBackWhileTheDeploymentHeals() {
    FaultSchedule schedule = new FaultSchedule(42, KIND_SET);

    List<FaultKind> round = IntStream.range(0, KINDS).mapToObj(i -> schedule.next(false)).toList();

    int clientFaults = (int) round.stream().filter(kind -> !kind.needsWholeDeployment()).count();
    assertThat(clientFaults).isEqualTo(3);
    assertThat(round.subList(0, clientFaults)).noneMatch(FaultKind::needsWholeDeployment);
    assertThat(round.subList(clientFaults, KINDS)).allMatch(FaultKind::needsWholeDeployment);
  }

  @Test
  void refusesARunWithoutKinds() {
    assertThatThrownBy(() -> new FaultSchedule(1, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kinds must not be empty");
  }

  @Test
  void theSameSeedGivesTheSameFaultsAndChoices() {
    assertThat(draw(new FaultSchedule(7, KIND_SET)))
        .isEqualTo(draw(new FaultSchedule(7, KIND_SET)));
  }

  @Test
  void anotherSeedGivesAnotherOrder() {
    assertThat(draw(new FaultSchedule(7, KIND_SET)))
        .isNotEqualTo(draw(new FaultSchedule(8, KIND_SET)));
  }

  private static List<Object> draw(FaultSchedule schedule) {
    return IntStream.range(0, 3 * KINDS)
        .mapToObj(i -> i % 2 == 0 ? schedule.next(true) : (Object) schedule.choose(1_000))
        .toList();
  }
}
