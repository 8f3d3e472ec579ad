package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iova_range} of {@code linux/vfio.h}: 16 bytes, {@code end} inclusive. */
@FieldOrder({"start", "end"})
public class VfioIovaRange extends KernelStruct {
  /** First usable IOVA. */
  public long start;
  /** Last usable IOVA (inclusive). */
  public long end;

  /** A struct in memory of its own, every field 0. */
  public VfioIovaRange() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioIovaRange(Pointer memory) {
    super(memory);
  }
}
