package org.guestmem.dma.type1.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.guestmem.dma.cprobe.CLayoutProbe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every VFIO {@code Structure}'s size and field offsets against the numbers in uapi.md 1.3 (printed there by gcc on
 * x86_64), and against gcc compiling the installed {@code linux/vfio.h} when gcc and the header are present.
 */
class VfioStructLayoutTest {

  /** uapi.md 1.3: struct name to size and "field@offset" pairs. */
  static final Map<String, Object[]> UAPI = new LinkedHashMap<>();

  static {
    UAPI.put("vfio_group_status", new Object[] {8, "argsz@0", "flags@4"});
    UAPI.put("vfio_iommu_type1_info",
        new Object[] {24, "argsz@0", "flags@4", "iova_pgsizes@8", "cap_offset@16", "pad@20"});
    UAPI.put("vfio_info_cap_header", new Object[] {8, "id@0", "version@2", "next@4"});
    UAPI.put("vfio_iova_range", new Object[] {16, "start@0", "end@8"});
    UAPI.put("vfio_iommu_type1_info_cap_iova_range", new Object[] {16, "header@0", "nr_iovas@8", "reserved@12"});
    UAPI.put("vfio_iommu_type1_info_dma_avail", new Object[] {12, "header@0", "avail@8"});
    UAPI.put("vfio_iommu_type1_info_cap_migration",
        new Object[] {32, "header@0", "flags@8", "pgsize_bitmap@16", "max_dirty_bitmap_size@24"});
    UAPI.put("vfio_iommu_type1_dma_map",
        new Object[] {32, "argsz@0", "flags@4", "vaddr@8", "iova@16", "size@24"});
    UAPI.put("vfio_iommu_type1_dma_unmap", new Object[] {24, "argsz@0", "flags@4", "iova@8", "size@16"});
    UAPI.put("vfio_bitmap", new Object[] {24, "pgsize@0", "size@8", "data@16"});
    UAPI.put("vfio_device_bind_iommufd",
        new Object[] {24, "argsz@0", "flags@4", "iommufd@8", "out_devid@12", "token_uuid_ptr@16"});
    UAPI.put("vfio_device_attach_iommufd_pt", new Object[] {16, "argsz@0", "flags@4", "pt_id@8", "pasid@12"});
    UAPI.put("vfio_device_detach_iommufd_pt", new Object[] {12, "argsz@0", "flags@4", "pasid@8"});
  }

  static final Map<String, Supplier<KernelStruct>> JNA = new LinkedHashMap<>();

  static {
    JNA.put("vfio_group_status", VfioGroupStatus::new);
    JNA.put("vfio_iommu_type1_info", VfioIommuType1Info::new);
    JNA.put("vfio_info_cap_header", VfioInfoCapHeader::new);
    JNA.put("vfio_iova_range", VfioIovaRange::new);
    JNA.put("vfio_iommu_type1_info_cap_iova_range", VfioIommuType1InfoCapIovaRange::new);
    JNA.put("vfio_iommu_type1_info_dma_avail", VfioIommuType1InfoDmaAvail::new);
    JNA.put("vfio_iommu_type1_info_cap_migration", VfioIommuType1InfoCapMigration::new);
    JNA.put("vfio_iommu_type1_dma_map", VfioIommuType1DmaMap::new);
    JNA.put("vfio_iommu_type1_dma_unmap", VfioIommuType1DmaUnmap::new);
    JNA.put("vfio_bitmap", VfioBitmap::new);
    JNA.put("vfio_device_bind_iommufd", VfioDeviceBindIommufd::new);
    JNA.put("vfio_device_attach_iommufd_pt", VfioDeviceAttachIommufdPt::new);
    JNA.put("vfio_device_detach_iommufd_pt", VfioDeviceDetachIommufdPt::new);
  }

  /** uapi.md 1.2: the request numbers gcc printed. */
  static final Map<String, Long> REQUESTS = new LinkedHashMap<>();

