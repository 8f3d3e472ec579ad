package org.guestmem.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BOM pins exactly what the reactor publishes, at the reactor's version, so that a user who imports it gets every
 * guestmem artifact (the conformance kits included) at one version and nothing else; the example third-party project
 * builds against that same version.
 */
class BomTest {

  private static Path root() throws Exception {
    return ModuleGraph.repositoryRoot(Path.of(""));
  }

  @Test
  void theBomManagesEveryPublishedArtifactAndNothingElse() throws Exception {
    Path root = root();
    Set<String> published = Publication.published(root);
    assertEquals(Set.of("guestmem-core:jar", "guestmem-core:test-jar", "guestmem-linux-uapi:jar",
        "guestmem-linux-uapi:test-jar", "guestmem-backend-bitmap:jar", "guestmem-backend-intervaltree:jar",
        "guestmem-backend-vfio-type1:jar", "guestmem-backend-iommufd:jar", "guestmem-backend-kvm:jar"), published,
        "the published artifacts, as the poms say (benchmarks is not published)");
    assertEquals(published, Publication.managedByBom(root), "bom/pom.xml against the reactor");
    assertEquals(List.of(), Publication.bomProblems(root));
  }

  @Test
  void theExampleProjectBuildsAgainstTheReactorsVersion() throws Exception {
    Path root = root();
    assertEquals(Publication.version(root.resolve("pom.xml")),
        Publication.property(root.resolve("examples/third-party-backend/pom.xml"), "guestmem.version"),
        "examples/third-party-backend/pom.xml's guestmem.version");
  }

  @Test
  void aModuleMissingFromTheBomAndABadEntryAreFound(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("pom.xml"), "<project><artifactId>parent</artifactId><version>2.0</version>"
        + "<modules><module>bom</module><module>lib</module><module>kit</module><module>tools</module></modules>"
        + "</project>");
    pom(root, "bom", "<parent><artifactId>parent</artifactId></parent><artifactId>x-bom</artifactId><version>1.9</version><dependencyManagement><dependencies>"
        + "<dependency><groupId>org.guestmem</groupId><artifactId>x-lib</artifactId>"
        + "<version>${project.version}</version><scope>test</scope></dependency>"
        + "<dependency><groupId>org.other</groupId><artifactId>x-kit</artifactId><version>1.9</version></dependency>"
        + "</dependencies></dependencyManagement>");
    pom(root, "lib", "<parent><artifactId>parent</artifactId></parent><artifactId>x-lib</artifactId>");
    pom(root, "kit", "<artifactId>x-kit</artifactId><build><plugins><plugin><executions><execution><goals>"
        + "<goal>test-jar</goal></goals></execution></executions></plugin></plugins></build>");
    pom(root, "tools", "<artifactId>x-tools</artifactId><properties><maven.deploy.skip>true</maven.deploy.skip>"
        + "</properties>");

    assertEquals(Set.of("x-lib:jar", "x-kit:jar", "x-kit:test-jar"), Publication.published(root));
    assertEquals(Set.of("x-lib:jar", "x-kit:jar"), Publication.managedByBom(root));
    assertEquals(List.of("the BOM has a parent, whose dependencyManagement users would import with it",
        "the BOM's version 1.9 is not the reactor's 2.0",
        "x-lib: a scope (test) in a BOM",
        "x-kit: group org.other is not guestmem's",
        "x-kit: version 1.9 is not ${project.version}"), Publication.bomProblems(root));
  }

  private static void pom(Path root, String dir, String body) throws Exception {
    Files.createDirectories(root.resolve(dir));
    Files.writeString(root.resolve(dir).resolve("pom.xml"), "<project>" + body + "</project>");
  }
}
