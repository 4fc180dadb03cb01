package dev.holdfast.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LockPoliciesTest {

  private static final LockPolicy PRODUCT =
      LockPolicy.custom("product").leaseTime(Duration.ofSeconds(10)).build();
  private static final LockPolicy HOT_PRODUCT =
      LockPolicy.custom("hot-product").waitTime(Duration.ofMillis(200)).build();
  private static final LockPolicy OTHER = LockPolicy.custom("other").build();

  @Test
  void mostSpecificPatternWinsWhenRegisteredLast() {
    LockPolicies policies =
        LockPolicies.builder()
            .policy("lock:product:*", PRODUCT)
            .policy("lock:product:hot-*", HOT_PRODUCT)
            .build();

    LockPolicy hot = policies.policyFor("lock:product:hot-42");
    LockPolicy plain = policies.policyFor("lock:product:42");

    assertThat(hot).isSameAs(HOT_PRODUCT);
    assertThat(plain).isSameAs(PRODUCT);
  }

  @Test
  void mostSpecificPatternWinsWhenRegisteredFirst() {
    LockPolicies policies =
        LockPolicies.builder()
            .policy("lock:product:hot-*", HOT_PRODUCT)
            .policy("lock:product:*", PRODUCT)
            .build();

    LockPolicy hot = policies.policyFor("lock:product:hot-42");
    LockPolicy plain = policies.policyFor("lock:product:42");

    assertThat(hot).isSameAs(HOT_PRODUCT);
    assertThat(plain).isSameAs(PRODUCT);
  }

  @Test
  void patternWithoutStarMatchesOnlyThatKey() {
    LockPolicies policies = LockPolicies.builder().policy("lock:config", OTHER).build();

    assertThat(policies.policyFor("lock:config")).isSameAs(OTHER);
    assertThat(policies.policyFor("lock:config:x")).isSameAs(LockPolicy.ofDefaults());
    assertThat(policies.policyFor("x:lock:config")).isSameAs(LockPolicy.ofDefaults());
  }

  @Test
  void starInTheMiddleMatchesAnyRunBetweenPrefixAndSuffix() {
    LockPolicies policies = LockPolicies.builder().policy("lock:*:hot", OTHER).build();

    assertThat(policies.policyFor("lock:product:hot")).isSameAs(OTHER);
    assertThat(policies.policyFor("lock::hot")).isSameAs(OTHER);
    assertThat(policies.policyFor("lock:product:cold")).isSameAs(LockPolicy.ofDefaults());
    assertThat(policies.policyFor("lock:product:hotter")).isSameAs(LockPolicy.ofDefaults());
  }

  @Test
  void starAtTheStartMatchesBySuffix() {
    LockPolicies policies = LockPolicies.builder().policy("*:hot", OTHER).build();

    assertThat(policies.policyFor("lock:order:hot")).isSameAs(OTHER);
    assertThat(policies.policyFor(":hot")).isSameAs(OTHER);
    assertThat(policies.policyFor("lock:order:hot:1")).isSameAs(LockPolicy.ofDefaults());
  }

  @Test
  void starsOnBothEndsMatchByInfix() {
    LockPolicies policies = LockPolicies.builder().policy("*:hot:*", OTHER).build();

    assertThat(policies.policyFor("lock:hot:1")).isSameAs(OTHER);
    assertThat(policies.policyFor("lock:hotel:1")).isSameAs(LockPolicy.ofDefaults());
  }

  @Test
  void severalStarsMatchLiteralsInOrder() {
    LockPolicies policies = LockPolicies.builder().policy("a*b*c", OTHER).build();

    assertThat(policies.policyFor("abc")).isSameAs(OTHER);
    assertThat(policies.policyFor("a-b-c")).isSameAs(OTHER);
    assertThat(policies.policyFor("acb")).isSameAs(LockPolicy.ofDefaults());
    assertThat(policies.policyFor("a-b-c-d")).isSameAs(LockPolicy.ofDefaults());
  }

  @Test
  void prefixAndSuffixOfAPatternMayNotOverlapInTheKey() {
    LockPolicies policies = LockPolicies.builder().policy("ab*ba", OTHER).build();

    assertThat(policies.policyFor("aba")).isSameAs(LockPolicy.ofDefaults());
    assertThat(policies.policyFor("abba")).isSameAs(OTHER);
  }

  @Test
  void keysNoPatternMatchesGetTheDefaultPolicy() {
    LockPolicy fallback = LockPolicy.custom("fallback").waitTime(Duration.ofSeconds(1)).build();
    LockPolicies policies =
        LockPolicies.builder().policy("lock:product:*", PRODUCT).defaultPolicy(fallback).build();

    LockPolicy policy = policies.policyFor("lock:order:9");

    assertThat(policy).isSameAs(fallback);
    assertThat(policies.defaultPolicy()).isSameAs(fallback);
  }

  @Test
  void ofDefaultsGivesEveryKeyTheDefaultPolicy() {
    LockPolicies policies = LockPolicies.ofDefaults();

    assertThat(policies.policyFor(List.of("lock:a", "lock:b"))).isSameAs(LockPolicy.ofDefaults());
  }

  @Test
  void keysUnderOnePolicyKeepThatPolicyUnmerged() {
    LockPolicies policies = LockPolicies.builder().policy("lock:product:*", PRODUCT).build();

    LockPolicy policy = policies.policyFor(List.of("lock:product:1", "lock:product:2"));

    assertThat(policy).isSameAs(PRODUCT);
  }

  @Test
  void mergesPoliciesOfAMultiKeyCallStrictestWaitLongestLeaseRenewingAndSortedNames() {
    LockPolicy zeta =
        LockPolicy.custom("zeta")
            .waitTime(Duration.ofSeconds(2))
            .leaseTime(Duration.ofSeconds(10))
            .leaseMode(LeaseMode.FIXED)
            .build();
    LockPolicy alpha =
        LockPolicy.custom("alpha")
            .waitTime(Duration.ofMillis(500))
            .leaseTime(Duration.ofSeconds(5))
            .leaseMode(LeaseMode.RENEWING)
            .build();
    LockPolicy fallback =
        LockPolicy.custom("middle")
            .waitTime(Duration.ofSeconds(5))
            .leaseTime(Duration.ofSeconds(45))
            .build();
    LockPolicies policies =
        LockPolicies.builder()
            .policy("z:*", zeta)
            .policy("a:*", alpha)
            .defaultPolicy(fallback)
            .build();

    LockPolicy merged = policies.policyFor(List.of("z:1", "a:1", "m:1", "z:2"));

    assertThat(merged.waitTime()).isEqualTo(Duration.ofMillis(500));
    assertThat(merged.leaseTime()).isEqualTo(Duration.ofSeconds(45));
    assertThat(merged.leaseMode()).isEqualTo(LeaseMode.RENEWING);
    assertThat(merged.name()).isEqualTo("alpha+middle+zeta");
  }

  @Test
  void mergeOfFixedPoliciesStaysFixed() {
    LockPolicies policies =
        LockPolicies.builder().policy("p:*", PRODUCT).policy("o:*", OTHER).build();

    LockPolicy merged = policies.policyFor(List.of("p:1", "o:1"));

    assertThat(merged.leaseMode()).isEqualTo(LeaseMode.FIXED);
    assertThat(merged.name()).isEqualTo("other+product");
  }

  @Test
  void rejectsDuplicatePatternNamingIt() {
    LockPolicies.Builder builder = LockPolicies.builder().policy("lock:product:*", PRODUCT);

    Throwable thrown = catchThrowable(() -> builder.policy("lock:product:*", HOT_PRODUCT));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("pattern", "\"lock:product:*\"", "already", "product");
  }

  @Test
  void rejectsBlankPattern() {
    LockPolicies.Builder builder = LockPolicies.builder();

    Throwable thrown = catchThrowable(() -> builder.policy("  ", PRODUCT));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("pattern must not be blank, was \"  \"");
  }

  @Test
  void rejectsNullPattern() {
    LockPolicies.Builder builder = LockPolicies.builder();

    Throwable thrown = catchThrowable(() -> builder.policy(null, PRODUCT));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("pattern must not be null");
  }

  @Test
  void rejectsNullPolicyForAPattern() {
    LockPolicies.Builder builder = LockPolicies.builder();

    Throwable thrown = catchThrowable(() -> builder.policy("lock:*", null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("policy must not be null");
  }

  @Test
  void rejectsNullDefaultPolicy() {
    LockPolicies.Builder builder = LockPolicies.builder();

    Throwable thrown = catchThrowable(() -> builder.defaultPolicy(null));

    assertThat(thrown)
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("policy must not be null");
  }

  @Test
  void policyForRejectsEmptyKeyList() {
    LockPolicies policies = LockPolicies.ofDefaults();

    Throwable thrown = catchThrowable(() -> policies.policyFor(List.<String>of()));

    assertThat(thrown)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("keys", "[]");
  }
}
