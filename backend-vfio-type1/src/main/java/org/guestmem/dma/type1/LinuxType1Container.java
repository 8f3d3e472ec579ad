package org.guestmem.dma.type1;

import static org.guestmem.linux.vfio.Vfio.*;

import com.sun.jna.Memory;
import java.util.List;
import org.guestmem.dma.backend.RealDmaKernel;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.vfio.CapabilityChain;
import org.guestmem.linux.vfio.VfioGroupStatus;
import org.guestmem.linux.vfio.VfioIommuType1DmaMap;
import org.guestmem.linux.vfio.VfioIommuType1DmaUnmap;
import org.guestmem.linux.vfio.VfioIommuType1Info;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;

/**
 * A real VFIO type1v2 container: {@code /dev/vfio/vfio} with one group attached, set up as QEMU's legacy container
 * does (API version, extension check, group viability, {@code VFIO_GROUP_SET_CONTAINER},
 * {@code VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)}). Closing it closes the group first (which detaches it and lets the
 * kernel drop every mapping) and then the container.
 *
 * <p>Not thread-safe, as {@link org.guestmem.dma.backend.DmaKernel} says (its back-end serialises the calls): the
 * map and unmap structs are kept and reused, so that a successful map or unmap allocates nothing.
 */
final class LinuxType1Container extends RealDmaKernel implements Type1Container {
  private final String containerPath;
  private final String groupPath;
  private int container = -1;
  private int group = -1;
  private final boolean unmapAll;
  private final VfioIommuType1DmaMap mapArgument = new VfioIommuType1DmaMap();
  private final VfioIommuType1DmaUnmap unmapArgument = new VfioIommuType1DmaUnmap();

  LinuxType1Container(String containerPath, String groupPath) {
    this.containerPath = containerPath;
    this.groupPath = groupPath;
    try {
      container = Ioctl.open(containerPath, "the VFIO container");
      onRelease(() -> Ioctl.close(container));
      int version = Ioctl.callValue(container, VFIO_GET_API_VERSION, "VFIO_GET_API_VERSION", 0);
      if (version != VFIO_API_VERSION) {
        throw new DmaException("VFIO_GET_API_VERSION", Errno.ENODEV, containerPath,
            "API version " + version + ", expected " + VFIO_API_VERSION);
      }
      if (Ioctl.callValue(container, VFIO_CHECK_EXTENSION, "VFIO_CHECK_EXTENSION", VFIO_TYPE1v2_IOMMU) <= 0) {
        throw new DmaException("VFIO_CHECK_EXTENSION", Errno.ENODEV, "VFIO_TYPE1v2_IOMMU",
            "the container does not offer type1v2");
      }
      group = Ioctl.open(groupPath, "the VFIO group (every device in it must be bound to vfio-pci)");
      // Released before the container: closing the group detaches it, and the kernel drops every mapping with the
      // container's last group.
      onRelease(() -> Ioctl.close(group));
      VfioGroupStatus status = new VfioGroupStatus();
      status.argsz = status.size();
      Ioctl.call(group, VFIO_GROUP_GET_STATUS, "VFIO_GROUP_GET_STATUS", status, groupPath);
      if ((status.flags & VFIO_GROUP_FLAGS_VIABLE) == 0) {
        throw new DmaException("VFIO_GROUP_GET_STATUS", Errno.EINVAL, groupPath,
            "the group is not viable: bind every device in it to vfio-pci (or unbind it from its driver)");
      }
      Memory fd = new Memory(4);
      fd.setInt(0, container);
      Ioctl.callPointer(group, VFIO_GROUP_SET_CONTAINER, "VFIO_GROUP_SET_CONTAINER", fd,
          "group=" + groupPath + " container fd=" + container);
      Ioctl.callValue(container, VFIO_SET_IOMMU, "VFIO_SET_IOMMU", VFIO_TYPE1v2_IOMMU);
      unmapAll = Ioctl.callValue(container, VFIO_CHECK_EXTENSION, "VFIO_CHECK_EXTENSION", VFIO_UNMAP_ALL) > 0;
    } catch (RuntimeException e) {
      release(e);
      throw e;
    }
  }

  @Override
  public Info info() {
    int argsz = 24;
    for (int attempt = 0; attempt < 4; attempt++) {
      Memory buffer = new Memory(argsz);
      buffer.clear();
      VfioIommuType1Info info = new VfioIommuType1Info(buffer);
      info.argsz = argsz;
      Ioctl.call(container, VFIO_IOMMU_GET_INFO, "VFIO_IOMMU_GET_INFO", info, "argsz=" + argsz);
      if (Integer.toUnsignedLong(info.argsz) > argsz) {
        // The kernel says how big the capability chain is and leaves cap_offset 0; ask again with room for it.
        argsz = info.argsz;
        continue;
      }
      long pgsizes = (info.flags & VFIO_IOMMU_INFO_PGSIZES) != 0 ? info.iova_pgsizes : 0x1000;
      CapabilityChain caps = CapabilityChain.parse(buffer,
          (info.flags & VFIO_IOMMU_INFO_CAPS) != 0 ? info.cap_offset : 0);
      List<org.guestmem.spi.IovaRange> ranges = caps.iovaRanges() != null ? caps.iovaRanges()
          : List.of(new org.guestmem.spi.IovaRange(0, -1L));
      return new Info(pgsizes, ranges, caps.dmaAvail());
    }
    throw new DmaException("VFIO_IOMMU_GET_INFO", Errno.EMSGSIZE, "argsz=" + argsz,
        "the capability chain kept growing");
  }

  @Override
  public void mapDma(long vaddr, long iova, long size, int flags) {
    VfioIommuType1DmaMap map = mapArgument;
    map.argsz = map.size();
    map.flags = flags;
    map.vaddr = vaddr;
    map.iova = iova;
    map.size = size;
    Ioctl.call(container, VFIO_IOMMU_MAP_DMA, "VFIO_IOMMU_MAP_DMA", map, map);
  }

  @Override
  public long unmapDma(long iova, long size, int flags) {
    return unmapArgument.unmapDma(container, iova, size, flags, unmapArgument);
  }

  @Override
  public boolean hasUnmapAll() {
    return unmapAll;
  }

  @Override
  public String description() {
    return "real kernel: " + containerPath + " with group " + groupPath + ", VFIO_TYPE1v2_IOMMU";
  }
}
