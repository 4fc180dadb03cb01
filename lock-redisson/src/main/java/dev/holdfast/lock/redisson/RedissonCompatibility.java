package dev.holdfast.lock.redisson;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * Where the Redisson lines the backend supports differ, resolved once. The jar is compiled against
 * Redisson 4; every Redisson class and member it uses has the same name and signature in 3.52,
 * except one: Redisson 4 renamed the script reply types ({@code MULTI} to {@code LIST}, {@code
 * INTEGER} to {@code LONG}). A reference compiled to 4.x's {@code LIST} fails with {@code
 * NoSuchFieldError} on 3.x at the first script, so the constant is looked up by name here instead.
 * The compat/redisson-3 module runs the backend's tests on Redisson 3.52 to keep this true.
 */
final class RedissonCompatibility {

  /** The Redisson lines this jar is tested on, as the refusal at build time names them. */
  static final String SUPPORTED_LINES = "Redisson 3.52.x and 4.x";

  /**
   * The reply type that decodes a script's array reply into a {@code List}: 4.x's {@code LIST},
   * 3.x's {@code MULTI} (both Redisson's {@code EVAL_LIST} command); empty on a line with neither.
   */
  private static final Optional<RScript.ReturnType> LIST_REPLY = returnType("LIST", "MULTI");

  private RedissonCompatibility() {}

  /**
   * The script reply type for an array reply, integers as {@link Long}s.
   *
   * @throws IllegalStateException on a Redisson line with neither name (see {@link
   *     #requireSupportedLine()}, which {@code build()} calls so that this never throws later)
   */
  static RScript.ReturnType listReply() {
    return LIST_REPLY.orElseThrow(() -> unsupportedLine(redissonVersion()));
  }

  /**
   * Refuses a Redisson line the atomic mode cannot run its scripts on, before a provider exists,
   * instead of failing every lock call with a {@code NoSuchFieldError}.
   *
   * @throws IllegalStateException naming the supported lines and the version found
   */
  static void requireSupportedLine() {
    listReply();
  }

  /** The first of {@code names} that the Redisson on the class path has as a reply type. */
  static Optional<RScript.ReturnType> returnType(String... names) {
    List<RScript.ReturnType> present = Arrays.asList(RScript.ReturnType.values());
    return Arrays.stream(names)
        .flatMap(name -> present.stream().filter(type -> type.name().equals(name)))
        .findFirst();
  }

  static IllegalStateException unsupportedLine(@Nullable String version) {
    return new IllegalStateException(
        "Holdfast's Redis backend runs on "
            + SUPPORTED_LINES
            + "; the class path has Redisson "
            + (version == null ? "of an unknown version" : version)
            + ", whose RScript.ReturnType has neither LIST (4.x) nor MULTI (3.x)");
  }

  /** From the Redisson jar's manifest; null when a repackaged jar dropped it. */
  private static @Nullable String redissonVersion() {
    return RedissonClient.class.getPackage().getImplementationVersion();
  }
}
