/**
 * The in-memory backend: {@link dev.holdfast.lock.inmemory.InMemoryLockProvider}, locks for one
 * JVM. Everything else in the package is private to it.
 */
module dev.holdfast.lock.inmemory {
  requires transitive dev.holdfast.lock;
  requires static org.jspecify;

  exports dev.holdfast.lock.inmemory;
}
