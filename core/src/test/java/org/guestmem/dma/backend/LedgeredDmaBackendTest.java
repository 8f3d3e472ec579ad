package org.guestmem.dma.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.junit.jupiter.api.Test;

/**
 * What the ledger answers for a real kernel (mappings, pinned and kernel bytes), the cross-check of the bytes an
 * unmap removed, and close: over a fake real kernel whose unmap removes what {@code removedByKernel} says.
 */
class LedgeredDmaBackendTest {

  static final class FakeKernel extends RealDmaKernel {
    long removedByKernel;
    int closed;

    FakeKernel() {
      onRelease(() -> closed++);
    }

    @Override
    public String description() {
      return "fake kernel";
    }
  }

  static final class FakeBackend extends LedgeredDmaBackend {
    final FakeKernel kernel;

    FakeBackend(FakeKernel kernel) {
      super("fake", kernel, "kernel=real", 100, "container", "mappings");
      this.kernel = kernel;
    }

    @Override
    public DmaCapabilities capabilities() {
      return new DmaCapabilities(0x1000, List.of(), 0, "", 100, false, "never", true, describe());
    }

    @Override
    public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
      checkOpen("MAP");
      ledger.add(new DmaMapping(iova, length, vaddr, readable, writable));
    }

    @Override
    public long unmap(long iova, long length) {
      checkOpen("UNMAP");
      return crossChecked("UNMAP", iova, "size", length, kernel.removedByKernel,
          ledger.removeInside(iova, iova + length - 1));
    }

    @Override
    public long cut(long iova, long length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long unmapAll() {
      checkOpen("UNMAP_ALL");
      return ledger.clear();
    }

    @Override
    protected long pinnedByLedger() {
      return ledger.bytes();
    }
  }

  @Test
  void theLedgerAnswersWhatTheRealKernelCannot() {
    FakeBackend b = new FakeBackend(new FakeKernel());
    b.map(0x10000, 0x2000, 0x7000_0000L, true, true);
    b.map(0x20000, 0x1000, 0x7000_2000L, true, false);
    assertEquals(List.of(new DmaMapping(0x10000, 0x2000, 0x7000_0000L, true, true),
        new DmaMapping(0x20000, 0x1000, 0x7000_2000L, true, false)), b.mappings());
    assertEquals(2, b.entries());
    assertEquals(0x3000, b.pinnedBytes());
    assertEquals(200, b.kernelBytesEstimate());
    assertEquals("fake: fake kernel (kernel=real)", b.capabilities().description());
    assertEquals("fake[fake kernel, 2 mappings]", b.toString());
  }

  @Test
  void anUnmapThatRemovedOtherBytesThanTheLedgerHeldIsReported() {
    FakeBackend b = new FakeBackend(new FakeKernel());
    b.map(0x10000, 0x2000, 0x7000_0000L, true, true);
    b.kernel.removedByKernel = 0x1000;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.unmap(0x10000, 0x2000));
    assertEquals("UNMAP(iova=0x10000 size=0x2000) removed 0x1000 bytes but this back-end's ledger held 0x2000 "
        + "there: the container was changed behind its back", e.getMessage());
    b.map(0x30000, 0x1000, 0x7000_0000L, true, true);
    assertEquals(0x1000, b.unmap(0x30000, 0x1000), "bytes that agree are returned");
  }

  @Test
  void closeEmptiesTheLedgerClosesTheKernelOnceAndThenRefusesWithEbadf() {
    FakeBackend b = new FakeBackend(new FakeKernel());
    b.map(0x10000, 0x2000, 0x7000_0000L, true, true);
    b.close();
    b.close();
    assertEquals(1, b.kernel.closed);
    assertEquals(0, b.entries());
    assertEquals(List.of(), b.mappings());
    DmaException e = assertThrows(DmaException.class, () -> b.map(0x10000, 0x1000, 0x7000_0000L, true, true));
    assertEquals(Errno.EBADF.number(), e.errno());
    assertTrue(e.getMessage().contains("fake back-end is closed"), e.getMessage());
  }
}
