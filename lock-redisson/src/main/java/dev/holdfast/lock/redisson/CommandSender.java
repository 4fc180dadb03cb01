package dev.holdfast.lock.redisson;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * Hands the provider's commands to Redisson without ever blocking the caller's thread in Redisson.
 *
 * <p>A client with lazy initialisation ({@code Config.setLazyInitialization(true)}) connects on its
 * first command, on the thread that sends it, inside its asynchronous methods too; with Redis down
 * that takes the client's connect timeout times its retries, and a failed connection is tried again
 * by the next command. Until such a client has answered once, commands are therefore sent by a
 * thread of their own, one after another, and the caller only waits for the reply on its own
 * deadline. A command still queued when its caller has given up is not sent at all: it could only
 * take a lock nobody waits for. From the first answer on, Redisson is connected for good (it never
 * goes back to lazy connecting), and commands go out on the caller's thread again, as they always
 * do for a client connected when it was created.
 */
final class CommandSender {

  /** For commands nobody waits for, such as background releases: sent however late. */
  static final long NO_SEND_LIMIT = Long.MAX_VALUE;

  private final @Nullable ThreadPoolExecutor connecting;
  private volatile boolean connected;

  /**
   * @param threadName the name of the thread that sends while the client is not connected
   */
  CommandSender(RedissonClient redisson, String threadName) {
    if (redisson.getConfig().isLazyInitialization()) {
      // No thread while idle: it is started by the first command and ends a second after the last.
      this.connecting =
          new ThreadPoolExecutor(
              0,
              1,
              1,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              task -> {
                Thread thread = new Thread(task, threadName);
                thread.setDaemon(true);
                return thread;
              });
    } else {
      this.connecting = null;
      this.connected = true;
    }
  }

  /**
   * Sends {@code command} now, or queues it for the connecting thread.
   *
   * @param sendBy the {@link System#nanoTime()} after which a queued command is no longer sent, or
   *     {@link #NO_SEND_LIMIT}; it then fails
   * @param command sends one command through Redisson and returns its reply
   * @return the reply; a command that Redisson refused to send (a client shut down) fails it
   */
  <T> CompletableFuture<T> send(long sendBy, Supplier<? extends CompletionStage<T>> command) {
    ThreadPoolExecutor executor = connecting;
    if (connected || executor == null) {
      return sendHere(command);
    }
    CompletableFuture<T> reply = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            if (reply.isDone()) {
              return; // cancelled by a caller that gave up
            }
            if (sendBy != NO_SEND_LIMIT && System.nanoTime() - sendBy > 0) {
              reply.completeExceptionally(
                  new IllegalStateException("Not sent: Redis had not connected in time"));
              return;
            }
            var unused =
                sendHere(command)
                    .whenComplete(
                        (value, failure) -> {
                          if (failure == null) {
                            connected = true;
                            reply.complete(value);
                          } else {
                            reply.completeExceptionally(failure);
                          }
                        });
          });
    } catch (RejectedExecutionException closed) {
      reply.completeExceptionally(closed);
    }
    return reply;
  }

  /**
   * Stops the connecting thread. Commands still queued are not sent, and their replies never come:
   * their callers end on their own deadlines, as for any reply that does not come.
   */
  void close() {
    ThreadPoolExecutor executor = connecting;
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private static <T> CompletableFuture<T> sendHere(Supplier<? extends CompletionStage<T>> command) {
    try {
      return command.get().toCompletableFuture();
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }
}
