package dev.holdfast.examples.oversell;

import dev.holdfast.lock.redisson.testing.RedisServer;
import java.io.Console;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.h2.tools.Server;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The oversell demo: the same burst of concurrent multi-product orders against limited stock under
 * each strategy, then one table of what each sold. Exits with 0, or 1 when a strategy that must
 * never oversell did; bad options print a one-line error and the usage, and exit with 2.
 */
@Command(
    name = "oversell-demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Sends one burst of concurrent multi-product orders against limited stock through each"
          + " strategy (no lock, a JVM lock per instance, a shared Holdfast lock, hand-written"
          + " RedissonMultiLock, Redis-held stock) and prints how many units each oversold.",
      "Exit code 0, or 1 when a strategy that must never oversell did."
    })
public final class OversellDemo implements Callable<Integer> {

  /** Exit code when a strategy that must never oversell did. */
  public static final int OVERSOLD = 1;

  /** Orders each strategy places, unmeasured, before the measured bursts. */
  static final int WARM_UP_ORDERS = 1000;

  @Spec private @Nullable CommandSpec spec;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description =
          "Redis to use, e.g. redis://127.0.0.1:6379 (default: a private redis-server on a free"
              + " port, when one is on the PATH)")
  private @Nullable String redis;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "Database, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres (default: embedded"
              + " H2). The demo creates its own tables and drops them.")
  private @Nullable String jdbcUrl;

  @Option(names = "--products", description = "Products (default: ${DEFAULT-VALUE})")
  private int products = 5;

  @Option(names = "--stock", description = "Units of each product (default: ${DEFAULT-VALUE})")
  private long stock = 100;

  @Option(names = "--orders", description = "Orders in the burst (default: ${DEFAULT-VALUE})")
  private int orders = 1000;

  @Option(names = "--threads", description = "Order threads in all (default: ${DEFAULT-VALUE})")
  private int threads = 16;

  @ArgGroup(exclusive = true)
  private @Nullable Scale scale;

  @Option(names = "--seed", description = "Random seed of the burst (default: ${DEFAULT-VALUE})")
  private long seed = 42;

  /** Where the service instances run: threads of this JVM, or processes of their own. */
  static final class Scale {
    @Option(
        names = "--instances",
        description = "Service instances simulated in this JVM (default: 4)")
    int instances = 4;

    @Option(
        names = "--processes",
        description = "Run the service instances as N JVM processes instead")
    int processes;
  }

  /** Creates the command with its default options; picocli sets the ones given. */
  public OversellDemo() {}

  /**
   * Runs the demo and exits with its exit code.
   *
   * @param args the options; {@code --help} lists them
   */
  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with the demo's error handling: one line for a failure, not a trace. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new OversellDemo());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("oversell-demo: " + e);
          return 3;
        });
    return commandLine;
  }

  @Override
  public Integer call() throws Exception {
    int processes = scale == null ? 0 : scale.processes;
    int instances = processes > 0 ? processes : scale == null ? 4 : scale.instances;
    validate(processes, instances);
    PrintWriter out = requireSpec().commandLine().getOut();
    String runId = UUID.randomUUID().toString().substring(0, 8);
    List<AutoCloseable> cleanup = new ArrayList<>();
    try {
      String redisAddress = redisAddress(cleanup);
      String adminUrl =
          jdbcUrl == null ? "jdbc:h2:mem:oversell-" + runId + ";DB_CLOSE_DELAY=-1" : jdbcUrl;
      String instanceUrl = adminUrl;
      if (jdbcUrl == null && processes > 0) {
        // Worker processes reach this JVM's in-memory H2 through a TCP server on loopback.
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        cleanup.add(h2::stop);
        instanceUrl =
            "jdbc:h2:tcp://127.0.0.1:"
                + h2.getPort()
                + "/mem:oversell-"
                + runId
                + ";DB_CLOSE_DELAY=-1";
      }
      RunSettings settings =
          new RunSettings(
              instanceUrl,
              "oversell_" + runId + "_",
              "oversell-" + runId + ":",
              products,
              stock,
              orders,
              seed);
      List<Strategy> strategies =
          Arrays.stream(Strategy.values())
              .filter(s -> redisAddress != null || !s.needsRedis())
              .toList();
      out.printf(
          Locale.ROOT,
          "%d orders (seed %d) for %d products x %d units, %d threads on %d service %s%n"
              + "database: %s; Redis: %s%n"
              + "Each strategy first places %d of the orders unmeasured, to warm up.%n",
          orders,
          seed,
          products,
          stock,
          threads,
          instances,
          processes > 0 ? "processes" : "instances in this JVM",
          jdbcUrl == null ? "embedded H2" : jdbcUrl,
          redisAddress == null ? "none" : redisAddress,
          Math.min(WARM_UP_ORDERS, orders));
      out.flush();
      DemoRun run = new DemoRun(settings, redisAddress, strategies, WARM_UP_ORDERS);
      List<StrategyResult> results;
      try (DemoRun.Instances running =
          processes > 0
              ? WorkerFleet.start(settings, redisAddress, processes, threads)
              : run.inProcess(instances, threads, order -> {})) {
        results = run.run(adminUrl, running, this::progress);
      }
      out.println();
      out.print(ResultTable.format(results));
      out.print(notes(results, instances, redisAddress == null));
      out.flush();
      return exitCode(results, instances);
    } finally {
      for (int i = cleanup.size() - 1; i >= 0; i--) {
        cleanup.get(i).close();
      }
    }
  }

  /**
   * {@link #OVERSOLD} when a strategy that must never oversell with this many instances sold more
   * than the stock, or lost track of units (sold and left do not add up); else 0.
   */
  static int exitCode(List<StrategyResult> results, int instances) {
    return results.stream()
            .anyMatch(
                r -> r.strategy().mustNotOversell(instances) && (r.oversold() > 0 || !r.balanced()))
        ? OVERSOLD
        : 0;
  }

  private void validate(int processes, int instances) {
    check(products >= 1 && products <= 10_000, "--products must be 1 to 10000, was " + products);
    check(stock >= 1 && stock <= 1_000_000_000L, "--stock must be 1 to 1000000000, was " + stock);
    check(orders >= 1 && orders <= 1_000_000, "--orders must be 1 to 1000000, was " + orders);
    check(threads >= 1 && threads <= 1_000, "--threads must be 1 to 1000, was " + threads);
    check(instances >= 1 && instances <= 64, "--instances must be 1 to 64, was " + instances);
    check(processes >= 0 && processes <= 32, "--processes must be 1 to 32, was " + processes);
    check(
        instances <= threads,
        "--threads must be at least the "
            + instances
            + " service instances (each needs a thread), was "
            + threads);
  }

  private void check(boolean valid, String message) {
    if (!valid) {
      throw new ParameterException(requireSpec().commandLine(), message);
    }
  }

  private CommandSpec requireSpec() {
    if (spec == null) {
      throw new IllegalStateException("picocli injects the spec before call()");
    }
    return spec;
  }

  /** The given Redis, or a private redis-server when one is on the PATH, or none. */
  private @Nullable String redisAddress(List<AutoCloseable> cleanup) {
    if (redis != null) {
      return redis;
    }
    if (findOnPath("redis-server").isEmpty()) {
      return null;
    }
    RedisServer server = RedisServer.start();
    cleanup.add(server);
    return server.address();
  }

  /**
   * Looked up here rather than left to {@link RedisServer#start}, which without a local
   * redis-server tries Docker through Testcontainers: the demo shows the database rows instead and
   * says how to add the Redis ones.
   */
  static Optional<Path> findOnPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, executable))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private DemoRun.Progress progress(Strategy strategy) {
    if (!onTerminal()) {
      // progressbar writes ANSI escapes even into pipes and files.
      return DemoRun.QUIET;
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(String.format(Locale.ROOT, "%-32s", strategy.label()))
            .setInitialMax(orders)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(100)
            .hideEta()
            .build();
    return new DemoRun.Progress() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /**
   * Whether standard output is a terminal. Before JDK 22 a console exists only then; from JDK 22 on
   * one always exists, and its {@code isTerminal()}, absent from JDK 17, tells.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() where it exists
  static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException beforeJdk22) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  static String notes(List<StrategyResult> results, int instances, boolean noRedis) {
    StringBuilder notes = new StringBuilder("\n");
    for (StrategyResult result : results) {
      if (!result.balanced()) {
        notes.append(
            String.format(
                Locale.ROOT,
                "%s: sold %d + left %d = %d units of %d: concurrent orders read the same stock and"
                    + " sold it twice.%n",
                result.strategy().label(),
                result.unitsSold(),
                result.unitsLeft(),
                result.unitsSold() + result.unitsLeft(),
                result.initialStock() * result.left().size()));
      }
      if (result.tally().failed() > 0) {
        notes.append(
            String.format(
                Locale.ROOT,
                "%s: failed orders by cause: %s%n",
                result.strategy().label(),
                result.tally().failures()));
      }
    }
    ratio(results, Strategy.HOLDFAST, Strategy.MULTI_LOCK)
        .ifPresent(
            ratio ->
                notes.append(
                    String.format(
                        Locale.ROOT,
                        "Holdfast lock: %.2fx the orders/s of RedissonMultiLock, the same orders in this"
                            + " run.%n",
                        ratio)));
    if (instances > 1) {
      notes.append(
          "A JVM lock excludes only within its instance: with "
              + instances
              + " instances it is expected to oversell, and the JVM provider's fencing tokens"
              + " order nothing across instances, so its writes are unfenced.\n");
    }
    if (noRedis) {
      notes.append(
          "No Redis rows: no redis-server on the PATH. Install Redis (Debian/Ubuntu: apt-get"
              + " install redis-server) or pass --redis redis://host:port to add the Holdfast,"
              + " RedissonMultiLock and Redis-held stock rows.\n");
    }
    return notes.toString();
  }

  private static Optional<Double> ratio(
      List<StrategyResult> results, Strategy numerator, Strategy denominator) {
    Optional<StrategyResult> top =
        results.stream().filter(r -> r.strategy() == numerator).findFirst();
    Optional<StrategyResult> bottom =
        results.stream().filter(r -> r.strategy() == denominator).findFirst();
    if (top.isEmpty() || bottom.isEmpty() || bottom.get().ordersPerSecond() == 0) {
      return Optional.empty();
    }
    return Optional.of(top.get().ordersPerSecond() / bottom.get().ordersPerSecond());
  }
}
