package org.guestmem.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.guestmem.build.ModuleGraph.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module graph of the repository: no back-end module depends on another back-end module (each one can go on a
 * class path alone), and the DMA back-ends reach the kernel through linux-uapi. Read from the sources, so it holds
 * whatever the build order.
 */
class BackEndIndependenceTest {

  private static ModuleGraph repository() throws Exception {
    return ModuleGraph.read(ModuleGraph.repositoryRoot(Path.of("")));
  }

  private static Map<String, Module> byDirectory(ModuleGraph graph) {
    return graph.modules().stream().collect(Collectors.toMap(Module::directory, Function.identity()));
  }

  @Test
  void noBackEndDependsOnAnotherBackEnd() throws Exception {
    ModuleGraph graph = repository();
    List<String> backEnds = graph.modules().stream().filter(Module::isBackEnd).map(Module::directory).toList();
    assertTrue(backEnds.containsAll(
        List.of("backend-bitmap", "backend-intervaltree", "backend-vfio-type1", "backend-iommufd")),
        "the back-ends are recognised by their provides clauses: " + backEnds);
    assertEquals(List.of(), graph.backEndCoupling(), "back-end modules depending on other back-end modules");
  }

  @Test
  void bothDmaBackEndsReachTheKernelThroughLinuxUapi() throws Exception {
    Map<String, Module> modules = byDirectory(repository());
    Module uapi = modules.get("linux-uapi");
    assertTrue(!uapi.isBackEnd(), "linux-uapi provides no back-end: " + uapi.provides());
    for (String dma : List.of("backend-vfio-type1", "backend-iommufd")) {
      Module m = modules.get(dma);
      assertTrue(m.requires().contains(uapi.moduleName()), dma + " requires " + m.requires());
      assertTrue(m.dependencies().stream().anyMatch(d -> d.artifactId().equals(uapi.artifactId())
          && d.scope().equals("compile")), dma + " depends on " + m.dependencies());
    }
  }

  @Test
  void everyRequiresAndEveryScopeIsReportedButNotDependenciesOnOtherModules(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("pom.xml"), "<project><artifactId>parent</artifactId><modules>"
        + "<module>dma-a</module><module>dma-b</module><module>store-c</module><module>util</module>"
        + "</modules></project>");
    module(root, "dma-a", "module x.a { requires x.b; requires transitive x.util; // requires x.c;\n"
        + " provides org.guestmem.spi.DmaBackendProvider with x.a.P; }",
        "<dependency><artifactId>dma-b</artifactId><scope>runtime</scope></dependency>"
            + "<dependency><artifactId>store-c</artifactId><scope>test</scope></dependency>"
            + "<dependency><artifactId>util</artifactId></dependency>");
    module(root, "dma-b", "module x.b { provides org.guestmem.spi.DmaBackendProvider with x.b.P; }",
        "<dependency><artifactId>dma-a</artifactId><type>test-jar</type><scope>test</scope></dependency>");
    module(root, "store-c", "/* module x.z { */ module x.c { requires x.util;"
        + " provides org.guestmem.spi.StateStoreProvider with x.c.P; }", "");
    module(root, "util", "module x.util { }", "<dependency><artifactId>store-c</artifactId></dependency>");

    List<String> coupling = ModuleGraph.read(root).backEndCoupling();

    assertEquals(List.of(
        "dma-a/src/main/java/module-info.java requires x.b (back-end dma-b)",
        "dma-a/pom.xml depends on dma-b in scope runtime (back-end dma-b)",
        "dma-a/pom.xml depends on store-c in scope test (back-end store-c)",
        "dma-b/pom.xml depends on dma-a in scope test (back-end dma-a)"), coupling);
  }

  private static void module(Path root, String dir, String moduleInfo, String dependencies) throws Exception {
    Path src = Files.createDirectories(root.resolve(dir).resolve("src/main/java"));
    Files.writeString(src.resolve("module-info.java"), moduleInfo);
    Files.writeString(root.resolve(dir).resolve("pom.xml"), "<project><parent><artifactId>parent</artifactId>"
        + "</parent><artifactId>" + dir + "</artifactId><dependencies>" + dependencies + "</dependencies>"
        + "<dependencyManagement><dependencies><dependency><artifactId>dma-b</artifactId></dependency>"
        + "</dependencies></dependencyManagement></project>");
  }
}
