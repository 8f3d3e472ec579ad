package org.guestmem.linux.vfio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.guestmem.spi.IovaRange;

/**
 * Reads the capability chain of a {@code VFIO_IOMMU_GET_INFO} buffer. Each capability starts with a
 * {@code vfio_info_cap_header}; {@code next} is an offset from the start of the buffer. Offsets are followed as
 * given, never assumed 8-byte aligned (older iommufd-compat kernels put the capability after the 12-byte DMA_AVAIL
 * at offset 36). A chain that leaves the buffer or loops is rejected.
 *
 * @param iovaRanges the IOVA_RANGE capability's ranges, or null if absent
 * @param dmaAvail the DMA_AVAIL capability's {@code avail} (unsigned), or -1 if absent
 * @param capabilityIds the ids met, in chain order
 */
public record CapabilityChain(List<IovaRange> iovaRanges, long dmaAvail, List<Integer> capabilityIds) {

  /** Size of {@code vfio_info_cap_header}. */
  public static final int HEADER_SIZE = 8;

  /** Size of the fixed part of {@code vfio_iommu_type1_info}; no capability can start before it. */
  public static final int INFO_SIZE = 24;

  /**
   * Parses the chain starting at {@code firstOffset} in {@code buffer} (the whole info buffer, little-endian as on
   * x86_64 and aarch64). A {@code firstOffset} of 0 means no capabilities.
   *
   * @throws IllegalArgumentException naming the offset if a capability lies outside the buffer, is too short for
   *     its id, or the chain loops
   */
  public static CapabilityChain parse(byte[] buffer, int firstOffset) {
    ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
    List<IovaRange> ranges = null;
    long avail = -1;
    List<Integer> ids = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    long offset = Integer.toUnsignedLong(firstOffset);
    while (offset != 0) {
      if (offset < INFO_SIZE || offset + HEADER_SIZE > buffer.length) {
        throw new IllegalArgumentException(String.format(
            "capability at offset %d lies outside the info buffer of %d bytes (after the 24-byte header)", offset,
            buffer.length));
      }
      int at = (int) offset;
      if (!seen.add(at)) {
        throw new IllegalArgumentException("capability chain loops back to offset " + at);
      }
      int id = Short.toUnsignedInt(b.getShort(at));
      long next = Integer.toUnsignedLong(b.getInt(at + 4));
      ids.add(id);
      if (id == Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
        need(buffer, at, 16, "IOVA_RANGE");
        long n = Integer.toUnsignedLong(b.getInt(at + 8));
        need(buffer, at, 16 + 16 * n, "IOVA_RANGE with " + n + " ranges");
        ranges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int r = at + 16 + 16 * i;
          ranges.add(new IovaRange(b.getLong(r), b.getLong(r + 8)));
        }
      } else if (id == Vfio.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
        need(buffer, at, 12, "DMA_AVAIL");
        avail = Integer.toUnsignedLong(b.getInt(at + 8));
      }
      offset = next;
    }
    return new CapabilityChain(ranges == null ? null : List.copyOf(ranges), avail, List.copyOf(ids));
  }

  private static void need(byte[] buffer, int at, long bytes, String what) {
    if (at + bytes > buffer.length) {
      throw new IllegalArgumentException(String.format(
          "capability %s at offset %d needs %d bytes but the info buffer ends at %d", what, at, bytes,
          buffer.length));
    }
  }
}
