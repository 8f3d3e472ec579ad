package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_iova_ranges} of {@code linux/iommufd.h}: 32 bytes, the argument of {@code IOMMU_IOAS_IOVA_RANGES}; {@code num_iovas} in: room in {@code allowed_iovas}, out: the count (EMSGSIZE when the room was too small). */
@FieldOrder({"size", "ioas_id", "num_iovas", "__reserved", "allowed_iovas", "out_iova_alignment"})
public class IommuIoasIovaRanges extends KernelStruct {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** The IOAS to ask about. */
  public int ioas_id;
  /** In: how many {@link IommuIovaRange}s fit at {@code allowed_iovas}; out: how many there are. */
  public int num_iovas;
  /** Must be 0. */
  public int __reserved;
  /** User address of the array of {@link IommuIovaRange}s the kernel fills. */
  public long allowed_iovas;
  /** Out: the alignment every IOVA and length must have. */
  public long out_iova_alignment;

  /** A struct in memory of its own, every field 0. */
  public IommuIoasIovaRanges() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuIoasIovaRanges(Pointer memory) {
    super(memory);
  }
}
