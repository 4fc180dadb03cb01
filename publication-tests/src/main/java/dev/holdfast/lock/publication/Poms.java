package dev.holdfast.lock.publication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The build as its POM files declare it: the modules the reactor builds and which of them are
 * published.
 *
 * <p>A module is published unless it, or a parent it inherits from, sets the property {@code
 * maven.deploy.skip} to {@code true}: the build's one switch, which the deploy plugin reads and the
 * release profile hands to the Central publishing plugin. Modules declared inside profiles are not
 * read: the build declares none.
 */
final class Poms {

  /** One module of the reactor. */
  record Module(Path directory, String artifactId, String packaging, boolean published) {}

  private Poms() {}

  /** Every module the root POM aggregates, depth first, the aggregating POMs included. */
  static List<Module> modules(Path root) {
    List<Module> modules = new ArrayList<>();
    collect(root.toAbsolutePath().normalize(), modules);
    return modules;
  }

  /**
   * The artifact ids of the {@code dev.holdfast} dependencies a POM's dependencyManagement lists.
   */
  static List<String> managedArtifactIds(Path pom) {
    List<String> ids = new ArrayList<>();
    for (Element dependency : managedDependencies(pom)) {
      ids.add(text(dependency, "artifactId").orElseThrow());
    }
    return ids;
  }

  /** The dependency elements of a POM's dependencyManagement. */
  static List<Element> managedDependencies(Path pom) {
    return child(read(pom), "dependencyManagement")
        .flatMap(management -> child(management, "dependencies"))
        .map(dependencies -> children(dependencies, "dependency"))
        .orElse(List.of());
  }

  /** The text of a direct child element, if there is one. */
  static Optional<String> text(Element parent, String name) {
    return child(parent, name).map(element -> element.getTextContent().trim());
  }

  /** The root element of a POM file. */
  static Element read(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
  }

  private static void collect(Path directory, List<Module> modules) {
    Path pom = directory.resolve("pom.xml");
    Element project = read(pom);
    modules.add(
        new Module(
            directory,
            text(project, "artifactId").orElseThrow(),
            text(project, "packaging").orElse("jar"),
            !deploySkipped(pom)));
    child(project, "modules")
        .map(declared -> children(declared, "module"))
        .orElse(List.of())
        .forEach(module -> collect(directory.resolve(module.getTextContent().trim()), modules));
  }

  /** Whether the POM, or a parent it inherits from in this repository, skips the deploy. */
  private static boolean deploySkipped(Path pom) {
    Element project = read(pom);
    Optional<String> skip =
        child(project, "properties").flatMap(properties -> text(properties, "maven.deploy.skip"));
    if (skip.isPresent()) {
      return Boolean.parseBoolean(skip.get());
    }
    return localParent(pom, project).map(Poms::deploySkipped).orElse(false);
  }

  private static Optional<Path> localParent(Path pom, Element project) {
    Optional<Element> parent = child(project, "parent");
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    Path relative = Path.of(text(parent.get(), "relativePath").orElse("../pom.xml"));
    Path candidate = pom.resolveSibling(relative).normalize();
    Path parentPom = Files.isDirectory(candidate) ? candidate.resolve("pom.xml") : candidate;
    String artifactId = text(parent.get(), "artifactId").orElseThrow();
    boolean same =
        Files.isRegularFile(parentPom)
            && text(read(parentPom), "artifactId").orElseThrow().equals(artifactId);
    return same ? Optional.of(parentPom) : Optional.empty();
  }

  private static Optional<Element> child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }
}
