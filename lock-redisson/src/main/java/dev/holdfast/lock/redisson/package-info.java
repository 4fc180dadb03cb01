/** The Redis backend, through a caller-owned Redisson client. */
@NullMarked
package dev.holdfast.lock.redisson;

import org.jspecify.annotations.NullMarked;
