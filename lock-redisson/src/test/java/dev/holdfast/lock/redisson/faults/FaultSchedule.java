package dev.holdfast.lock.redisson.faults;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * The seeded order of faults: rounds in which every kind comes once, each round shuffled, so after
 * n rounds every kind has come n times. While the deployment still heals from the last master fault
 * (a failover's old master rejoins ~11 s later), faults on the master are put back and the round's
 * client faults come first, so the nemesis does not sit idle. The same seed gives the same rounds,
 * and the same stream of choices (targets, durations) to the nemesis.
 */
final class FaultSchedule {

  private final Random random;
  private final Deque<FaultKind> round = new ArrayDeque<>();

  FaultSchedule(long seed) {
    this.random = new Random(seed);
  }

  /**
   * The next fault of the round.
   *
   * @param masterReady whether a fault on the master could start now; if not, the round's next
   *     fault that does not hit the master, or a master fault when only those are left
   */
  FaultKind next(boolean masterReady) {
    if (round.isEmpty()) {
      List<FaultKind> kinds = new ArrayList<>(Arrays.asList(FaultKind.values()));
      Collections.shuffle(kinds, random);
      round.addAll(kinds);
    }
    if (!masterReady) {
      for (FaultKind kind : round) {
        if (!kind.hitsMaster()) {
          round.remove(kind);
          return kind;
        }
      }
    }
    return round.removeFirst();
  }

  /** A number in [0, bound), from the schedule's seeded stream. */
  int choose(int bound) {
    return random.nextInt(bound);
  }
}
