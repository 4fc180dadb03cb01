package dev.holdfast.lock.inmemory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Virtual threads for tests compiled with {@code --release 17}: the JDK 21 API is reached through
 * method handles, resolved on first use, so callers must only run on JDK 21 or later.
 */
final class VirtualThreads {

  private VirtualThreads() {}

  /**
   * Returns a new, unstarted virtual thread that runs {@code task}.
   *
   * @throws UnsupportedOperationException on a JDK without virtual threads
   */
  static Thread unstarted(Runnable task) {
    try {
      return (Thread) Handles.UNSTARTED.invoke(Handles.OF_VIRTUAL.invoke(), task);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Thread.ofVirtual().unstarted(task) failed", e);
    }
  }

  /** Tells whether {@code thread} is a virtual thread. */
  static boolean isVirtual(Thread thread) {
    try {
      return (boolean) Handles.IS_VIRTUAL.invoke(thread);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Thread.isVirtual() failed", e);
    }
  }

  /** Resolved when first needed, so that merely loading {@link VirtualThreads} works on JDK 17. */
  private static final class Handles {

    static final MethodHandle OF_VIRTUAL;
    static final MethodHandle UNSTARTED;
    static final MethodHandle IS_VIRTUAL;

    static {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      try {
        Class<?> builder = Class.forName("java.lang.Thread$Builder");
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        OF_VIRTUAL = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
        UNSTARTED =
            lookup.findVirtual(
                builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
        IS_VIRTUAL =
            lookup.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
      } catch (ReflectiveOperationException e) {
        throw new UnsupportedOperationException(
            "Virtual threads need JDK 21 or later, this is " + Runtime.version(), e);
      }
    }
  }
}
