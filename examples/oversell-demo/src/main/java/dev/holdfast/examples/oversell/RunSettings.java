package dev.holdfast.examples.oversell;

/**
 * What every process of one run shares.
 *
 * @param jdbcUrl the database every instance connects to
 * @param tablePrefix the run's own tables in it
 * @param keyPrefix the run's own Redis keys (stock, hand-written locks)
 * @param products products 1 to this
 * @param stock initial units of each product
 * @param orders orders in the burst
 * @param seed the burst's random seed
 */
record RunSettings(
    String jdbcUrl,
    String tablePrefix,
    String keyPrefix,
    int products,
    long stock,
    int orders,
    long seed) {}
