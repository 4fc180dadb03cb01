/**
 * The JDBC backend: {@link dev.holdfast.lock.jdbc.JdbcLockProvider}, locks in a table of
 * PostgreSQL, MariaDB, MySQL or H2. Everything else in the package is private to it.
 */
@NullMarked
package dev.holdfast.lock.jdbc;

import org.jspecify.annotations.NullMarked;
