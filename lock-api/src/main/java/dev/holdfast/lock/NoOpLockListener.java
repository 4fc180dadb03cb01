package dev.holdfast.lock;

/** The listener of a template built without any: every event costs one empty call. */
enum NoOpLockListener implements LockListener {
  INSTANCE
}
