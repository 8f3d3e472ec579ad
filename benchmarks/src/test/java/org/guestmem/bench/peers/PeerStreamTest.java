package org.guestmem.bench.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerStreamTest {
  @TempDir
  Path dir;

  /** A seeded stream with every phase kind: sets anywhere, queries, iterations. */
  static PeerStream random(long seed, long blocks, int ops) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] fill = sets(rnd, blocks, ops);
    long[] set = sets(rnd, blocks, ops);
    long[] query = new long[ops * 3];
    long[] iterate = new long[ops * 3];
    for (int i = 0; i < ops; i++) {
      query[3 * i] = rnd.nextLong(blocks - 1);
      query[3 * i + 1] = query[3 * i] + 1 + rnd.nextLong(blocks - query[3 * i]);
      iterate[3 * i] = rnd.nextLong(blocks);
      iterate[3 * i + 1] = 1 + rnd.nextInt(100);
    }
    return new PeerStream(blocks, List.of(new PeerStream.Phase(PhaseKind.FILL, fill),
        new PeerStream.Phase(PhaseKind.SET, set), new PeerStream.Phase(PhaseKind.QUERY, query),
        new PeerStream.Phase(PhaseKind.ITERATE, iterate), new PeerStream.Phase(PhaseKind.CONVERT, sets(rnd, blocks,
            ops))));
  }

  static long[] sets(SplittableRandom rnd, long blocks, int ops) {
    long[] s = new long[ops * 3];
    for (int i = 0; i < ops; i++) {
      long from = rnd.nextLong(blocks - 1);
      long len = 1 + rnd.nextLong(Math.min(blocks - from, rnd.nextBoolean() ? 70 : 5000));
      s[3 * i] = from;
      s[3 * i + 1] = from + len;
      s[3 * i + 2] = rnd.nextInt(2);
    }
    return s;
  }

  @Test
  void writtenStreamReadsBackTheSame() throws IOException {
    long seed = 42;
    PeerStream s = random(seed, 1 << 20, 300);
    Path f = dir.resolve("s.stream");
    s.write(f);
    assertEquals(8 + 8 + 4 + 5 * 16 + 5 * 300 * 24L, Files.size(f), "layout size, seed " + seed);
    PeerStream back = PeerStream.read(f);
    assertEquals(s.blocks(), back.blocks());
    assertEquals(s.phases().size(), back.phases().size());
    for (int i = 0; i < s.phases().size(); i++) {
      assertEquals(s.phases().get(i).kind(), back.phases().get(i).kind());
      assertArrayEquals(s.phases().get(i).ops(), back.phases().get(i).ops(), "phase " + i + ", seed " + seed);
    }
  }

  @Test
  void fileLayoutIsLittleEndianAsTheDriversReadIt() throws IOException {
    PeerStream s = new PeerStream(0x0502, List.of(new PeerStream.Phase(PhaseKind.SET, new long[] {3, 0x0405, 1})));
    Path f = dir.resolve("s.stream");
    s.write(f);
    byte[] b = Files.readAllBytes(f);
    assertEquals("GMPEER01", new String(b, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(0x02, b[8]);
    assertEquals(0x05, b[9]);
    assertEquals(1, b[16]); // one phase
    assertEquals(1, b[20]); // kind SET
    assertEquals(1, b[28]); // one operation
    assertEquals(0x05, b[44]);
    assertEquals(0x04, b[45]);
  }

  @Test
  void iterateWeightCountsRunsVisited() {
    PeerStream.Phase p = new PeerStream.Phase(PhaseKind.ITERATE, new long[] {0, 64, 0, 5, 10, 0});
    assertEquals(74, p.weight());
    assertEquals(2, new PeerStream.Phase(PhaseKind.QUERY, new long[] {0, 64, 0, 5, 10, 0}).weight());
  }

  @Test
  void badInputIsRefusedNamingTheValue() throws IOException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PeerStream(100,
        List.of(new PeerStream.Phase(PhaseKind.SET, new long[] {5, 101, 1}))));
    assertTrue(e.getMessage().contains("(5, 101, 1)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PeerStream(100,
        List.of(new PeerStream.Phase(PhaseKind.SET, new long[] {5, 6, 2}))));
    assertThrows(IllegalArgumentException.class, () -> new PeerStream.Phase(PhaseKind.SET, new long[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> new PeerStream(0, List.of()));
    Path f = dir.resolve("bad.stream");
    Files.write(f, "NOTASTREAM-and-more-bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    e = assertThrows(IllegalArgumentException.class, () -> PeerStream.read(f));
    assertTrue(e.getMessage().contains("GMPEER01"), e.getMessage());
    PeerStream s = random(7, 1000, 10);
    Path g = dir.resolve("cut.stream");
    s.write(g);
    byte[] all = Files.readAllBytes(g);
    Files.write(g, java.util.Arrays.copyOf(all, all.length - 5));
    e = assertThrows(IllegalArgumentException.class, () -> PeerStream.read(g));
    assertTrue(e.getMessage().contains("ends in the middle"), e.getMessage());
  }
}
