package org.guestmem.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native peers replay the same operations as the Java stores: after a seeded random stream and after a workload's
 * conversions, every peer ends with the same maximal runs (hash and count) and its queries and iterations return the
 * same checksums as the interval store. (The data sets, 2^32 blocks each, are left to {@code guestmem peers}, which
 * checks the same on every stream it runs.) Needs gcc, make, liburcu-dev and an unpacked kernel source (from
 * it/real-kernel/kernel-source.sh, found in $GUESTMEM_CACHE or /var/cache/guestmem, or named by
 * GUESTMEM_KERNEL_SOURCE); skipped with the reason otherwise: this test never fetches the source.
 */
class NativePeersTest {
  @TempDir
  static Path work;

  static NativePeers peers;

  @BeforeAll
  static void build() throws IOException, InterruptedException {
    Path source = source();
    Assumptions.assumeTrue(source != null, "no unpacked kernel source (run it/real-kernel/kernel-source.sh)");
    Path repo = Path.of("..").toAbsolutePath().normalize();
    NativePeers.Prepared p = NativePeers.prepare(repo, work.resolve("native"), source);
    Assumptions.assumeTrue(p.missing() == null || !p.missing().contains("not installed"), p.missing());
    assertNull(p.missing(), "the native peers did not build");
    peers = p.peers();
  }

  static Path source() throws IOException {
    String given = System.getenv("GUESTMEM_KERNEL_SOURCE");
    if (given != null) {
      return Path.of(given);
    }
    Path cache = Path.of(System.getenv().getOrDefault("GUESTMEM_CACHE", "/var/cache/guestmem"));
    if (!Files.isDirectory(cache)) {
      return null;
    }
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(p -> p.getFileName().toString().startsWith("source-") && p.toString().endsWith(".complete"))
          .map(p -> Path.of(p.toString().substring(0, p.toString().length() - ".complete".length())))
          .filter(Files::isDirectory).sorted().reduce((a, b) -> b).orElse(null);
    }
  }

  private void sameAsJava(PeerStream stream, String what) throws IOException, InterruptedException {
    Path file = work.resolve("t.stream");
    stream.write(file);
    PeerResult java = new JavaPeer("intervaltree").run(stream, 0, 1);
    for (String name : NativePeers.PEERS) {
      PeerResult r = peers.run(name, file, 0, 1);
      assertEquals(java.runs(), r.runs(), name + " runs after " + what);
      assertEquals(java.finalHash(), r.finalHash(), name + " final runs after " + what);
      for (PhaseKind k : List.of(PhaseKind.QUERY, PhaseKind.ITERATE)) {
        if (stream.phase(k) != null) {
          assertEquals(java.checksums().get(k), r.checksums().get(k), name + " " + k + " checksum after " + what);
        }
      }
    }
  }

  @Test
  void seededRandomStreamsEndTheSame() throws IOException, InterruptedException {
    for (long seed = 1; seed <= 4; seed++) {
      sameAsJava(PeerStreamTest.random(seed, seed % 2 == 0 ? 1 << 20 : 5_000, 2_000), "random stream, seed " + seed);
    }
  }

  @Test
  void workloadConversionsEndTheSame() throws IOException, InterruptedException {
    sameAsJava(PeerStreams.of("dynamic-dma", 1L << 30, 3, 5_000), "dynamic-dma over 1 GiB");
    sameAsJava(PeerStreams.of("checkerboard", 1L << 30, 3, 0), "checkerboard over 1 GiB");
  }
}
