/**
 * The oversell demo: one command-line run that sends the same burst of concurrent multi-product
 * orders through each strategy and prints how many units each one oversold. {@link
 * dev.holdfast.examples.oversell.OversellDemo} is the entry point.
 */
@NullMarked
package dev.holdfast.examples.oversell;

import org.jspecify.annotations.NullMarked;
