package dev.holdfast.lock.compat.redisson3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.redisson.RedissonLockProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Redisson class member lock-redisson's compiled classes refer to links on this line, also
 * those that only a path no test here takes (a rare failure branch) would reach: a member renamed
 * between Redisson 3 and 4 fails this test by name instead of a lock call in production with a
 * {@code NoSuchFieldError} or {@code NoSuchMethodError}.
 */
final class RedissonReferencesTest {

  @Test
  void everyRedissonMemberTheBackendRefersToExistsInRedisson3() throws Exception {
    List<MemberReference> references = redissonReferencesOfTheBackend();
    List<String> unresolved = new ArrayList<>();

    for (MemberReference reference : references) {
      try {
        reference.resolve(getClass().getClassLoader());
      } catch (ReflectiveOperationException | RuntimeException | LinkageError missing) {
        unresolved.add(reference + " (" + missing + ")");
      }
    }

    assertThat(references)
        .as("the scripts' call, so that an empty scan cannot pass")
        .anyMatch(reference -> reference.name().equals("evalShaAsync"));
    assertThat(unresolved).isEmpty();
  }

  private static List<MemberReference> redissonReferencesOfTheBackend()
      throws IOException, URISyntaxException {
    Path location =
        Path.of(
            RedissonLockProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // lock-redisson's jar in a full build, its classes directory when Maven stops before package.
    if (Files.isDirectory(location)) {
      return redissonReferencesUnder(location);
    }
    try (FileSystem jar = FileSystems.newFileSystem(location)) {
      return redissonReferencesUnder(jar.getPath("/"));
    }
  }

  private static List<MemberReference> redissonReferencesUnder(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .flatMap(file -> referencesIn(file).stream())
          .filter(reference -> reference.owner().startsWith("org/redisson/"))
          .distinct()
          .toList();
    }
  }

  private static List<MemberReference> referencesIn(Path classFile) {
    try {
      return MemberReference.in(Files.readAllBytes(classFile));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + classFile, e);
    }
  }
}
