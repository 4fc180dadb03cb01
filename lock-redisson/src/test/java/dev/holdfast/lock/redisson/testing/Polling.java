package dev.holdfast.lock.redisson.testing;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Waiting for a topology to reach a state, and reading the {@code INFO} replies that say it. */
final class Polling {

  static final Duration INTERVAL = Duration.ofMillis(20);

  /** How long one poll waits for a node; a paused node must not hold the whole wait. */
  static final Duration CALL_TIMEOUT = Duration.ofMillis(500);

  private Polling() {}

  /**
   * Calls {@code probe} every {@link #INTERVAL} until it returns a value.
   *
   * @param state what is awaited, for the failure message
   * @param status the state seen instead, for the failure message
   * @throws IllegalStateException if {@code timeout} passed first
   */
  static <T> T until(
      Duration timeout, String state, Supplier<Optional<T>> probe, Supplier<String> status) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Waited " + timeout + " for " + state + "; instead: " + status.get());
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for " + state, e);
      }
    }
  }

  /**
   * Sends a command with a short timeout, for probes of nodes that a test may have paused or
   * killed.
   *
   * @return the reply, or empty if the node did not answer or answered with an error
   */
  static Optional<Object> tryCall(RedisServer server, String... command) {
    try {
      return Optional.ofNullable(server.call(CALL_TIMEOUT, command));
    } catch (UncheckedIOException | RedisServer.ReplyException unavailable) {
      return Optional.empty();
    }
  }

  /**
   * Whether the node answered an {@code INFO}-style command (such as {@code INFO replication} or
   * {@code CLUSTER INFO}) with fields that pass {@code test}.
   */
  static boolean reports(
      RedisServer server, Predicate<Map<String, String>> test, String... command) {
    return tryCall(server, command).map(Polling::infoFields).filter(test).isPresent();
  }

  /** The node's {@code role} from {@code INFO replication}: master or slave; empty if no answer. */
  static Optional<String> role(RedisServer server) {
    return tryCall(server, "INFO", "replication")
        .map(Polling::infoFields)
        .map(fields -> fields.get("role"));
  }

  /** The {@code field:value} lines of an {@code INFO} or {@code CLUSTER INFO} reply. */
  static Map<String, String> infoFields(@Nullable Object reply) {
    Map<String, String> fields = new HashMap<>();
    for (String line : String.valueOf(reply).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }
}
