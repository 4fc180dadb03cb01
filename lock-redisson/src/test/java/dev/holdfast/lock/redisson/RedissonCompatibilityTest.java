package dev.holdfast.lock.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
import org.redisson.client.protocol.RedisCommands;

/**
 * The one difference between the supported Redisson lines, resolved by name. Runs here on Redisson
 * 4 and in compat/redisson-3 on Redisson 3.52, whose script reply types have their 3.x names.
 */
final class RedissonCompatibilityTest {

  /**
   * Regression: a jar built on Redisson 4 threw NoSuchFieldError: LIST at every lock call on 3.x.
   */
  @Test
  void theListReplyOfTheRedissonLineOnTheClassPathDecodesArrayReplies() {
    RScript.ReturnType listReply = RedissonCompatibility.listReply();

    assertThat(listReply.getCommand()).isSameAs(RedisCommands.EVAL_LIST);
  }

  @Test
  void aReplyTypeIsFoundByTheFirstOfItsNamesThatTheLineHas() {
    assertThat(RedissonCompatibility.returnType("NO_SUCH_TYPE", "BOOLEAN"))
        .contains(RScript.ReturnType.BOOLEAN);
  }

  @Test
  void aLineWithNoneOfTheNamesHasNoSuchReplyType() {
    assertThat(RedissonCompatibility.returnType("NO_SUCH_TYPE")).isEmpty();
  }

  @Test
  void theRefusalOfAnUnsupportedLineNamesTheSupportedLinesAndTheVersionFound() {
    String message = RedissonCompatibility.unsupportedLine("5.0.0").getMessage();

    assertThat(message)
        .isEqualTo(
            "Holdfast's Redis backend runs on Redisson 3.52.x and 4.x; the class path has Redisson"
                + " 5.0.0, whose RScript.ReturnType has neither LIST (4.x) nor MULTI (3.x)");
  }

  @Test
  void theRefusalSaysSoWhenTheRedissonJarCarriesNoVersion() {
    String message = RedissonCompatibility.unsupportedLine(null).getMessage();

    assertThat(message).contains("Redisson of an unknown version");
  }
}