  static {
    REQUESTS.put("VFIO_GET_API_VERSION", 0x3B64L);
    REQUESTS.put("VFIO_CHECK_EXTENSION", 0x3B65L);
    REQUESTS.put("VFIO_SET_IOMMU", 0x3B66L);
    REQUESTS.put("VFIO_GROUP_GET_STATUS", 0x3B67L);
    REQUESTS.put("VFIO_GROUP_SET_CONTAINER", 0x3B68L);
    REQUESTS.put("VFIO_GROUP_UNSET_CONTAINER", 0x3B69L);
    REQUESTS.put("VFIO_IOMMU_GET_INFO", 0x3B70L);
    REQUESTS.put("VFIO_IOMMU_MAP_DMA", 0x3B71L);
    REQUESTS.put("VFIO_IOMMU_UNMAP_DMA", 0x3B72L);
    REQUESTS.put("VFIO_DEVICE_BIND_IOMMUFD", 0x3B76L);
    REQUESTS.put("VFIO_DEVICE_ATTACH_IOMMUFD_PT", 0x3B77L);
    REQUESTS.put("VFIO_DEVICE_DETACH_IOMMUFD_PT", 0x3B78L);
  }

  static long javaConstant(String name) throws ReflectiveOperationException {
    return ((Number) Vfio.class.getField(name).get(null)).longValue();
  }

  @Test
  void everyStructureMatchesUapiMd() {
    assertEquals(UAPI.keySet(), JNA.keySet(), "one Structure per struct in uapi.md");
    for (Map.Entry<String, Object[]> e : UAPI.entrySet()) {
      KernelStruct s = JNA.get(e.getKey()).get();
      Object[] spec = e.getValue();
      assertEquals(spec[0], s.size(), "sizeof(struct " + e.getKey() + ")");
      assertEquals(spec.length - 1, s.fields().size(), e.getKey() + " field count");
      for (int i = 1; i < spec.length; i++) {
        String[] fo = ((String) spec[i]).split("@");
        assertEquals(fo[0], s.fields().get(i - 1), e.getKey() + " field " + (i - 1) + " name");
        assertEquals(Integer.parseInt(fo[1]), s.offsetOf(fo[0]), "offsetof(" + e.getKey() + ", " + fo[0] + ")");
      }
    }
  }

  @Test
  void requestNumbersMatchUapiMd() throws ReflectiveOperationException {
    for (Map.Entry<String, Long> e : REQUESTS.entrySet()) {
      assertEquals(e.getValue().longValue(), javaConstant(e.getKey()), e.getKey());
    }
  }

  @Test
  void everyStructureMatchesGccOnTheInstalledHeader(@TempDir Path dir) throws Exception {
    CLayoutProbe probe = CLayoutProbe.forHeader("linux/vfio.h");
    assumeTrue(probe != null, "gcc or /usr/include/linux/vfio.h is absent (apt-get install gcc linux-libc-dev): "
        + "only the uapi.md numbers were compared");
    for (Map.Entry<String, Supplier<KernelStruct>> e : JNA.entrySet()) {
      probe.struct(e.getKey(), e.getValue().get().fields().toArray(new String[0]));
    }
    for (String c : REQUESTS.keySet()) {
      probe.constant(c);
    }
    for (String c : new String[] {"VFIO_API_VERSION", "VFIO_TYPE1_IOMMU", "VFIO_TYPE1v2_IOMMU", "VFIO_UNMAP_ALL",
        "VFIO_UPDATE_VADDR", "VFIO_DMA_CC_IOMMU", "VFIO_GROUP_FLAGS_VIABLE", "VFIO_IOMMU_INFO_PGSIZES",
        "VFIO_IOMMU_INFO_CAPS", "VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE", "VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL",
        "VFIO_DMA_MAP_FLAG_READ", "VFIO_DMA_MAP_FLAG_WRITE", "VFIO_DMA_MAP_FLAG_VADDR",
        "VFIO_DMA_UNMAP_FLAG_ALL", "VFIO_DMA_UNMAP_FLAG_VADDR", "VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP"}) {
      probe.constant(c);
    }
    Map<String, Long> gcc = probe.run(dir);
    int compared = 0;
    for (Map.Entry<String, Long> e : gcc.entrySet()) {
      String[] key = e.getKey().split(" ");
      long jna;
      if (key[0].equals("size")) {
        jna = JNA.get(key[1]).get().size();
      } else if (key[0].equals("offset")) {
        String[] sf = key[1].split("\\.");
        jna = JNA.get(sf[0]).get().offsetOf(sf[1]);
      } else {
        jna = javaConstant(key[1]);
      }
      assertEquals(e.getValue().longValue(), jna, "gcc vs JNA: " + e.getKey());
      compared++;
    }
    System.out.printf("VfioStructLayoutTest: %d values compared with gcc on /usr/include/linux/vfio.h; "
        + "not declared by that header (compared with uapi.md only): %s%n", compared, probe.missing());
    assertTrue(compared >= 40, "the installed header declares the type1 structs: " + compared + " compared");
  }
}
