package dev.holdfast.examples.oversell;

import org.jspecify.annotations.Nullable;

/**
 * What every process of one run shares.
 *
 * @param jdbcUrl the database every instance connects to
 * @param jdbcPassword the embedded H2's random password (user {@link #H2_USER}), which a worker
 *     gets through its environment rather than its visible command line; null for a database given
 *     by URL, whose credentials are in the URL
 * @param tablePrefix the run's own tables in it
 * @param keyPrefix the run's own Redis keys (stock, locks)
 * @param products products 1 to this
 * @param stock initial units of each product
 * @param orders orders in the burst
 * @param seed the burst's random seed
 * @param checkExclusion whether each order runs the {@link ExclusionProbe} between reading and
 *     writing its stock
 */
record RunSettings(
    String jdbcUrl,
    @Nullable String jdbcPassword,
    String tablePrefix,
    String keyPrefix,
    int products,
    long stock,
    int orders,
    long seed,
    boolean checkExclusion) {

  /** The embedded H2's user. */
  static final String H2_USER = "demo";

  /** The run's own lock table, for the JDBC lock's row. */
  String lockTable() {
    return tablePrefix + "lock";
  }

  /** The lock key prefix of the run's Holdfast locks. */
  String lockKeyPrefix() {
    return keyPrefix + "lock:product:";
  }
}
