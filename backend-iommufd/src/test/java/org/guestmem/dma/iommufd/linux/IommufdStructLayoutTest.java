package org.guestmem.dma.iommufd.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.guestmem.dma.cprobe.CLayoutProbe;
import org.guestmem.dma.type1.linux.KernelStruct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every iommufd {@code Structure}'s size and field offsets against uapi.md 1.3, and against gcc on the installed
 * {@code linux/iommufd.h} when there is one (Debian bookworm's 6.1 {@code linux-libc-dev} has none: that comparison
 * is then skipped by assumption and only uapi.md's gcc-printed numbers are compared).
 */
class IommufdStructLayoutTest {
  static final Map<String, Object[]> UAPI = new LinkedHashMap<>();
  static final Map<String, Supplier<KernelStruct>> JNA = new LinkedHashMap<>();
  static final Map<String, Long> REQUESTS = new LinkedHashMap<>();

  static {
    UAPI.put("iommu_destroy", new Object[] {8, "size@0", "id@4"});
    UAPI.put("iommu_ioas_alloc", new Object[] {12, "size@0", "flags@4", "out_ioas_id@8"});
    UAPI.put("iommu_iova_range", new Object[] {16, "start@0", "last@8"});
    UAPI.put("iommu_ioas_iova_ranges", new Object[] {32, "size@0", "ioas_id@4", "num_iovas@8", "__reserved@12",
        "allowed_iovas@16", "out_iova_alignment@24"});
    UAPI.put("iommu_ioas_allow_iovas",
        new Object[] {24, "size@0", "ioas_id@4", "num_iovas@8", "__reserved@12", "allowed_iovas@16"});
    UAPI.put("iommu_ioas_map", new Object[] {40, "size@0", "flags@4", "ioas_id@8", "__reserved@12", "user_va@16",
        "length@24", "iova@32"});
    UAPI.put("iommu_ioas_map_file",
        new Object[] {40, "size@0", "flags@4", "ioas_id@8", "fd@12", "start@16", "length@24", "iova@32"});
    UAPI.put("iommu_ioas_copy", new Object[] {40, "size@0", "flags@4", "dst_ioas_id@8", "src_ioas_id@12",
        "length@16", "dst_iova@24", "src_iova@32"});
    UAPI.put("iommu_ioas_unmap", new Object[] {24, "size@0", "ioas_id@4", "iova@8", "length@16"});
    UAPI.put("iommu_option",
        new Object[] {24, "size@0", "option_id@4", "op@8", "__reserved@10", "object_id@12", "val64@16"});
    UAPI.put("iommu_vfio_ioas", new Object[] {12, "size@0", "ioas_id@4", "op@8", "__reserved@10"});
    UAPI.put("iommu_ioas_change_process", new Object[] {8, "size@0", "__reserved@4"});

    JNA.put("iommu_destroy", IommuDestroy::new);
    JNA.put("iommu_ioas_alloc", IommuIoasAlloc::new);
    JNA.put("iommu_iova_range", IommuIovaRange::new);
    JNA.put("iommu_ioas_iova_ranges", IommuIoasIovaRanges::new);
    JNA.put("iommu_ioas_allow_iovas", IommuIoasAllowIovas::new);
    JNA.put("iommu_ioas_map", IommuIoasMap::new);
    JNA.put("iommu_ioas_map_file", IommuIoasMapFile::new);
    JNA.put("iommu_ioas_copy", IommuIoasCopy::new);
    JNA.put("iommu_ioas_unmap", IommuIoasUnmap::new);
    JNA.put("iommu_option", IommuOption::new);
    JNA.put("iommu_vfio_ioas", IommuVfioIoas::new);
    JNA.put("iommu_ioas_change_process", IommuIoasChangeProcess::new);

    REQUESTS.put("IOMMU_DESTROY", 0x3B80L);
    REQUESTS.put("IOMMU_IOAS_ALLOC", 0x3B81L);
    REQUESTS.put("IOMMU_IOAS_ALLOW_IOVAS", 0x3B82L);
    REQUESTS.put("IOMMU_IOAS_COPY", 0x3B83L);
    REQUESTS.put("IOMMU_IOAS_IOVA_RANGES", 0x3B84L);
    REQUESTS.put("IOMMU_IOAS_MAP", 0x3B85L);
    REQUESTS.put("IOMMU_IOAS_UNMAP", 0x3B86L);
    REQUESTS.put("IOMMU_OPTION", 0x3B87L);
    REQUESTS.put("IOMMU_VFIO_IOAS", 0x3B88L);
    REQUESTS.put("IOMMU_IOAS_MAP_FILE", 0x3B8FL);
    REQUESTS.put("IOMMU_IOAS_CHANGE_PROCESS", 0x3B92L);
  }

  static long javaConstant(String name) throws ReflectiveOperationException {
    return ((Number) Iommufd.class.getField(name).get(null)).longValue();
  }

  @Test
  void everyStructureMatchesUapiMd() {
    for (Map.Entry<String, Object[]> e : UAPI.entrySet()) {
      KernelStruct s = JNA.get(e.getKey()).get();
      Object[] spec = e.getValue();
      assertEquals(spec[0], s.size(), "sizeof(struct " + e.getKey() + ")");
      assertEquals(spec.length - 1, s.fields().size(), e.getKey() + " field count");
      for (int i = 1; i < spec.length; i++) {
        String[] fo = ((String) spec[i]).split("@");
        assertEquals(fo[0], s.fields().get(i - 1), e.getKey() + " field " + (i - 1));
        assertEquals(Integer.parseInt(fo[1]), s.offsetOf(fo[0]), "offsetof(" + e.getKey() + ", " + fo[0] + ")");
      }
    }
  }

  @Test
  void requestNumbersAndConstantsMatchUapiMd() throws ReflectiveOperationException {
    for (Map.Entry<String, Long> e : REQUESTS.entrySet()) {
      assertEquals(e.getValue().longValue(), javaConstant(e.getKey()), e.getKey());
    }
    assertEquals(1, Iommufd.IOMMU_IOAS_MAP_FIXED_IOVA);
    assertEquals(2, Iommufd.IOMMU_IOAS_MAP_WRITEABLE);
    assertEquals(4, Iommufd.IOMMU_IOAS_MAP_READABLE);
    assertEquals(1, Iommufd.IOMMU_OPTION_HUGE_PAGES);
    assertEquals(1, Iommufd.IOMMU_VFIO_IOAS_SET);
  }

  @Test
  void everyStructureMatchesGccOnTheInstalledHeader(@TempDir Path dir) throws Exception {
    CLayoutProbe probe = CLayoutProbe.forHeader("linux/iommufd.h");
    assumeTrue(probe != null, "gcc or /usr/include/linux/iommufd.h is absent (Debian bookworm's linux-libc-dev 6.1 "
        + "has no iommufd.h): only the uapi.md numbers were compared");
    for (Map.Entry<String, Supplier<KernelStruct>> e : JNA.entrySet()) {
      probe.struct(e.getKey(), e.getValue().get().fields().toArray(new String[0]));
    }
    REQUESTS.keySet().forEach(probe::constant);
    Map<String, Long> gcc = probe.run(dir);
    for (Map.Entry<String, Long> e : gcc.entrySet()) {
      String[] key = e.getKey().split(" ");
      long jna = key[0].equals("size") ? JNA.get(key[1]).get().size()
          : key[0].equals("offset") ? JNA.get(key[1].split("\\.")[0]).get().offsetOf(key[1].split("\\.")[1])
          : javaConstant(key[1]);
      assertEquals(e.getValue().longValue(), jna, "gcc vs JNA: " + e.getKey());
    }
    System.out.println("IommufdStructLayoutTest: " + gcc.size() + " values compared with gcc; not declared by the "
        + "header: " + probe.missing());
    assertTrue(gcc.size() > 10);
  }
}
