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
    String prefix = "cmdstat_" + command + ":calls=";
    for (String line : String.valueOf(server.call("INFO", "commandstats")).split("\r\n")) {
      if (line.startsWith(prefix)) {
        return Long.parseLong(line.substring(prefix.length(), line.indexOf(',')));
      }
    }
    return 0;
  }
}
