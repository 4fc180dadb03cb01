package dev.holdfast.lock.redisson.testing;

import com.github.dockerjava.api.DockerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis in a {@code redis:7.0} container, for machines with Docker but without {@code
 * redis-server}. A restart runs a new container, which Docker maps to a new host port.
 */
final class ContainerRedisServer implements RedisServer {

  private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.0");
  private static final int REDIS_PORT = 6379;
  private static final int EXIT_TIMEOUT_SECONDS = 10;

  private final List<String> command;
  private GenericContainer<?> container;
  private int port;
  private boolean paused;
  private boolean closed;

  private ContainerRedisServer(List<String> command, GenericContainer<?> container) {
    this.command = command;
    this.container = container;
    this.port = container.getMappedPort(REDIS_PORT);
  }

  static ContainerRedisServer start(List<String> extraArgs) {
    List<String> command =
        new ArrayList<>(
            List.of("redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
    command.addAll(extraArgs);
    return new ContainerRedisServer(List.copyOf(command), startContainer(command));
  }

  @Override
  public synchronized String host() {
    return container.getHost();
  }

  @Override
  public synchronized int port() {
    return port;
  }

  @Override
  public synchronized void pause() {
    if (!container.isRunning()) {
      throw new IllegalStateException("Cannot pause " + this + ": it is not running");
    }
    docker().pauseContainerCmd(container.getContainerId()).exec();
    paused = true;
  }

  @Override
  public synchronized void resume() {
    if (paused && container.isRunning()) {
      docker().unpauseContainerCmd(container.getContainerId()).exec();
    }
    paused = false;
  }

  @Override
  public synchronized void kill() {
    if (container.isRunning()) {
      // Docker delivers the signal to a paused container too.
      docker().killContainerCmd(container.getContainerId()).exec();
      docker()
          .waitContainerCmd(container.getContainerId())
          .start()
          .awaitStatusCode(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    paused = false;
  }

  @Override
  public synchronized void stop() {
    if (container.isRunning()) {
      resume();
      // docker stop waits for the exit, and kills the container once the timeout has passed.
      docker()
          .stopContainerCmd(container.getContainerId())
          .withTimeout(EXIT_TIMEOUT_SECONDS)
          .exec();
    }
  }

  @Override
  public synchronized void restart() {
    if (closed || container.isRunning()) {
      throw new IllegalStateException(this + " is closed or running: kill() or stop() it first");
    }
    container.stop();
    container = startContainer(command);
    port = container.getMappedPort(REDIS_PORT);
    paused = false;
  }

  @Override
  public synchronized boolean isRunning() {
    return container.isRunning();
  }

  @Override
  public OptionalLong pid() {
    return OptionalLong.empty();
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
      // Removes the container.
      container.stop();
    }
  }

  @Override
  public synchronized String toString() {
    return IMAGE + " container " + container.getContainerId() + " on port " + port;
  }

  private static GenericContainer<?> startContainer(List<String> command) {
    GenericContainer<?> container =
        new GenericContainer<>(IMAGE)
            .withExposedPorts(REDIS_PORT)
            .withCommand(command.toArray(String[]::new));
    container.start();
    return container;
  }

  private DockerClient docker() {
    return container.getDockerClient();
  }
}
