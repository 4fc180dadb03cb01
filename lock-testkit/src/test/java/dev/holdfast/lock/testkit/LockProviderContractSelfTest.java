package dev.holdfast.lock.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The kit tests itself: deliberately broken providers must fail the groups that catch them. */
final class LockProviderContractSelfTest {

  @Test
  void aProviderThatNeverExcludesFailsExclusionAllOrNothingFuzzAndInterruption() {
    Run run = Run.of(NeverExcludingProviderContract.class);

    assertThat(run.failedGroups())
        .contains("Exclusion", "AllOrNothing", "FuzzCounter", "Interruption");
    assertThat(run.failed())
        .contains(
            "Exclusion.anotherThreadCannotTakeAHeldKey",
            "AllOrNothing.aTimedOutCallHoldsNoneOfItsKeysAndNamesTheBlockingOne",
            "FuzzCounter.threadsIncrementingUnderTheLockLoseNoUpdate");
    assertThat(run.succeeded()).contains("RoundTrip.returnsTheCallbacksValue");
  }

  @Test
  void aProviderThatLeaksKeysAfterATimeoutFailsOnlyAllOrNothing() {
    Run run = Run.of(LeakingAfterTimeoutContract.class);

    assertThat(run.failed())
        .containsExactly("AllOrNothing.aTimedOutCallHoldsNoneOfItsKeysAndNamesTheBlockingOne");
    assertThat(run.succeeded()).hasSizeGreaterThan(20);
  }

  @Test
  void aProviderThatGivesEachKeyAFreshWaitFailsOnlyTheSharedDeadline() {
    Run run = Run.of(FreshWaitPerKeyContract.class);

    assertThat(run.failed()).containsExactly("AllOrNothing.oneDeadlineBoundsTheWholeSetNotEachKey");
    assertThat(run.succeeded()).hasSizeGreaterThan(20);
  }

  /** The outcome of running one contract class: tests as {@code Group.method}. */
  private static final class Run {
    private final Set<String> failed = new TreeSet<>();
    private final Set<String> succeeded = new TreeSet<>();

    static Run of(Class<?> contract) {
      EngineExecutionResults results =
          EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute();
      Run run = new Run();
      results.testEvents().failed().stream()
          .forEach(
              event -> run.failed.add(name(event.getTestDescriptor().getSource().orElseThrow())));
      results.testEvents().succeeded().stream()
          .forEach(
              event ->
                  run.succeeded.add(name(event.getTestDescriptor().getSource().orElseThrow())));
      return run;
    }

    private static String name(Object source) {
      MethodSource method = (MethodSource) source;
      String className = method.getClassName();
      return className.substring(className.lastIndexOf('$') + 1) + "." + method.getMethodName();
    }

    Set<String> failed() {
      return failed;
    }

    Set<String> succeeded() {
      return succeeded;
    }

    Set<String> failedGroups() {
      Set<String> groups = new TreeSet<>();
      failed.forEach(test -> groups.add(test.substring(0, test.indexOf('.'))));
      return groups;
    }
  }
}
