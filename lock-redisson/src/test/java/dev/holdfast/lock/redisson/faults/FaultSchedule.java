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
 * n rounds every kind has come n times. The same seed gives the same order, and the same stream of
 * choices (targets, durations) to the nemesis.
 */
final class FaultSchedule {

  private final Random random;
  private final Deque<FaultKind> round = new ArrayDeque<>();

  FaultSchedule(long seed) {
    this.random = new Random(seed);
  }

  FaultKind next() {
    if (round.isEmpty()) {
      List<FaultKind> kinds = new ArrayList<>(Arrays.asList(FaultKind.values()));
      Collections.shuffle(kinds, random);
      round.addAll(kinds);
    }
    return round.removeFirst();
  }

  /** A number in [0, bound), from the schedule's seeded stream. */
  int choose(int bound) {
    return random.nextInt(bound);
  }
}
