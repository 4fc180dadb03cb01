package dev.holdfast.lock.redisson.faults;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The seeded order of faults: rounds in which every kind of the run comes once, each round
 * shuffled, so after n rounds every kind has come n times. While the deployment still heals from
 * the last fault on a Redis node (a failover's old master rejoins ~11 s later), those faults are
 * put back and the round's client faults come first, so the nemesis does not sit idle. The same
 * seed gives the same rounds, and the same stream of choices (targets, durations) to the nemesis.
 */
final class FaultSchedule {

  private final Random random;
  private final List<FaultKind> kinds;
  private final Deque<FaultKind> round = new ArrayDeque<>();

  /**
   * @param kinds the kinds of the run, each once per round
   */
  FaultSchedule(long seed, Set<FaultKind> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("kinds must not be empty");
    }
    this.random = new Random(seed);
    this.kinds = List.copyOf(EnumSet.copyOf(kinds));
  }

  /**
   * The next fault of the round.
   *
   * @param deploymentWhole whether a fault on a Redis node could start now; if not, the round's
   *     next client fault, or a node fault when only those are left
   */
  FaultKind next(boolean deploymentWhole) {
    if (round.isEmpty()) {
      List<FaultKind> shuffled = new ArrayList<>(kinds);
      Collections.shuffle(shuffled, random);
      round.addAll(shuffled);
    }
    if (!deploymentWhole) {
      for (FaultKind kind : round) {
        if (!kind.needsWholeDeployment()) {
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
