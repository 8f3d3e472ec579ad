package org.guestmem.linux.vfio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.guestmem.spi.IovaRange;
import org.junit.jupiter.api.Test;

/** The capability-chain walk over buffers laid out as the kernels lay them out, aligned or not. */
class CapabilityChainTest {

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void header(ByteBuffer b, int at, int id, int next) {
    b.putShort(at, (short) id).putShort(at + 2, (short) 1).putInt(at + 4, next);
  }

  private static void iovaRanges(ByteBuffer b, int at, int next, long[][] ranges) {
    header(b, at, Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, next);
    b.putInt(at + 8, ranges.length);
    for (int i = 0; i < ranges.length; i++) {
      b.putLong(at + 16 + 16 * i, ranges[i][0]).putLong(at + 24 + 16 * i, ranges[i][1]);
    }
  }

  @Test
  void olderIommufdCompatPutsIovaRangeAtAnUnalignedOffset() {
    // DMA_AVAIL (12 bytes, unpadded) at 24, then IOVA_RANGE at 36: iommufd-compat before the align patch.
    ByteBuffer b = buffer(36 + 16 + 32);
    header(b, 24, Vfio.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 36);
    b.putInt(32, -1);
    iovaRanges(b, 36, 0, new long[][] {{0, 0xfedfffffL}, {0xfef00000L, (1L << 48) - 1}});
    CapabilityChain c = CapabilityChain.parse(b.array(), 24);
    assertEquals(0xffff_ffffL, c.dmaAvail(), "U32_MAX read unsigned");
    assertEquals(List.of(new IovaRange(0, 0xfedfffffL), new IovaRange(0xfef00000L, (1L << 48) - 1)),
        c.iovaRanges());
    assertEquals(List.of(3, 1), c.capabilityIds());
  }

  @Test
  void type1OrderWithMigrationCapabilityAndPadding() {
    // MIGRATION (32) at 24, DMA_AVAIL padded to 16 at 56, IOVA_RANGE at 72.
    ByteBuffer b = buffer(72 + 16 + 16);
    header(b, 24, Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 56);
    header(b, 56, Vfio.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 72);
    b.putInt(64, 65_000);
    iovaRanges(b, 72, 0, new long[][] {{0x1000, 0xffff_ffffL}});
    CapabilityChain c = CapabilityChain.parse(b.array(), 24);
    assertEquals(65_000, c.dmaAvail());
    assertEquals(List.of(new IovaRange(0x1000, 0xffff_ffffL)), c.iovaRanges());
    assertEquals(List.of(2, 3, 1), c.capabilityIds());
  }

  @Test
  void noCapabilities() {
    CapabilityChain c = CapabilityChain.parse(new byte[24], 0);
    assertNull(c.iovaRanges());
    assertEquals(-1, c.dmaAvail());
  }

  @Test
  void brokenChainsAreRejectedNamingTheOffset() {
    ByteBuffer loop = buffer(64);
    header(loop, 24, 99, 40);
    header(loop, 40, 98, 24);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(loop.array(), 24))
        .getMessage().contains("loops back to offset 24"));
    ByteBuffer outside = buffer(40);
    header(outside, 24, 99, 200);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(outside.array(), 24))
        .getMessage().contains("offset 200"));
    ByteBuffer shortRanges = buffer(48);
    header(shortRanges, 24, Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 0);
    shortRanges.putInt(32, 5);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(shortRanges.array(), 24))
        .getMessage().contains("5 ranges"));
    assertThrows(IllegalArgumentException.class, () -> CapabilityChain.parse(new byte[24], 8),
        "a capability inside the fixed header");
  }
}
