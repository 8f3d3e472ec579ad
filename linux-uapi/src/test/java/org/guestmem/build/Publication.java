package org.guestmem.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the reactor publishes and what the BOM pins, read from the poms: every module's jar unless its pom sets
 * {@code maven.deploy.skip} or it is the BOM itself, plus a test-jar for every module whose pom runs the jar plugin's
 * {@code test-jar} goal. Each artifact is named {@code artifactId:type}.
 */
final class Publication {
  static final String BOM_DIRECTORY = "bom";

  private Publication() {}

  /** The artifacts the modules of {@code root/pom.xml} deploy. */
  static Set<String> published(Path root) throws Exception {
    Set<String> found = new TreeSet<>();
    for (Element m : ModuleGraph.children(ModuleGraph.child(ModuleGraph.pom(root.resolve("pom.xml")), "modules"),
        "module")) {
      String directory = m.getTextContent().trim();
      Element pom = ModuleGraph.pom(root.resolve(directory).resolve("pom.xml"));
      Element properties = ModuleGraph.child(pom, "properties");
      Element deploySkip = properties == null ? null : ModuleGraph.child(properties, "maven.deploy.skip");
      if (directory.equals(BOM_DIRECTORY) || deploySkip != null && deploySkip.getTextContent().trim().equals("true")) {
        continue;
      }
      String artifactId = ModuleGraph.text(pom, "artifactId");
      found.add(artifactId + ":jar");
      NodeList goals = pom.getElementsByTagName("goal");
      for (int i = 0; i < goals.getLength(); i++) {
        if (goals.item(i).getTextContent().trim().equals("test-jar")) {
          found.add(artifactId + ":test-jar");
        }
      }
    }
    return found;
  }

  /** The artifacts {@code root/bom/pom.xml} manages. */
  static Set<String> managedByBom(Path root) throws Exception {
    Set<String> found = new TreeSet<>();
    for (Element d : bomDependencies(root)) {
      Element type = ModuleGraph.child(d, "type");
      found.add(ModuleGraph.text(d, "artifactId") + ":" + (type == null ? "jar" : type.getTextContent().trim()));
    }
    return found;
  }

  /**
   * Every way the BOM's entries or header differ from what users need: another group, a version other than the
   * BOM's own, a scope (a BOM must not impose one), or a parent (whose dependency management it would export).
   */
  static List<String> bomProblems(Path root) throws Exception {
    List<String> problems = new ArrayList<>();
    Element bom = ModuleGraph.pom(root.resolve(BOM_DIRECTORY).resolve("pom.xml"));
    if (ModuleGraph.child(bom, "parent") != null) {
      problems.add("the BOM has a parent, whose dependencyManagement users would import with it");
    }
    String parentVersion = version(root.resolve("pom.xml"));
    if (!ModuleGraph.text(bom, "version").equals(parentVersion)) {
      problems.add("the BOM's version " + ModuleGraph.text(bom, "version") + " is not the reactor's " + parentVersion);
    }
    for (Element d : bomDependencies(root)) {
      String name = ModuleGraph.text(d, "artifactId");
      if (!ModuleGraph.text(d, "groupId").equals("org.guestmem")) {
        problems.add(name + ": group " + ModuleGraph.text(d, "groupId") + " is not guestmem's");
      }
      if (!ModuleGraph.text(d, "version").equals("${project.version}")) {
        problems.add(name + ": version " + ModuleGraph.text(d, "version") + " is not ${project.version}");
      }
      if (ModuleGraph.child(d, "scope") != null) {
        problems.add(name + ": a scope (" + ModuleGraph.text(d, "scope") + ") in a BOM");
      }
    }
    return problems;
  }

  /** The {@code <version>} of the pom at {@code path}. */
  static String version(Path path) throws Exception {
    return ModuleGraph.text(ModuleGraph.pom(path), "version");
  }

  /** The value of property {@code name} in the pom at {@code path}, or null. */
  static String property(Path path, String name) throws Exception {
    if (!Files.exists(path)) {
      return null;
    }
    Element properties = ModuleGraph.child(ModuleGraph.pom(path), "properties");
    Element p = properties == null ? null : ModuleGraph.child(properties, name);
    return p == null ? null : p.getTextContent().trim();
  }

  private static List<Element> bomDependencies(Path root) throws Exception {
    Element bom = ModuleGraph.pom(root.resolve(BOM_DIRECTORY).resolve("pom.xml"));
    return ModuleGraph.children(ModuleGraph.child(ModuleGraph.child(bom, "dependencyManagement"), "dependencies"),
        "dependency");
  }
}
