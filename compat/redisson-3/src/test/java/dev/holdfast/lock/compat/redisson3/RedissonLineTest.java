package dev.holdfast.lock.compat.redisson3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RScript;

/**
 * The class path this module's run of lock-redisson's tests sees: Redisson 3.52 and its Netty 4.1,
 * not the 4.x lines lock-redisson is built against. Without this check a dependency change could
 * turn the Redisson 3 run into a second Redisson 4 run that passes for the wrong reason.
 */
final class RedissonLineTest {

  @Test
  void redissonOnTheClassPathIsTheLast3xLine() {
    String version = Redisson.class.getPackage().getImplementationVersion();

    assertThat(version).startsWith("3.52.");
  }

  @Test
  void scriptReturnTypesHaveTheirRedisson3Names() {
    var names = Arrays.stream(RScript.ReturnType.values()).map(Enum::name).toList();

    assertThat(names).contains("MULTI", "INTEGER").doesNotContain("LIST", "LONG");
  }

  @Test
  void nettyOnTheClassPathIsTheLineRedisson3Brings() {
    String version = Version.identify().get("netty-common").artifactVersion();

    assertThat(version).startsWith("4.1.");
  }
}
