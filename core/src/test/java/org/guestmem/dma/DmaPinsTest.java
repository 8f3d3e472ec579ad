package org.guestmem.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.MappingRun;
import org.guestmem.spi.MappingRunVisitor;
import org.junit.jupiter.api.Test;

/**
 * {@link DmaPins} answers in host addresses whichever way a region is mapped: address areas as they are, file areas
 * of a file-backed region translated through its backing file, and only when the back-end maps files.
 */
class DmaPinsTest {
  static final long P = 4096;
  static final long HOST = 0x7f00_0000_0000L;
  static final long FILE = 0x20_0000L;
  static final RegionLayout BY_ADDRESS = new RegionLayout(64 * P, P, 1L << 32, HOST);
  static final RegionLayout BY_FILE = BY_ADDRESS.withBackingFile(3, FILE);

  @Test
  void aFileAreaOfTheBackingFileIsAPinAtTheHostAddressOfTheSameRegionOffset() {
    Runs backend = new Runs(true).add(FILE + 5 * P, 2 * P);
    DmaPins pins = DmaPins.of(backend, BY_FILE);
    assertEquals(HOST + 5 * P, pins.firstPinned(HOST, 16 * P));
    assertEquals(HOST + 6 * P, pins.firstPinned(HOST + 6 * P, 4 * P), "the answer is clipped to the query");
    assertEquals(-1, pins.firstPinned(HOST + 7 * P, 4 * P));
    assertEquals(-1, pins.firstPinned(HOST, 5 * P));
    // Before the fix the column was read as host addresses only: the file area was invisible to this query.
    assertEquals(-1, DmaPins.of(backend).firstPinned(HOST, 16 * P));
  }

  @Test
  void addressAreasStillCountAndTheLowestPinOfEitherSpaceWins() {
    Runs backend = new Runs(true).add(FILE + 9 * P, P).add(HOST + 12 * P, P);
    DmaPins pins = DmaPins.of(backend, BY_FILE);
    assertEquals(HOST + 9 * P, pins.firstPinned(HOST, 32 * P));
    assertEquals(HOST + 12 * P, pins.firstPinned(HOST + 10 * P, 8 * P));
    backend.add(HOST + 2 * P, P);
    assertEquals(HOST + 2 * P, pins.firstPinned(HOST, 32 * P));
  }

  @Test
  void fileOffsetsAreReadOnlyForTheRegionsOwnRangeAndOnlyWhenTheBackEndMapsFiles() {
    // A query reaching before the region translates only its part inside the region.
    Runs mapsFiles = new Runs(true).add(FILE, P);
    assertEquals(HOST, DmaPins.of(mapsFiles, BY_FILE).firstPinned(HOST - 4 * P, 8 * P));
    assertEquals(-1, DmaPins.of(mapsFiles, BY_FILE).firstPinned(HOST + 64 * P, 4 * P), "past the region");
    // A region with no backing file, or a back-end that maps no file, reads host addresses only.
    assertEquals(-1, DmaPins.of(mapsFiles, BY_ADDRESS).firstPinned(HOST, 64 * P));
    Runs addressOnly = new Runs(false).add(FILE, P);
    assertEquals(-1, DmaPins.of(addressOnly, BY_FILE).firstPinned(HOST, 64 * P));
    assertEquals(FILE, DmaPins.of(addressOnly, BY_FILE).firstPinned(FILE, P), "an address area stays one");
  }

  /** A back-end that only holds runs (each one entry), as a mapping-by-file back-end records them. */
  private static final class Runs implements DmaBackend {
    private final boolean mapsFiles;
    private final List<MappingRun> runs = new ArrayList<>();
    private long nextIova = 1L << 32;

    Runs(boolean mapsFiles) {
      this.mapsFiles = mapsFiles;
    }

    Runs add(long vaddr, long length) {
      runs.add(new MappingRun(nextIova, vaddr, length, 1, true, true));
      nextIova += 1L << 30;
      return this;
    }

    @Override
    public String mapFileLimitation() {
      return mapsFiles ? "" : "maps user addresses only";
    }

    @Override
    public void visitMappingRuns(MappingRunVisitor visitor) {
      runs.forEach(visitor::visit);
    }

    @Override
    public String name() {
      return "runs";
    }

    @Override
    public DmaCapabilities capabilities() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long unmap(long iova, long length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long cut(long iova, long length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long unmapAll() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long entries() {
      return runs.size();
    }

    @Override
    public long pinnedBytes() {
      return 0;
    }

    @Override
    public long kernelBytesEstimate() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
