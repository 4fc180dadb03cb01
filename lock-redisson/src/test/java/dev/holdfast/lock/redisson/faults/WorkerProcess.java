package dev.holdfast.lock.redisson.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FaultWorker} JVM, started with this JVM's java binary and class path, which the nemesis
 * can SIGSTOP, SIGCONT and kill -9, and whose progress it reads from the worker's stdout.
 */
final class WorkerProcess {

  private final String id;
  private final Process process;
  private final Path history;
  private final PrintWriter commands;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final BlockingQueue<Long> interruptReplies = new LinkedBlockingQueue<>();
  private final List<JvmStall> stalls = new CopyOnWriteArrayList<>();
  private volatile long calls;
  private volatile long served;

  private WorkerProcess(String id, Process process, Path history) {
    this.id = id;
    this.process = process;
    this.history = history;
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "worker-output-" + id);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a worker; its stderr goes to {@code <id>.log} next to its history. */
  static WorkerProcess start(FaultWorker.Settings settings) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // C1 only and the serial collector: the workers start and warm up faster on two cores.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx192m"));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(FaultWorker.class.getName());
    command.addAll(settings.toArgs());
    Path log = settings.history().resolveSibling(settings.id() + ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new WorkerProcess(settings.id(), process, settings.history());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start worker " + settings.id(), e);
    }
  }

  String id() {
    return id;
  }

  Path history() {
    return history;
  }

  long calls() {
    return calls;
  }

  long served() {
    return served;
  }

  /** The stretches in which the worker's JVM did not run, as it reported them. */
  List<JvmStall> stalls() {
    return List.copyOf(stalls);
  }

  void awaitReady(Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "Worker " + id + " was not ready within " + timeout + "; see " + id + ".log");
    }
  }

  /**
   * Interrupts the worker's threads that are waiting for keys now.
   *
   * @return how many it interrupted
   */
  long interruptWaiting() throws InterruptedException {
    commands.println("interrupt");
    Long interrupted = interruptReplies.poll(5, TimeUnit.SECONDS);
    if (interrupted == null) {
      throw new IllegalStateException("Worker " + id + " did not answer an interrupt command");
    }
    return interrupted;
  }

  void pause() {
    signal("STOP");
  }

  void resume() {
    signal("CONT");
  }

  /** kill -9, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Lets the calls under way finish, then waits for the worker to exit. */
  void stop(Duration timeout) throws InterruptedException {
    commands.println("stop");
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new IllegalStateException("Worker " + id + " did not stop within " + timeout);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "Worker " + id + " exited with " + process.exitValue() + "; see " + id + ".log");
    }
  }

  /** Ends the process whatever its state, for cleanup after a failure. */
  void destroy() {
    resume();
    process.destroyForcibly();
  }

  private void signal(String signal) {
    if (!process.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not send SIG" + signal + " to worker " + id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while signalling worker " + id, e);
    }
  }

  private void readOutput() {
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        String[] words = line.split(" ");
        switch (words[0]) {
          case "ready" -> ready.countDown();
          case "progress" -> {
            calls = Long.parseLong(words[1]);
            served = Long.parseLong(words[2]);
          }
          case "interrupted" -> interruptReplies.add(Long.parseLong(words[1]));
          case "stalled" ->
              stalls.add(new JvmStall(id, Long.parseLong(words[1]), Long.parseLong(words[2])));
          default -> {
            // "stopped", or something a library printed: nothing to act on.
          }
        }
      }
    } catch (IOException e) {
      // The process died; its last progress stays as it was.
    }
  }

  @Override
  public String toString() {
    return "worker " + id + " (pid " + process.pid() + ")";
  }
}
