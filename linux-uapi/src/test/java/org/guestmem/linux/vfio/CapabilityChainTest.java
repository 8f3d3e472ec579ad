package org.guestmem.linux.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.util.List;
import org.guestmem.spi.IovaRange;
import org.junit.jupiter.api.Test;

/**
 * The capability-chain walk over buffers laid out as the kernels lay them out, aligned or not. The buffers are written
 * at the offsets of the C layout, independently of the struct bindings the parser reads them through.
 */
class CapabilityChainTest {

  private static Memory buffer(int size) {
    Memory m = new Memory(size);
    m.clear();
    return m;
  }

  private static void header(Memory b, int at, int id, int next) {
    b.setShort(at, (short) id);
    b.setShort(at + 2, (short) 1);
    b.setInt(at + 4, next);
  }

  private static void iovaRanges(Memory b, int at, int next, long[][] ranges) {
    header(b, at, Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, next);
    b.setInt(at + 8, ranges.length);
    for (int i = 0; i < ranges.length; i++) {
      b.setLong(at + 16 + 16 * i, ranges[i][0]);
      b.setLong(at + 24 + 16 * i, ranges[i][1]);
    }
  }

  @Test
  void olderIommufdCompatPutsIovaRangeAtAnUnalignedOffset() {
    // DMA_AVAIL (12 bytes, unpadded) at 24, then IOVA_RANGE at 36: iommufd-compat before the align patch.
    Memory b = buffer(36 + 16 + 32);
    header(b, 24, Vfio.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 36);
    b.setInt(32, -1);
    iovaRanges(b, 36, 0, new long[][] {{0, 0xfedfffffL}, {0xfef00000L, (1L << 48) - 1}});
    CapabilityChain c = CapabilityChain.parse(b, 24);
    assertEquals(0xffff_ffffL, c.dmaAvail(), "U32_MAX read unsigned");
    assertEquals(List.of(new IovaRange(0, 0xfedfffffL), new IovaRange(0xfef00000L, (1L << 48) - 1)),
        c.iovaRanges());
    assertEquals(List.of(3, 1), c.capabilityIds());
  }

  @Test
  void type1OrderWithMigrationCapabilityAndPadding() {
    // MIGRATION (32) at 24, DMA_AVAIL padded to 16 at 56, IOVA_RANGE at 72.
    Memory b = buffer(72 + 16 + 16);
    header(b, 24, Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 56);
    header(b, 56, Vfio.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 72);
    b.setInt(64, 65_000);
    iovaRanges(b, 72, 0, new long[][] {{0x1000, 0xffff_ffffL}});
    CapabilityChain c = CapabilityChain.parse(b, 24);
    assertEquals(65_000, c.dmaAvail());
    assertEquals(List.of(new IovaRange(0x1000, 0xffff_ffffL)), c.iovaRanges());
    assertEquals(List.of(2, 3, 1), c.capabilityIds());
  }

  @Test
  void noCapabilities() {
    CapabilityChain c = CapabilityChain.parse(buffer(24), 0);
    assertNull(c.iovaRanges());
    assertEquals(-1, c.dmaAvail());
  }

  @Test
  void brokenChainsAreRejectedNamingTheOffset() {
    Memory loop = buffer(64);
    header(loop, 24, 99, 40);
    header(loop, 40, 98, 24);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(loop, 24))
        .getMessage().contains("loops back to offset 24"));
    Memory outside = buffer(40);
    header(outside, 24, 99, 200);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(outside, 24))
        .getMessage().contains("offset 200"));
    Memory shortRanges = buffer(48);
    header(shortRanges, 24, Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 0);
    shortRanges.setInt(32, 5);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(shortRanges, 24))
        .getMessage().contains("5 ranges"));
    assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(buffer(24), 8),
        "a capability inside the fixed header");
  }
}
