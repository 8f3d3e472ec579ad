package org.guestmem.linux.vfio;

import org.guestmem.linux.cprobe.UapiLayout;
import org.guestmem.linux.cprobe.UapiLayoutContract;

/**
 * Every VFIO {@code Structure}'s size and field offsets against the numbers gcc printed for them on x86_64
 * (recorded below), and against gcc compiling the installed {@code linux/vfio.h} when gcc and the header are present.
 */
class VfioStructLayoutTest implements UapiLayoutContract {

  /** Each struct's size and "field@offset" pairs, and the request numbers, as gcc printed them on x86_64. */
  static final UapiLayout VFIO = new UapiLayout("linux/vfio.h", Vfio.class, "apt-get install gcc linux-libc-dev", 40)
      .struct("vfio_group_status", VfioGroupStatus::new, 8, "argsz@0", "flags@4")
      .struct("vfio_iommu_type1_info", VfioIommuType1Info::new,
          24, "argsz@0", "flags@4", "iova_pgsizes@8", "cap_offset@16", "pad@20")
      .struct("vfio_info_cap_header", VfioInfoCapHeader::new, 8, "id@0", "version@2", "next@4")
      .struct("vfio_iova_range", VfioIovaRange::new, 16, "start@0", "end@8")
      .struct("vfio_iommu_type1_info_cap_iova_range", VfioIommuType1InfoCapIovaRange::new,
          16, "header@0", "nr_iovas@8", "reserved@12")
      .struct("vfio_iommu_type1_info_dma_avail", VfioIommuType1InfoDmaAvail::new, 12, "header@0", "avail@8")
      .struct("vfio_iommu_type1_dma_map", VfioIommuType1DmaMap::new,
          32, "argsz@0", "flags@4", "vaddr@8", "iova@16", "size@24")
      .struct("vfio_iommu_type1_dma_unmap", VfioIommuType1DmaUnmap::new,
          24, "argsz@0", "flags@4", "iova@8", "size@16")
      .struct("vfio_device_bind_iommufd", VfioDeviceBindIommufd::new,
          24, "argsz@0", "flags@4", "iommufd@8", "out_devid@12", "token_uuid_ptr@16")
      .struct("vfio_device_attach_iommufd_pt", VfioDeviceAttachIommufdPt::new,
          16, "argsz@0", "flags@4", "pt_id@8", "pasid@12")
      .constants("VFIO_GET_API_VERSION=0x3B64", "VFIO_CHECK_EXTENSION=0x3B65", "VFIO_SET_IOMMU=0x3B66",
          "VFIO_GROUP_GET_STATUS=0x3B67", "VFIO_GROUP_SET_CONTAINER=0x3B68", "VFIO_GROUP_UNSET_CONTAINER=0x3B69",
          "VFIO_IOMMU_GET_INFO=0x3B70", "VFIO_IOMMU_MAP_DMA=0x3B71", "VFIO_IOMMU_UNMAP_DMA=0x3B72",
          "VFIO_DEVICE_BIND_IOMMUFD=0x3B76", "VFIO_DEVICE_ATTACH_IOMMUFD_PT=0x3B77",
          "VFIO_DEVICE_DETACH_IOMMUFD_PT=0x3B78")
      .gccConstants("VFIO_API_VERSION", "VFIO_TYPE1_IOMMU", "VFIO_TYPE1v2_IOMMU", "VFIO_UNMAP_ALL",
          "VFIO_UPDATE_VADDR", "VFIO_DMA_CC_IOMMU", "VFIO_GROUP_FLAGS_VIABLE", "VFIO_IOMMU_INFO_PGSIZES",
          "VFIO_IOMMU_INFO_CAPS", "VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE", "VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL",
          "VFIO_DMA_MAP_FLAG_READ", "VFIO_DMA_MAP_FLAG_WRITE", "VFIO_DMA_MAP_FLAG_VADDR",
          "VFIO_DMA_UNMAP_FLAG_ALL", "VFIO_DMA_UNMAP_FLAG_VADDR", "VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP");

  @Override
  public UapiLayout layout() {
    return VFIO;
  }
}
