package dev.holdfast.examples.oversell;

import java.util.ArrayList;
import java.util.List;

/**
 * Resources to close, last added first, each in its own try: one that fails to close does not keep
 * the others open, and its exception is added to the first one's as suppressed.
 */
final class Cleanup {

  private final List<AutoCloseable> resources = new ArrayList<>();

  void add(AutoCloseable resource) {
    resources.add(resource);
  }

  /**
   * Closes everything added, last first.
   *
   * @throws IllegalStateException carrying the first close failure (others suppressed in it)
   */
  void closeAll() {
    RuntimeException failure = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Could not close " + resources.get(i), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    resources.clear();
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes everything added, last first, adding every failure to {@code primary} as suppressed. */
  void closeAllAfter(Throwable primary) {
    try {
      closeAll();
    } catch (IllegalStateException e) {
      primary.addSuppressed(e);
    }
  }
}
