package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_device_detach_iommufd_pt} of {@code linux/vfio.h}: 12 bytes, the argument of {@code VFIO_DEVICE_DETACH_IOMMUFD_PT}. */
@FieldOrder({"argsz", "flags", "pasid"})
public class VfioDeviceDetachIommufdPt extends KernelStruct {
  public int argsz;
  public int flags;
  public int pasid;

  public VfioDeviceDetachIommufdPt() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioDeviceDetachIommufdPt(Pointer memory) {
    super(memory);
  }
}
