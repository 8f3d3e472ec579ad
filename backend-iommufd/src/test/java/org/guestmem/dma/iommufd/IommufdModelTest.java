package org.guestmem.dma.iommufd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.guestmem.config.Providers;
import org.guestmem.linux.iommufd.Iommufd;
import org.guestmem.linux.vfio.Vfio;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MappingRun;
import org.junit.jupiter.api.Test;

/** The iommufd model's rules the contract does not reach, and the provider's options and kernel-path choice. */
class IommufdModelTest {
  static final long P = 4096;
  static final long BASE = 0x1000_0000L;
  static final long VA = 0x7000_0000_0000L;
  static final int RW = Iommufd.IOMMU_IOAS_MAP_FIXED_IOVA | Iommufd.IOMMU_IOAS_MAP_READABLE
      | Iommufd.IOMMU_IOAS_MAP_WRITEABLE;

  private static int errno(Runnable r) {
    return assertThrows(DmaException.class, r::run).errno();
  }

  @Test
  void foundByServiceLoaderUnderItsName() {
    assertTrue(Providers.dmaBackends().get("iommufd") instanceof IommufdProvider);
  }

  @Test
  void hugePagesOffMustComeBeforeTheFirstMapOnceADeviceIsAttached() {
    IommufdKernelModel m = new IommufdKernelModel(true, Long.MAX_VALUE, false);
    m.map(VA, 256 * P, BASE, RW);
    assertEquals(Errno.EINVAL.number(), errno(() -> m.setOption(Iommufd.IOMMU_OPTION_HUGE_PAGES, 1, 0)));
    m.setVfioIoas(1);
    assertFalse(m.cutsEnabled(), "the option stayed 1");
    // Huge pages on: the compat unmap of a middle page is refused and removes nothing (docs/linux-uapi-facts.md, appendix).
    assertEquals(Errno.ENOENT.number(), errno(() -> m.compatUnmap(BASE + 5 * P, P, 0)));
    List<MappingRun> runs = new ArrayList<>();
    assertTrue(m.visitMappingRuns(runs::add), "the model lists its areas");
    assertEquals(List.of(MappingRun.of(new DmaMapping(BASE, 256 * P, VA, true, true))), runs);
    assertEquals(Errno.ENOENT.number(), errno(() -> m.setOption(Iommufd.IOMMU_OPTION_HUGE_PAGES, 0, 0)),
        "HUGE_PAGES on object 0");
    // Without a device the option may be set after maps.
    IommufdKernelModel noDevice = new IommufdKernelModel(false, Long.MAX_VALUE, false);
    noDevice.map(VA, 256 * P, BASE, RW);
    noDevice.setOption(Iommufd.IOMMU_OPTION_HUGE_PAGES, 1, 0);
  }

  @Test
  void compatUnmapNeedsTheCompatIoasAndSupportsOnlyFlagAll() {
    IommufdKernelModel m = new IommufdKernelModel(true, Long.MAX_VALUE, false);
    m.setOption(Iommufd.IOMMU_OPTION_HUGE_PAGES, 1, 0);
    assertEquals(Errno.ENODEV.number(), errno(() -> m.compatUnmap(BASE, P, 0)));
    m.setVfioIoas(1);
    m.map(VA, 16 * P, BASE, RW);
    assertEquals(Errno.EINVAL.number(), errno(() -> m.compatUnmap(BASE, P, Vfio.VFIO_DMA_UNMAP_FLAG_VADDR)));
    assertEquals(Errno.EINVAL.number(), errno(() -> m.compatUnmap(BASE + 512, P, 0)),
        "a cut point off a page boundary");
    assertEquals(16 * P, m.compatUnmap(0, 0, Vfio.VFIO_DMA_UNMAP_FLAG_ALL));
    assertEquals(0, m.compatUnmap(BASE, P, 0), "the compat unmap of an empty range returns 0");
  }

  @Test
  void pinningIsLazyWithoutADeviceAndLimitedWithOne() {
    try (DmaBackend b = new IommufdProvider().open(Map.of("kernel", "embedded", "domain", "false"))) {
      b.map(BASE, 64 * P, VA, true, true);
      assertEquals(0, b.pinnedBytes(), "no domain: a lazy reference, nothing pinned");
      assertEquals(1, b.capabilities().minPageSize(), "no domain: IOVA alignment 1");
    }
    try (DmaBackend b = new IommufdProvider().open(Map.of("kernel", "embedded", "memlock", "64K"))) {
      b.map(BASE, 8 * P, VA, true, true);
      assertEquals(8 * P, b.pinnedBytes());
      DmaException e = assertThrows(DmaException.class, () -> b.map(BASE + 16 * P, 9 * P, VA, true, true));
      assertEquals(Errno.ENOMEM.number(), e.errno());
      assertEquals(1, b.entries());
      assertEquals(Long.MAX_VALUE, b.capabilities().remainingEntries(), "iommufd has no entry limit");
      assertEquals("", b.capabilities().entryLimitSetting());
      assertEquals(384, b.kernelBytesEstimate());
    }
  }

  @Test
  void optionsAreCheckedAndAutoSaysWhichPathItTook() {
    IommufdProvider p = new IommufdProvider();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.open(Map.of("kernel", "embedded", "cuts", "true")));
    assertTrue(e.getMessage().contains("[cuts]") && e.getMessage().contains("cut"), e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> p.open(Map.of("kernel", "embedded", "cut", "maybe"))).getMessage().contains("cut='maybe'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> p.open(Map.of("kernel", "embedded", "device", "/dev/vfio/devices/vfio0"))).getMessage()
        .contains("real kernel only"));
    assumeFalse(Files.exists(Path.of("/dev/iommu")), "this machine has /dev/iommu");
    try (DmaBackend b = p.open(Map.of())) {
      String d = b.capabilities().description();
      assertTrue(d.contains("embedded") && d.contains("/dev/iommu absent"), d);
      assertFalse(b.capabilities().canCut());
      assertTrue(b.capabilities().cutLimitation().contains("cut=true"));
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> p.open(Map.of("kernel", "real")))
        .getMessage().contains("/dev/iommu does not exist"));
  }
}
