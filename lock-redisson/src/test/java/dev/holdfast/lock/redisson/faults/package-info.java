/**
 * The fault suite: a stock-deduction workload in several client JVMs over Redis Sentinel or
 * Cluster, a nemesis that kills, stalls, fails over, cuts and resets what the locks depend on, a
 * store that checks fencing tokens, and a checker over the merged history. {@code
 * SentinelFaultSuiteIT} and {@code ClusterFaultSuiteIT} are the gate (Maven profile {@code
 * faults}); {@code docs/fault-suite.md} says what it checks and how to run a longer one.
 */
@NullMarked
package dev.holdfast.lock.redisson.faults;

import org.jspecify.annotations.NullMarked;
