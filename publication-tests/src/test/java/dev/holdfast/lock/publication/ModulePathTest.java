package dev.holdfast.lock.publication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.LockTemplate;
import dev.holdfast.lock.inmemory.InMemoryLockProvider;
import dev.holdfast.lock.jdbc.JdbcLockProvider;
import dev.holdfast.lock.redisson.RedissonLockProvider;
import dev.holdfast.lock.testkit.LockProviderContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Opens;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.assertj.core.api.Assertions;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.commons.util.ReflectionUtils;
import org.opentest4j.AssertionFailedError;
import org.slf4j.Logger;

/**
 * The published jars as JPMS modules: each exports its API packages and nothing else, their
 * requirements resolve on a module path, and a consumer module compiled and run with {@code
 * --module-path} uses the API but cannot reach into the implementation.
 */
final class ModulePathTest {

  private static final Path LOCK_API = jarOf(LockTemplate.class);
  private static final Path LOCK_INMEMORY = jarOf(InMemoryLockProvider.class);
  private static final Path LOCK_TESTKIT = jarOf(LockProviderContract.class);

  /** The Holdfast modules and what they need at run time. */
  private static final List<Path> MODULE_PATH =
      List.of(
          LOCK_API,
          LOCK_INMEMORY,
          LOCK_TESTKIT,
          jarOf(Logger.class),
          jarOf(NullMarked.class),
          jarOf(Test.class),
          jarOf(ReflectionUtils.class),
          jarOf(AssertionFailedError.class),
          jarOf(org.apiguardian.api.API.class),
          jarOf(Assertions.class));

  @Test
  void lockApiExportsTheApiTheSpiAndTheMicrometerListener() {
    ModuleDescriptor module = descriptorOf(LOCK_API);

    assertThat(module.name()).isEqualTo("dev.holdfast.lock");
    assertThat(module.isAutomatic()).isFalse();
    assertThat(exports(module))
        .containsOnlyKeys(
            "dev.holdfast.lock", "dev.holdfast.lock.spi", "dev.holdfast.lock.micrometer")
        .allSatisfy((pkg, targets) -> assertThat(targets).as(pkg + " to everyone").isEmpty());
    assertThat(module.opens()).isEmpty();
  }

  @Test
  void lockApiNeedsMicrometerAndJspecifyOnlyToCompile() {
    ModuleDescriptor module = descriptorOf(LOCK_API);

    assertThat(requirement(module, "micrometer.core"))
        .containsExactly(ModuleDescriptor.Requires.Modifier.STATIC);
    assertThat(requirement(module, "micrometer.observation"))
        .containsExactly(ModuleDescriptor.Requires.Modifier.STATIC);
    assertThat(requirement(module, "org.jspecify"))
        .containsExactlyInAnyOrder(
            ModuleDescriptor.Requires.Modifier.STATIC,
            ModuleDescriptor.Requires.Modifier.TRANSITIVE);
    assertThat(requirement(module, "org.slf4j")).isEmpty();
  }

