package org.guestmem.bench.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.guestmem.config.Providers;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.DmaPins;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.linux.MemfdMemory;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.spi.MemoryAttributeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guest_memfd model over DMA mapped by file: a memfd-backed region (the memfd standing for the guest_memfd of
 * in-place conversion, at the memslot's file offset) mapped by the iommufd model opened with {@code map-file=true},
 * so every mapping records a file offset, and KVM's pins taken with {@link DmaPins#of(DmaBackend, RegionLayout)}.
 * KVM must see those mappings as pins of the region's pages: a conversion through the manager still succeeds
 * (listeners unmap first), and a file mapping the manager does not own refuses it with EAGAIN naming the page. Here
 * because only this module sees both back-ends (back-ends do not depend on each other, not even in tests).
 */
class FileBackedKvmPinsTest {
  static final long P = 4096;
  static final int PAGES = 64;
  static final long IOVA = 1L << 32;
  /** Where a mapping nobody in guestmem owns lives: far from the region's window. */
  static final long FOREIGN_IOVA = 1L << 40;
  static final long GPA = 0x1_0000_0000L;
  /** The file offset of region offset 0 (the memslot's guest_memfd_offset). */
  static final long FILE_OFFSET = 0x10_0000L;

  /** One region over a fresh memfd, IOAS and guest_memfd model. */
  private static final class Setup implements AutoCloseable {
    final MemfdMemory memfd = MemfdMemory.create("guestmem-kvm-pins", FILE_OFFSET + PAGES * P);
    final long host = memfd.address() + FILE_OFFSET;
    final RegionLayout layout = new RegionLayout(PAGES * P, P, IOVA, host).withBackingFile(memfd.fd(), FILE_OFFSET);
    final DmaBackend iommu = Providers.dmaBackend("iommufd")
        .open(Map.of("kernel", "embedded", "map-file", "true", "cut", "true"));
    final MemoryAttributeBackend kvm = Providers.memoryAttributeBackend("guest-memfd")
        .open(new Region(PAGES * P, GPA, FILE_OFFSET, host, DmaPins.of(iommu, layout), Map.of()));
    final AttributeManager manager = AttributeManager.builder().layout(layout).store(new ModelStoreProvider())
        .memoryAttributes(kvm).pinRetries(2).build();
    final DmaMappingListener listener;

    Setup(MappingPolicy policy) {
      listener = DmaMappingListener.register(manager, iommu, policy);
      assertTrue(listener.mapsByFile(), "the listener maps by file: " + iommu.capabilities().description());
    }

    @Override
    public void close() {
      listener.close();
      MappingAuditor.checkNothingMapped(iommu);
      iommu.close();
      kvm.close();
      memfd.close();
    }
  }

  @ParameterizedTest
  @EnumSource(MappingPolicy.class)
  void theListenersFileMappingsArePinsOfTheRegionAndAConversionToPrivateStillWorks(MappingPolicy policy) {
    try (Setup s = new Setup(policy)) {
      s.manager.share(0, 16 * P);
      DmaPins pins = DmaPins.of(s.iommu, s.layout);
      assertEquals(s.host + 3 * P, pins.firstPinned(s.host + 3 * P, P), "a mapped page is a pin at its host address");
      assertEquals(-1, pins.firstPinned(s.host + 16 * P, 8 * P), "an unmapped page is not");
      assertEquals(-1, DmaPins.of(s.iommu).firstPinned(s.host, 16 * P),
          "read as host addresses only, file offsets hide the pins (the reason for the layout)");

      s.manager.makePrivate(4 * P, 8 * P); // the listener unmaps, dropping the pins, before KVM converts
      assertTrue(s.kvm.isUniform(4 * P, 8 * P, false));
      assertTrue(s.kvm.isUniform(0, 4 * P, true) && s.kvm.isUniform(12 * P, 4 * P, true));
      assertEquals(0, s.manager.pinRetriesMade());
      assertEquals(0, s.manager.heldPinRefusals());
      assertEquals(-1, pins.firstPinned(s.host + 4 * P, 8 * P));
      MappingAuditor.check(s.listener);
    }
  }

  @ParameterizedTest
  @EnumSource(MappingPolicy.class)
  void aFileMappingTheManagerDoesNotOwnMakesKvmRefuseWithEagainNamingThePage(MappingPolicy policy) {
    try (Setup s = new Setup(policy)) {
      s.manager.share(0, 16 * P);
      s.iommu.mapFile(FOREIGN_IOVA, 2 * P, s.memfd.fd(), FILE_OFFSET + 9 * P, true, true);

      ConversionException e = assertThrows(ConversionException.class, () -> s.manager.makePrivate(0, 16 * P));
      MemoryAttributeException cause = (MemoryAttributeException) e.getCause();
      assertEquals(Errno.EAGAIN, cause.errnoConstant(), e.getMessage());
      assertEquals(9 * P, cause.errorRegionOffset().orElseThrow());
      assertEquals(FILE_OFFSET + 9 * P, cause.errorOffset().orElseThrow(), "error_offset is the file offset");
      assertTrue(e.getMessage().contains("0x9000") && e.getMessage().contains("pinned outside guestmem"),
          e.getMessage());
      assertEquals(2, s.manager.pinRetriesMade());
      assertEquals(0, s.manager.heldPinRefusals(), "the pin is not the listener's");
      assertTrue(e.isConsistent(), List.of(e.getSuppressed()).toString());
      assertTrue(s.kvm.isUniform(0, 16 * P, true) && s.manager.isPopulated(0, 16 * P), "the refusal was undone");
      MappingAuditor.check(s.listener); // the listener has its mappings back

      s.iommu.unmap(FOREIGN_IOVA, 2 * P);
      s.manager.makePrivate(0, 16 * P);
      assertTrue(s.kvm.isUniform(0, PAGES * P, false));
    }
  }
}
