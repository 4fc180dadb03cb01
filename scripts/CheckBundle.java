import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Lists what the Central Portal would refuse in an unpacked release bundle (a Maven repository
 * layout), and where the bundle and lock-bom disagree. Run by check-artifacts.sh as
 * {@code java CheckBundle.java BUNDLE_DIRECTORY SOURCE_ROOT}; exits 1 when anything is missing.
 * Signatures are not checked: the bundle is built with signing skipped.
 */
final class CheckBundle {

  private static final String BOM = "lock-bom";
  private static final String PARENT = "holdfast-parent";
  /** The checksums Central requires next to every file; the plugin also writes SHA-256 and -512. */
  private static final List<String> CHECKSUMS = List.of("md5", "sha1");

  private static final List<String> CHECKSUM_SUFFIXES = List.of(".md5", ".sha1", ".sha256", ".sha512");

  private final List<String> problems = new ArrayList<>();
  private final Map<String, Element> poms = new TreeMap<>();
  private final Map<String, Path> directories = new TreeMap<>();

  public static void main(String[] args) throws Exception {
    CheckBundle check = new CheckBundle();
    check.run(Path.of(args[0]), Path.of(args[1]));
    if (!check.problems.isEmpty()) {
      System.out.println();
      System.out.println("MISSING (" + check.problems.size() + "):");
      check.problems.forEach(problem -> System.out.println("  " + problem));
      System.exit(1);
    }
    System.out.println();
    System.out.println("Nothing missing.");
  }

  private void run(Path bundle, Path sourceRoot) throws IOException {
    try (Stream<Path> files = Files.walk(bundle)) {
      for (Path pom : files.filter(file -> file.toString().endsWith(".pom")).toList()) {
        String artifactId = pom.getParent().getParent().getFileName().toString();
        poms.put(artifactId, read(pom));
        directories.put(artifactId, pom.getParent());
      }
    }
    for (String required : List.of(BOM, PARENT)) {
      if (!poms.containsKey(required)) {
        problems.add(required + ": not in the bundle");
      }
    }
    for (String artifactId : poms.keySet()) {
      checkModule(artifactId);
    }
    checkBom(sourceRoot);
  }

  private void checkModule(String artifactId) throws IOException {
    Element pom = poms.get(artifactId);
    Path directory = directories.get(artifactId);
    String version = directory.getFileName().toString();
    String base = artifactId + "-" + version;
    String packaging = text(pom, "packaging").orElse("jar");

    List<String> required = new ArrayList<>(List.of(base + ".pom"));
    if (!packaging.equals("pom")) {
      required.addAll(List.of(base + ".jar", base + "-sources.jar", base + "-javadoc.jar"));
    }
    List<String> present;
    try (Stream<Path> files = Files.list(directory)) {
      present = files.map(file -> file.getFileName().toString()).sorted().toList();
    }
    System.out.printf(
        "%s (%s): %s%n",
        artifactId,
        packaging,
        String.join(" ", present.stream().filter(file -> !isChecksum(file)).toList()));

    for (String file : required) {
      if (!present.contains(file)) {
        problems.add(artifactId + ": no " + file);
      }
    }
    for (String file : present) {
      if (isChecksum(file)) {
        continue;
      }
      for (String algorithm : CHECKSUMS) {
        checkChecksum(artifactId, directory.resolve(file), algorithm);
      }
    }
    // A jar with classes must come with their sources and Javadoc; one without (a starter) only
    // with the two jars Central asks for.
    if (present.contains(base + ".jar") && contains(directory.resolve(base + ".jar"), ".class")) {
      for (String[] companion : new String[][] {{"-sources.jar", ".java"}, {"-javadoc.jar", "index.html"}}) {
        Path jar = directory.resolve(base + companion[0]);
        if (Files.exists(jar) && !contains(jar, companion[1])) {
          problems.add(artifactId + ": " + jar.getFileName() + " holds no " + companion[1]);
        }
      }
    }

    for (String own : List.of("name", "description")) {
      if (text(pom, own).isEmpty()) {
        problems.add(artifactId + ": the POM has no " + own + " of its own");
      }
    }
    for (String path : List.of("url", "licenses/license/name", "developers/developer/name",
        "scm/url", "scm/connection")) {
      if (inherited(artifactId, path).isEmpty()) {
        problems.add(artifactId + ": the POM and its parents have no " + path);
      }
    }
  }

  private static boolean isChecksum(String file) {
    return CHECKSUM_SUFFIXES.stream().anyMatch(file::endsWith);
  }

  /** Every published jar module in lock-bom, and every module of this build lock-bom lists published. */
  private void checkBom(Path sourceRoot) {
    Element bom = poms.get(BOM);
    if (bom == null) {
      return;
    }
    List<String> managed = new ArrayList<>();
    for (Element dependency :
        path(bom, "dependencyManagement/dependencies").map(e -> children(e, "dependency"))
            .orElse(List.of())) {
      managed.add(text(dependency, "artifactId").orElse(""));
    }
    for (Map.Entry<String, Element> entry : poms.entrySet()) {
      boolean jar = !text(entry.getValue(), "packaging").orElse("jar").equals("pom");
      if (jar && !managed.contains(entry.getKey())) {
        problems.add(entry.getKey() + ": published but not listed in lock-bom");
      }
    }
    for (String artifactId : managed) {
      if (poms.containsKey(artifactId)) {
        continue;
      }
      if (Files.exists(sourceRoot.resolve(artifactId).resolve("pom.xml"))) {
        problems.add(artifactId + ": listed in lock-bom, built here, but not in the bundle");
      } else {
        System.out.println(artifactId + ": listed in lock-bom, not a module of this build yet");
      }
    }
  }

  private void checkChecksum(String artifactId, Path file, String algorithm) throws IOException {
    Path sum = file.resolveSibling(file.getFileName() + "." + algorithm);
    if (!Files.exists(sum)) {
      problems.add(artifactId + ": no " + sum.getFileName());
      return;
    }
    String expected = Files.readString(sum).trim().split("\\s+")[0];
    try {
      MessageDigest digest = MessageDigest.getInstance(algorithm.equals("sha1") ? "SHA-1" : "MD5");
      String actual = HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
      if (!actual.equalsIgnoreCase(expected)) {
        problems.add(artifactId + ": " + sum.getFileName() + " does not match the file");
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean contains(Path jar, String suffix) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().anyMatch(entry -> entry.getName().endsWith(suffix));
    }
  }

  /** The text at a path in the POM, or in the nearest parent in the bundle that has it. */
  private Optional<String> inherited(String artifactId, String elementPath) {
    for (Element pom = poms.get(artifactId); pom != null; ) {
      Optional<String> found = path(pom, elementPath).map(e -> e.getTextContent().trim());
      if (found.isPresent() && !found.get().isEmpty()) {
        return found;
      }
      pom = path(pom, "parent/artifactId").map(e -> poms.get(e.getTextContent().trim())).orElse(null);
    }
    return Optional.empty();
  }

  private static Optional<Element> path(Element start, String elementPath) {
    Optional<Element> current = Optional.of(start);
    for (String name : elementPath.split("/")) {
      current = current.flatMap(element -> children(element, name).stream().findFirst());
    }
    return current;
  }

  private static Optional<String> text(Element parent, String name) {
    return path(parent, name).map(element -> element.getTextContent().trim());
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

  private static Element read(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom, e);
    }
  }
}
