package org.guestmem.linux.vfio;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.guestmem.spi.IovaRange;

/**
 * Reads the capability chain of a {@code VFIO_IOMMU_GET_INFO} buffer through the layout-tested structs. Each
 * capability starts with a {@link VfioInfoCapHeader}; {@code next} is an offset from the start of the buffer. Offsets
 * are followed as given, never assumed 8-byte aligned (older iommufd-compat kernels put the capability after the
 * 12-byte DMA_AVAIL at offset 36). A chain that leaves the buffer or loops is rejected.
 *
 * @param iovaRanges the IOVA_RANGE capability's ranges, or null if absent
 * @param dmaAvail the DMA_AVAIL capability's {@code avail} (unsigned), or -1 if absent
 * @param capabilityIds the ids met, in chain order
 */
public record CapabilityChain(List<IovaRange> iovaRanges, long dmaAvail, List<Integer> capabilityIds) {

  /** No capability can start inside the fixed part of {@code vfio_iommu_type1_info}. */
  private static final int INFO_SIZE = new VfioIommuType1Info().size();
  private static final int HEADER_SIZE = new VfioInfoCapHeader().size();
  /** The fixed part of IOVA_RANGE; its flexible array {@code iova_ranges[]} follows directly. */
  private static final int IOVA_RANGE_CAP_SIZE = new VfioIommuType1InfoCapIovaRange().size();
  private static final int IOVA_RANGE_SIZE = new VfioIovaRange().size();
  private static final int DMA_AVAIL_SIZE = new VfioIommuType1InfoDmaAvail().size();

  /**
   * Parses the chain starting at {@code firstOffset} in {@code buffer} (the whole info buffer as the kernel filled
   * it, in native byte order). A {@code firstOffset} of 0 means no capabilities. Reads {@code buffer} only; safe to
   * call from any thread that does not write the buffer concurrently.
   *
   * @param buffer the whole info buffer
   * @param firstOffset {@code cap_offset} as the kernel wrote it
   * @return the capabilities guestmem reads, and the ids of all
   * @throws IllegalArgumentException naming the offset if a capability lies outside the buffer, is too short for
   *     its id, or the chain loops
   */
  public static CapabilityChain parse(Memory buffer, int firstOffset) {
    long length = buffer.size();
    List<IovaRange> ranges = null;
    long avail = -1;
    List<Integer> ids = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    long at = Integer.toUnsignedLong(firstOffset);
    while (at != 0) {
      if (at < INFO_SIZE || at + HEADER_SIZE > length) {
        throw new IllegalArgumentException(String.format(
            "capability at offset %d lies outside the info buffer of %d bytes (after the %d-byte header)", at,
            length, INFO_SIZE));
      }
      if (!seen.add(at)) {
        throw new IllegalArgumentException("capability chain loops back to offset " + at);
      }
      VfioInfoCapHeader header = new VfioInfoCapHeader(buffer.share(at));
      header.read();
      int id = Short.toUnsignedInt(header.id);
      ids.add(id);
      if (id == Vfio.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
        ranges = iovaRanges(buffer, at);
      } else if (id == Vfio.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
        need(length, at, DMA_AVAIL_SIZE, "DMA_AVAIL");
        VfioIommuType1InfoDmaAvail cap = new VfioIommuType1InfoDmaAvail(buffer.share(at));
        cap.read();
        avail = Integer.toUnsignedLong(cap.avail);
      }
      at = Integer.toUnsignedLong(header.next);
    }
    return new CapabilityChain(ranges == null ? null : List.copyOf(ranges), avail, List.copyOf(ids));
  }

  private static List<IovaRange> iovaRanges(Memory buffer, long at) {
    need(buffer.size(), at, IOVA_RANGE_CAP_SIZE, "IOVA_RANGE");
    VfioIommuType1InfoCapIovaRange cap = new VfioIommuType1InfoCapIovaRange(buffer.share(at));
    cap.read();
    long n = Integer.toUnsignedLong(cap.nr_iovas);
    need(buffer.size(), at, IOVA_RANGE_CAP_SIZE + IOVA_RANGE_SIZE * n, "IOVA_RANGE with " + n + " ranges");
    List<IovaRange> ranges = new ArrayList<>();
    long first = at + IOVA_RANGE_CAP_SIZE;
    for (long i = 0; i < n; i++) {
      VfioIovaRange r = new VfioIovaRange(buffer.share(first + IOVA_RANGE_SIZE * i));
      r.read();
      ranges.add(new IovaRange(r.start, r.end));
    }
    return ranges;
  }

  private static void need(long length, long at, long bytes, String what) {
    if (at + bytes > length) {
      throw new IllegalArgumentException(String.format(
          "capability %s at offset %d needs %d bytes but the info buffer ends at %d", what, at, bytes, length));
    }
  }
}
