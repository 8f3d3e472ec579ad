package org.guestmem.linux.iommufd;

import org.guestmem.linux.cprobe.UapiLayout;
import org.guestmem.linux.cprobe.UapiLayoutContract;

/**
 * Every iommufd {@code Structure}'s size and field offsets against the numbers gcc printed for them on x86_64
 * (recorded below), and against gcc on the installed {@code linux/iommufd.h} when there is one (Debian bookworm's 6.1
 * {@code linux-libc-dev} has none: that comparison is then skipped by assumption and only the recorded numbers are
 * compared).
 */
class IommufdStructLayoutTest implements UapiLayoutContract {
  static final UapiLayout IOMMUFD = new UapiLayout("linux/iommufd.h", Iommufd.class,
      "Debian bookworm's linux-libc-dev 6.1 has no iommufd.h", 11)
      .struct("iommu_destroy", IommuDestroy::new, 8, "size@0", "id@4")
      .struct("iommu_ioas_alloc", IommuIoasAlloc::new, 12, "size@0", "flags@4", "out_ioas_id@8")
      .struct("iommu_iova_range", IommuIovaRange::new, 16, "start@0", "last@8")
      .struct("iommu_ioas_iova_ranges", IommuIoasIovaRanges::new,
          32, "size@0", "ioas_id@4", "num_iovas@8", "__reserved@12", "allowed_iovas@16", "out_iova_alignment@24")
      .struct("iommu_ioas_map", IommuIoasMap::new,
          40, "size@0", "flags@4", "ioas_id@8", "__reserved@12", "user_va@16", "length@24", "iova@32")
      .struct("iommu_ioas_map_file", IommuIoasMapFile::new,
          40, "size@0", "flags@4", "ioas_id@8", "fd@12", "start@16", "length@24", "iova@32")
      .struct("iommu_ioas_unmap", IommuIoasUnmap::new, 24, "size@0", "ioas_id@4", "iova@8", "length@16")
      .struct("iommu_option", IommuOption::new,
          24, "size@0", "option_id@4", "op@8", "__reserved@10", "object_id@12", "val64@16")
      .struct("iommu_vfio_ioas", IommuVfioIoas::new, 12, "size@0", "ioas_id@4", "op@8", "__reserved@10")
      .constants("IOMMU_DESTROY=0x3B80", "IOMMU_IOAS_ALLOC=0x3B81", "IOMMU_IOAS_ALLOW_IOVAS=0x3B82",
          "IOMMU_IOAS_COPY=0x3B83", "IOMMU_IOAS_IOVA_RANGES=0x3B84", "IOMMU_IOAS_MAP=0x3B85",
          "IOMMU_IOAS_UNMAP=0x3B86", "IOMMU_OPTION=0x3B87", "IOMMU_VFIO_IOAS=0x3B88", "IOMMU_IOAS_MAP_FILE=0x3B8F",
          "IOMMU_IOAS_CHANGE_PROCESS=0x3B92")
      .constants("IOMMU_IOAS_MAP_FIXED_IOVA=1", "IOMMU_IOAS_MAP_WRITEABLE=2", "IOMMU_IOAS_MAP_READABLE=4",
          "IOMMU_OPTION_HUGE_PAGES=1", "IOMMU_VFIO_IOAS_SET=1");

  @Override
  public UapiLayout layout() {
    return IOMMUFD;
  }
}
