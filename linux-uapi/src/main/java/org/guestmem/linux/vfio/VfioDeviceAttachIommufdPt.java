package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_device_attach_iommufd_pt} of {@code linux/vfio.h}: 16 bytes, the argument of {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}; {@code pt_id} in: the IOAS or HWPT id, out: the HWPT attached. */
@FieldOrder({"argsz", "flags", "pt_id", "pasid"})
public class VfioDeviceAttachIommufdPt extends KernelStruct {
  public int argsz;
  public int flags;
  public int pt_id;
  public int pasid;

  public VfioDeviceAttachIommufdPt() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioDeviceAttachIommufdPt(Pointer memory) {
    super(memory);
  }
}
