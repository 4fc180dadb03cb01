package dev.holdfast.lock.redisson;

import dev.holdfast.lock.redisson.testing.RedisServer;

/** Reads a server's own count of the commands it ran, to prove what the provider sent it. */
final class RedisCommandStats {

  private RedisCommandStats() {}

  /**
   * How many times the server has run {@code command} since it started.
   *
   * @param command the command's name in lower case, as {@code INFO commandstats} spells it
   */
  static long calls(RedisServer server, String command) {
    String calls = infoLine(server, "commandstats", "cmdstat_" + command + ":calls=");
    return calls.isEmpty() ? 0 : Long.parseLong(calls.substring(0, calls.indexOf(',')));
  }

  /** How many clients wait in a blocking command ({@code WAIT}, say) on the server right now. */
  static long blockedClients(RedisServer server) {
    String blocked = infoLine(server, "clients", "blocked_clients:");
    return blocked.isEmpty() ? 0 : Long.parseLong(blocked);
  }

  /** The rest of the INFO {@code section}'s line that starts with {@code prefix}; empty if none. */
  private static String infoLine(RedisServer server, String section, String prefix) {
    for (String line : String.valueOf(server.call("INFO", section)).split("\r\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    return "";
  }
}
