/** lock-redisson's tests on Redisson 3: this package checks that Redisson 3 is what they run on. */
@NullMarked
package dev.holdfast.lock.compat.redisson3;

import org.jspecify.annotations.NullMarked;
