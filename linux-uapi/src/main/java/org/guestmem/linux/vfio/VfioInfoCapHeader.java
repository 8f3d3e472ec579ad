package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_info_cap_header} of {@code linux/vfio.h}: 8 bytes; {@code next} is an offset from the start of the info buffer, 0 ends the chain. */
@FieldOrder({"id", "version", "next"})
public class VfioInfoCapHeader extends KernelStruct {
  public short id;
  public short version;
  public int next;

  public VfioInfoCapHeader() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioInfoCapHeader(Pointer memory) {
    super(memory);
  }
}
