/**
 * Reads the build's POM files for the publication tests: which modules are published, and what
 * lock-bom lists.
 */
@NullMarked
package dev.holdfast.lock.publication;

import org.jspecify.annotations.NullMarked;