  @Test
  void lockInmemoryExportsItsOnePackageAndPassesTheApiOn() {
    ModuleDescriptor module = descriptorOf(LOCK_INMEMORY);

    assertThat(module.name()).isEqualTo("dev.holdfast.lock.inmemory");
    assertThat(exports(module)).containsOnlyKeys("dev.holdfast.lock.inmemory");
    assertThat(module.opens()).isEmpty();
    assertThat(requirement(module, "dev.holdfast.lock"))
        .containsExactly(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
  }

  @Test
  void lockTestkitExportsTheContractAndOpensItToJunitOnly() {
    ModuleDescriptor module = descriptorOf(LOCK_TESTKIT);

    assertThat(module.name()).isEqualTo("dev.holdfast.lock.testkit");
    assertThat(exports(module)).containsOnlyKeys("dev.holdfast.lock.testkit");
    assertThat(module.opens())
        .extracting(Opens::source, Opens::targets)
        .containsExactly(
            Assertions.tuple("dev.holdfast.lock.testkit", Set.of("org.junit.platform.commons")));
  }

  @Test
  void lockRedissonStaysAnAutomaticModuleWithAStableName() {
    ModuleDescriptor module = descriptorOf(jarOf(RedissonLockProvider.class));

    assertThat(module.isAutomatic()).isTrue();
    assertThat(module.name()).isEqualTo("dev.holdfast.lock.redisson");
  }

  @Test
  void lockJdbcIsAnAutomaticModuleWithAStableName() {
    ModuleDescriptor module = descriptorOf(jarOf(JdbcLockProvider.class));

    assertThat(module.isAutomatic()).isTrue();
    assertThat(module.name()).isEqualTo("dev.holdfast.lock.jdbc");
  }

  @Test
  void theModulesResolveOnAModulePath() {
    ModuleFinder finder = ModuleFinder.of(MODULE_PATH.toArray(Path[]::new));

    Configuration configuration =
        Configuration.resolve(
            finder,
            List.of(ModuleLayer.boot().configuration()),
            ModuleFinder.of(),
            Set.of("dev.holdfast.lock.inmemory", "dev.holdfast.lock.testkit"));

    assertThat(configuration.modules())
        .extracting(ResolvedModule::name)
        .contains(
            "dev.holdfast.lock",
            "dev.holdfast.lock.inmemory",
            "dev.holdfast.lock.testkit",
            "org.slf4j",
            "org.junit.jupiter.api",
            "org.assertj.core");
  }

  @Test
  void aConsumerModuleUsesTheApiButCannotReachIntoTheImplementation(@TempDir Path work)
      throws IOException, InterruptedException {
    Path sources = work.resolve("src");
    write(sources.resolve("module-info.java"), CONSUMER_MODULE);
    write(sources.resolve("consumer/Main.java"), CONSUMER_MAIN);
    String modulePath = modulePath(MODULE_PATH);

    String compiled =
        compile(
            "--release",
            "17",
            "-Xlint:all",
            "-Werror",
            "--module-path",
            modulePath,
            "-d",
            work.resolve("classes").toString(),
            sources.resolve("module-info.java").toString(),
            sources.resolve("consumer/Main.java").toString());
    Run run =
        java(
            "--module-path",
            modulePath + java.io.File.pathSeparator + work.resolve("classes"),
            "--module",
            "holdfast.consumer/consumer.Main");

    assertThat(compiled).isEmpty();
    assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
    assertThat(run.output().lines())
        .containsExactly(
            "held a and b, fencing token of a: 1",
            "listener metric: holdfast.lock.wait",
            "dev.holdfast.lock.DefaultLockTemplate: InaccessibleObjectException",
            "dev.holdfast.lock.inmemory.InMemoryLockProvider$KeyLock: InaccessibleObjectException");
  }

  @Test
  void aConsumerModuleCannotUseAPackageItsModuleDoesNotRequire(@TempDir Path work)
      throws IOException {
    Path sources = work.resolve("src");
    write(
        sources.resolve("module-info.java"),
        "module holdfast.consumer { requires dev.holdfast.lock; }");
    write(
        sources.resolve("consumer/Main.java"),
        "package consumer; public class Main { dev.holdfast.lock.inmemory.InMemoryLockProvider p; }");

    String compiled =
        compile(
            "--release",
            "17",
            "--module-path",
            modulePath(MODULE_PATH),
            "-d",
            work.resolve("classes").toString(),
            sources.resolve("module-info.java").toString(),
            sources.resolve("consumer/Main.java").toString());

    assertThat(compiled).contains("package dev.holdfast.lock.inmemory is not visible");
  }

  private static final String CONSUMER_MODULE =
      """
      module holdfast.consumer {
        requires dev.holdfast.lock.inmemory;
      }
      """;

  /**
   * Locks two keys through the API, names a constant of the micrometer package (compiles only if
   * that package is exported), then tries what the classpath would allow: deep reflection into a
   * package-private class of lock-api and a private class of lock-inmemory.
   */
  private static final String CONSUMER_MAIN =
      """
      package consumer;

      import dev.holdfast.lock.LockTemplate;
      import dev.holdfast.lock.inmemory.InMemoryLockProvider;
      import dev.holdfast.lock.micrometer.MicrometerLockListener;
      import dev.holdfast.lock.spi.LockProvider;
      import java.time.Duration;
      import java.util.List;

      public final class Main {
        private Main() {}

        public static void main(String[] args) throws Exception {
          LockProvider provider = InMemoryLockProvider.create();
          LockTemplate locks = LockTemplate.of(provider);
          long token =
              locks.executeWithLocks(
                  List.of("b", "a"),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(10),
                  held -> held.fencingToken("a").orElseThrow());
          System.out.println("held a and b, fencing token of a: " + token);
          System.out.println("listener metric: " + MicrometerLockListener.WAIT);
          reachInto("dev.holdfast.lock.DefaultLockTemplate");
          reachInto("dev.holdfast.lock.inmemory.InMemoryLockProvider$KeyLock");
        }

        private static void reachInto(String className) throws ClassNotFoundException {
          Class<?> type = Class.forName(className);
          try {
            type.getDeclaredConstructors()[0].setAccessible(true);
            System.out.println(className + ": accessible");
          } catch (RuntimeException e) {
            System.out.println(className + ": " + e.getClass().getSimpleName());
          }
        }
      }
      """;

  private static ModuleDescriptor descriptorOf(Path jar) {
    assertThat(jar.toString()).as("a built jar").endsWith(".jar");
    Set<java.lang.module.ModuleReference> found = ModuleFinder.of(jar).findAll();
    assertThat(found).hasSize(1);
    return found.iterator().next().descriptor();
  }

  private static Map<String, Set<String>> exports(ModuleDescriptor module) {
    return module.exports().stream().collect(Collectors.toMap(Exports::source, Exports::targets));
  }

  private static Set<ModuleDescriptor.Requires.Modifier> requirement(
      ModuleDescriptor module, String name) {
    return module.requires().stream()
        .filter(requires -> requires.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(module.name() + " does not require " + name))
        .modifiers();
  }

  private static Path jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String modulePath(List<Path> entries) {
    return entries.stream()
        .map(Path::toString)
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** Runs javac in this JVM; returns what it printed, empty when it compiled without a warning. */
  private static String compile(String... arguments) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    javac.run(null, output, output, arguments);
    return output.toString(StandardCharsets.UTF_8);
  }

  /** Runs this JDK's java launcher in a child process, at most 30 seconds. */
  private static Run java(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(arguments));
    Path errors = Files.createTempFile("consumer", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.to(errors.toFile()))
              .start();
      String output;
      try (InputStream stdout = process.getInputStream()) {
        output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the consumer did not exit: " + output);
      }
      return new Run(process.exitValue(), output, Files.readString(errors));
    } finally {
      Files.delete(errors);
    }
  }

  /** What the child process printed: standard output, and standard error apart. */
  private record Run(int exitCode, String output, String errors) {}
}
