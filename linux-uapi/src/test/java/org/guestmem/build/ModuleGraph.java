package org.guestmem.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The reactor's modules as their sources declare them: the parent {@code pom.xml}'s {@code <modules>}, each module's
 * direct {@code <dependencies>} and its {@code module-info.java}. A back-end is a module that {@code provides} an
 * {@code org.guestmem.spi} provider; {@link #backEndCoupling()} lists every way one back-end depends on another.
 */
final class ModuleGraph {
  private static final String SPI = "org.guestmem.spi.";

  /** One direct dependency of a module's pom; {@code scope} is {@code compile} when the pom names none. */
  record Dependency(String artifactId, String scope) {}

  /** One reactor module: its directory, artifactId, pom dependencies and module descriptor (null names: none). */
  record Module(String directory, String artifactId, List<Dependency> dependencies, String moduleName,
      Set<String> requires, Set<String> provides) {

    boolean isBackEnd() {
      return provides.stream().anyMatch(p -> p.startsWith(SPI));
    }
  }

  private final List<Module> modules;

  private ModuleGraph(List<Module> modules) {
    this.modules = List.copyOf(modules);
  }

  /** Reads the reactor whose parent pom is {@code root/pom.xml}. */
  static ModuleGraph read(Path root) throws Exception {
    List<Module> modules = new ArrayList<>();
    for (Element m : children(child(pom(root.resolve("pom.xml")), "modules"), "module")) {
      Path dir = root.resolve(m.getTextContent().trim());
      Element pom = pom(dir.resolve("pom.xml"));
      List<Dependency> dependencies = new ArrayList<>();
      for (Element d : children(child(pom, "dependencies"), "dependency")) {
        Element scope = child(d, "scope");
        dependencies.add(new Dependency(text(d, "artifactId"), scope == null ? "compile" : scope.getTextContent()));
      }
      Path descriptor = dir.resolve("src/main/java/module-info.java");
      String source = Files.exists(descriptor) ? withoutComments(Files.readString(descriptor)) : "";
      List<String> name = all(source, "\\bmodule\\s+([\\w.]+)\\s*\\{");
      modules.add(new Module(dir.getFileName().toString(), text(pom, "artifactId"), dependencies,
          name.isEmpty() ? null : name.get(0),
          new LinkedHashSet<>(all(source, "\\brequires\\s+(?:(?:transitive|static)\\s+)*([\\w.]+)\\s*;")),
          new LinkedHashSet<>(all(source, "\\bprovides\\s+([\\w.]+)\\s+with\\b"))));
    }
    return new ModuleGraph(modules);
  }

  /** The modules in the parent pom's order. */
  List<Module> modules() {
    return modules;
  }

  /**
   * Every dependency of a back-end on another back-end, one line each: a {@code requires} in its module descriptor,
   * or a pom dependency in any scope (a test-jar or a test fixture would put the other back-end on the test class
   * path all the same).
   */
  List<String> backEndCoupling() {
    Map<String, Module> byArtifact = index(Module::artifactId);
    Map<String, Module> byModuleName = index(Module::moduleName);
    List<String> found = new ArrayList<>();
    for (Module m : modules) {
      if (!m.isBackEnd()) {
        continue;
      }
      for (String required : m.requires()) {
        Module other = byModuleName.get(required);
        if (other != null && other != m && other.isBackEnd()) {
          found.add(m.directory() + "/src/main/java/module-info.java requires " + required + " (back-end "
              + other.directory() + ")");
        }
      }
      for (Dependency d : m.dependencies()) {
        Module other = byArtifact.get(d.artifactId());
        if (other != null && other != m && other.isBackEnd()) {
          found.add(m.directory() + "/pom.xml depends on " + d.artifactId() + " in scope " + d.scope()
              + " (back-end " + other.directory() + ")");
        }
      }
    }
    return found;
  }

  private Map<String, Module> index(Function<Module, String> key) {
    return modules.stream().filter(m -> key.apply(m) != null)
        .collect(Collectors.toMap(key, m -> m, (a, b) -> a));
  }

  static Element pom(Path path) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(path.toFile()).getDocumentElement();
  }

  /** The first direct child element named {@code name}, or null. */
  static Element child(Element parent, String name) {
    List<Element> all = children(parent, name);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The direct child elements named {@code name} (none when {@code parent} is null). */
  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    if (parent == null) {
      return found;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  static String text(Element parent, String name) {
    Element e = child(parent, name);
    if (e == null) {
      throw new IllegalArgumentException("<" + parent.getTagName() + "> has no <" + name + ">");
    }
    return e.getTextContent().trim();
  }

  private static String withoutComments(String java) {
    return java.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
  }

  private static List<String> all(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** The repository root: the nearest directory at or above {@code start} whose pom lists {@code <modules>}. */
  static Path repositoryRoot(Path start) throws IOException {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.exists(pom) && Files.readString(pom).contains("<modules>")) {
        return dir;
      }
    }
    throw new IllegalStateException("no pom.xml with <modules> at or above " + start.toAbsolutePath());
  }
}
