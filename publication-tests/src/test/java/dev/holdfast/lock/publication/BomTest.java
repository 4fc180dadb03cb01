package dev.holdfast.lock.publication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.lock.publication.Poms.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** lock-bom: every published module at the project's version, and nothing from anyone else. */
final class BomTest {

  private static final Path ROOT = Path.of("..");
  private static final Path BOM = ROOT.resolve("lock-bom/pom.xml");

  @Test
  void listsEveryPublishedModule() {
    List<Module> modules = Poms.modules(ROOT);

    List<String> missing = missingFromBom(modules, Poms.managedArtifactIds(BOM));

    assertThat(missing).as("published modules missing from lock-bom").isEmpty();
  }

  @Test
  void seesTheLibraryModulesAsPublishedAndTheExamplesAsNot() {
    List<Module> modules = Poms.modules(ROOT);

    assertThat(artifactIds(modules, true))
        .contains("lock-api", "lock-inmemory", "lock-testkit", "lock-redisson", "lock-jdbc");
    assertThat(artifactIds(modules, false))
        .contains("publication-tests", "inventory", "oversell-demo", "holdfast-benchmarks");
  }

  @Test
  void managesOnlyHoldfastArtifactsAtTheProjectVersion() {
    List<Element> dependencies = Poms.managedDependencies(BOM);

    assertThat(dependencies).isNotEmpty();
    assertThat(dependencies)
        .allSatisfy(
            dependency -> {
              assertThat(Poms.text(dependency, "groupId")).contains("dev.holdfast");
              assertThat(Poms.text(dependency, "version")).contains("${project.version}");
              assertThat(Poms.text(dependency, "scope")).isEmpty();
            });
  }

  @Test
  void inheritsNoDependencyManagement() {
    Element bom = Poms.read(BOM);

    assertThat(bom.getElementsByTagName("parent").getLength()).isZero();
  }

  @Test
  void reportsAPublishedModuleTheBomLeavesOut(@TempDir Path root) throws IOException {
    pom(
        root,
        "<artifactId>root</artifactId><packaging>pom</packaging>"
            + "<modules><module>bom</module><module>lib</module><module>demos</module></modules>");
    pom(root.resolve("bom"), "<artifactId>bom</artifactId><packaging>pom</packaging>");
    pom(
        root.resolve("lib"),
        "<parent><artifactId>root</artifactId></parent><artifactId>lib</artifactId>");
    pom(
        root.resolve("demos"),
        "<parent><artifactId>root</artifactId></parent>"
            + "<artifactId>demos</artifactId><packaging>pom</packaging>"
            + "<properties><maven.deploy.skip>true</maven.deploy.skip></properties>"
            + "<modules><module>demo</module></modules>");
    pom(
        root.resolve("demos/demo"),
        "<parent><artifactId>demos</artifactId></parent><artifactId>demo</artifactId>");

    List<String> missing = missingFromBom(Poms.modules(root), List.of());

    assertThat(missing).containsExactly("lib");
  }

  /** Published modules that ship a jar and that the BOM does not list. */
  private static List<String> missingFromBom(List<Module> modules, List<String> managed) {
    return modules.stream()
        .filter(module -> module.published() && !module.packaging().equals("pom"))
        .map(Module::artifactId)
        .filter(artifactId -> !managed.contains(artifactId))
        .collect(Collectors.toList());
  }

  private static List<String> artifactIds(List<Module> modules, boolean published) {
    return modules.stream()
        .filter(module -> module.published() == published)
        .map(Module::artifactId)
        .collect(Collectors.toList());
  }

  private static void pom(Path directory, String content) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve("pom.xml"), "<project>" + content + "</project>");
  }
}
