package dev.holdfast.lock.redisson.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.joining;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} process of this JVM's own, listening on 127.0.0.1 only.
 *
 * <p>Its directory, under one temporary directory per JVM, holds its data files and its output,
 * stdout and stderr together: Redis logs to stdout when given no log file, and it prints
 * configuration errors to stderr before it would open one. Each launch empties the directory, so a
 * restart cannot load a snapshot that a test made with {@code SAVE}.
 *
 * <p>A second directory beside it keeps what a restart must find again: the configuration file, if
 * the server was started with one (Sentinel rewrites its own with what it learned: the current
 * master, the other sentinels, the epoch), and the Cluster node file (the node's id and its view of
 * the cluster), so that a restarted sentinel or cluster node rejoins as itself.
 */
final class LocalRedisServer implements RedisServer {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRedisServer.class);

  private static final String HOST = "127.0.0.1";
  private static final String OUTPUT_FILE = "redis.log";
  private static final String CONFIG_FILE = "redis.conf";
  private static final String CLUSTER_NODES_FILE = "nodes.conf";
  private static final int PORTS_TO_TRY = 3;
  private static final int LOG_TAIL_LINES = 20;
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(5);

  /** How long a process may take to act on a signal, and kill(1) or ps(1) to finish. */
  private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  private static final Duration POLL_CALL_TIMEOUT = Duration.ofSeconds(1);

  private static final Path JVM_DIRECTORY = createJvmDirectory();

  /** Every process started and not yet seen to exit, for the shutdown hook. */
  private static final Set<Process> LIVE_PROCESSES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(LocalRedisServer::endAll, "redis-server-reaper"));
  }

  private final List<String> commandLine;
  private final int port;
  private final Path directory;
  private final Path stateDirectory;
  // Volatile so that the queries need not wait for a lifecycle method holding the lock.
  private volatile Process process;
  private boolean paused;
  private boolean closed;

  private LocalRedisServer(
      List<String> commandLine, int port, Path directory, Path stateDirectory, Process process) {
    this.commandLine = commandLine;
    this.port = port;
    this.directory = directory;
    this.stateDirectory = stateDirectory;
    this.process = process;
  }

  /**
   * Starts {@code executable} on a free port, trying another port if a different process took the
   * chosen one between our probe and Redis binding it.
   */
  static LocalRedisServer start(Path executable, List<String> extraArgs) {
    return start(executable, Optional.empty(), extraArgs);
  }

  /**
   * Like {@link #start(Path, List)}, with a configuration file holding {@code config} as the first
   * argument: Sentinel requires one, and rewrites it. The file is kept across restarts.
   */
  static LocalRedisServer start(Path executable, Optional<String> config, List<String> extraArgs) {
    for (int attempt = 1; attempt <= PORTS_TO_TRY; attempt++) {
      int port = freePort();
      Path directory = JVM_DIRECTORY.resolve(Integer.toString(port));
      Path stateDirectory = JVM_DIRECTORY.resolve(port + "-state");
      createDirectories(stateDirectory);
      Optional<Path> configFile = config.map(text -> writeConfig(stateDirectory, text));
      List<String> commandLine =
          commandLine(executable, port, directory, stateDirectory, configFile, extraArgs);
      Optional<Process> process = launch(commandLine, port, directory);
      if (process.isPresent()) {
        return new LocalRedisServer(commandLine, port, directory, stateDirectory, process.get());
      }
      deleteQuietly(stateDirectory);
    }
    throw new IllegalStateException(
        "Each of "
            + PORTS_TO_TRY
            + " free ports on "
            + HOST
            + " was taken before redis-server could bind it; is something grabbing ports?");
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public synchronized void pause() {
    if (!process.isAlive()) {
      throw new IllegalStateException("Cannot pause " + this + ": it is not running");
    }
    signal("STOP");
    // The kernel stops the target only when the signal is delivered, after kill(1) has returned.
    awaitStopped();
    paused = true;
  }

  @Override
  public synchronized void resume() {
    if (paused && process.isAlive()) {
      // Unlike SIGSTOP, SIGCONT takes effect while kill(1) sends it: no need to wait.
      signal("CONT");
    }
    paused = false;
  }

  @Override
  public synchronized void kill() {
    if (process.isAlive()) {
      kill(process);
    }
    paused = false;
  }

  @Override
  public synchronized void stop() {
    if (!process.isAlive()) {
      return;
    }
    // A stopped process holds SIGTERM until it is continued.
    resume();
    // SIGTERM: Redis shuts down as for SHUTDOWN, and saves nothing since it has no save points.
    process.destroy();
    if (!exited(process)) {
      kill();
      throw new IllegalStateException(
          this + " ignored SIGTERM for " + SIGNAL_TIMEOUT + "; killed it" + logTail());
    }
  }

  @Override
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    if (process.isAlive()) {
      throw new IllegalStateException(this + " is running: kill() or stop() it first");
    }
    // Redis binds with SO_REUSEADDR, so the last process's connections in TIME_WAIT do not hold
    // the port; the retries cover another process holding it for a moment while it was free.
    long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
    Optional<Process> restarted = launch(commandLine, port, directory);
    while (restarted.isEmpty()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Port "
                + port
                + " stayed taken for "
                + REBIND_TIMEOUT
                + "; cannot restart "
                + this
                + logTail());
      }
      sleep(POLL_INTERVAL);
      restarted = launch(commandLine, port, directory);
    }
    process = restarted.get();
  }

  @Override
  public boolean isRunning() {
    return process.isAlive();
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.of(process.pid());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      deleteQuietly(directory);
      deleteQuietly(stateDirectory);
    }
  }

  /** The last lines of this server's output, which tell how it started and ended. */
  String logTail() {
    return logTail(directory);
  }

  @Override
  public String toString() {
    return "redis-server pid " + process.pid() + " on " + HOST + ":" + port;
  }

  /**
   * Runs the command line and waits until the process itself answers on the port.
   *
   * @return the process, or empty if another process holds the port
   * @throws IllegalStateException if the process failed for another reason
   */
  private static Optional<Process> launch(List<String> commandLine, int port, Path directory) {
    Process process = startProcess(commandLine, directory);
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      Optional<String> serverInfo = serverInfo(port);
      if (serverInfo.isPresent()) {
        // Another Redis on the port would answer PING too; only ours reports our pid.
        if (serverInfo.get().contains("\nprocess_id:" + process.pid() + "\r")) {
          return Optional.of(process);
        }
        kill(process);
        return Optional.empty();
      }
      if (!process.isAlive()) {
        LIVE_PROCESSES.remove(process);
        String log = logTail(directory);
        if (log.contains("Address already in use")) {
          return Optional.empty();
        }
        throw new IllegalStateException(
            "redis-server exited with code "
                + process.exitValue()
                + " before answering on port "
                + port
                + "; command line: "
                + shellForm(commandLine)
                + log);
      }
      if (System.nanoTime() - deadline > 0) {
        kill(process);
        throw new IllegalStateException(
            "redis-server pid "
                + process.pid()
                + " did not answer on port "
                + port
                + " within "
                + STARTUP_TIMEOUT
                + "; killed it. Command line: "
                + shellForm(commandLine)
                + logTail(directory));
      }
      sleep(POLL_INTERVAL);
    }
  }

  private static Process startProcess(List<String> commandLine, Path directory) {
    try {
      deleteRecursively(directory);
      Files.createDirectories(directory);
      Process process =
          new ProcessBuilder(commandLine)
              .redirectErrorStream(true)
              .redirectOutput(directory.resolve(OUTPUT_FILE).toFile())
              .start();
      LIVE_PROCESSES.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + shellForm(commandLine), e);
    }
  }

  private static Optional<String> serverInfo(int port) {
    try {
      return Optional.of(
          String.valueOf(
              RespClient.call(HOST, port, POLL_CALL_TIMEOUT, List.of("INFO", "server"))));
    } catch (UncheckedIOException notListening) {
      return Optional.empty();
    }
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create " + directory, e);
    }
  }

  private static Path writeConfig(Path stateDirectory, String config) {
    Path file = stateDirectory.resolve(CONFIG_FILE);
    try {
      return Files.writeString(file, config);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }

  private static List<String> commandLine(
      Path executable,
      int port,
      Path directory,
      Path stateDirectory,
      Optional<Path> configFile,
      List<String> extraArgs) {
    List<String> commandLine = new ArrayList<>();
    commandLine.add(executable.toString());
    // Redis reads a configuration file only as the first argument.
    configFile.ifPresent(file -> commandLine.add(file.toString()));
    commandLine.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "no",
            "--daemonize",
            "no",
            "--dir",
            directory.toString(),
            // Read only by a node with --cluster-enabled yes; ignored otherwise.
            "--cluster-config-file",
            stateDirectory.resolve(CLUSTER_NODES_FILE).toString()));
    commandLine.addAll(extraArgs);
    return List.copyOf(commandLine);
  }

  private static String shellForm(List<String> commandLine) {
    return commandLine.stream().map(arg -> arg.isEmpty() ? "\"\"" : arg).collect(joining(" "));
  }

  private static String logTail(Path directory) {
    Path log = directory.resolve(OUTPUT_FILE);
    try {
      List<String> lines = new String(Files.readAllBytes(log), UTF_8).lines().toList();
      return "\nLast lines of "
          + log
          + ":\n"
          + String.join(
              "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "\n(No output to show: " + e + ")";
    }
  }

  private void signal(String signal) {
    run("kill", "-" + signal, Long.toString(process.pid()));
  }

  private void awaitStopped() {
    long deadline = System.nanoTime() + SIGNAL_TIMEOUT.toNanos();
    while (!run("ps", "-o", "state=", "-p", Long.toString(process.pid())).startsWith("T")) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            this + " did not stop within " + SIGNAL_TIMEOUT + " of SIGSTOP");
      }
      sleep(POLL_INTERVAL);
    }
  }

  /** Runs a short command such as kill(1) and returns its output; fails unless it exits with 0. */
  private static String run(String... command) {
    Process process;
    String output;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      output = new String(process.getInputStream().readAllBytes(), UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
    }
    if (!exited(process)) {
      throw new IllegalStateException(
          String.join(" ", command) + " did not finish within " + SIGNAL_TIMEOUT);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with code " + process.exitValue() + ": " + output);
    }
    return output;
  }

  private static void kill(Process process) {
    process.destroyForcibly();
    if (!exited(process)) {
      throw new IllegalStateException(
          "redis-server pid " + process.pid() + " survived SIGKILL for " + SIGNAL_TIMEOUT);
    }
  }

  /** Waits up to {@link #SIGNAL_TIMEOUT} for the process to exit. */
  private static boolean exited(Process process) {
    try {
      if (!process.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for process " + process.pid(), e);
    }
    LIVE_PROCESSES.remove(process);
    return true;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for redis-server", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Found no free port on " + HOST, e);
    }
  }

  private static Path createJvmDirectory() {
    try {
      return Files.createTempDirectory("holdfast-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temporary directory for redis-server", e);
    }
  }

  /** The shutdown hook: no redis-server of ours may outlive the JVM, paused or not. */
  private static void endAll() {
    // SIGKILL ends a stopped process too, so paused ones need no SIGCONT first.
    List<Process> processes = List.copyOf(LIVE_PROCESSES);
    processes.forEach(Process::destroyForcibly);
    // Deleting the directory while a process still writes to it would fail.
    processes.forEach(LocalRedisServer::exited);
    deleteQuietly(JVM_DIRECTORY);
  }

  private static void deleteQuietly(Path directory) {
    try {
      deleteRecursively(directory);
    } catch (IOException e) {
      // Leftover files in the temporary directory must not fail the test that closes a server.
      LOG.warn("Could not delete {}", directory, e);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
