package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.util.Arrays;
import org.guestmem.config.Providers;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.linux.AnonymousMemory;
import org.guestmem.linux.MemfdMemory;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaMapping;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real DMA through the whole stack: an {@link AttributeManager} converts pages of a 16-page region, a registered
 * {@link DmaMappingListener} keeps a real back-end's IOMMU mappings in step, and QEMU's edu device, behind the
 * emulated Intel IOMMU, does the DMA. A shared page must be reachable; a page just converted to private must not be:
 * the DMA leaves its data unchanged (a write) or does not see it (a read), and the guest kernel logs the vIOMMU's
 * DMAR fault for it. A page the device wrote successfully while shared must be blocked right after it turns private:
 * no stale mapping (or stale IOTLB entry) survives the conversion.
 *
 * <p>The FILE cases back the region with a memfd, as QEMU's {@code memory-backend-memfd}, and the listener maps it
 * by descriptor and file offset ({@code IOMMU_IOAS_MAP_FILE}, Linux 6.13 and later) instead of by address.
 *
 * <p>IOVAs stay under 256 MiB (edu masks DMA addresses to 28 bits) and transfers under 4095 bytes (see
 * {@link EduDevice}). Faults are spaced two seconds apart because the kernel rate-limits DMAR lines.
 */
class EduDmaCheckTest {
  static final long G = 4096;
  static final int PAGES = 16;
  static final int LENGTH = 200;
  static final long FAULT_SPACING_MS = 2_000;

  /** A back-end and policy; the FILE cases back the region with a memfd mapped by IOMMU_IOAS_MAP_FILE. */
  enum Case {
    IOMMUFD_GRANULE(0x0020_0000L, MappingPolicy.GRANULE, false),
    IOMMUFD_COALESCE(0x0040_0000L, MappingPolicy.COALESCE, false),
    TYPE1_GRANULE(0x0060_0000L, MappingPolicy.GRANULE, false),
    IOMMUFD_FILE_GRANULE(0x0080_0000L, MappingPolicy.GRANULE, true),
    IOMMUFD_FILE_COALESCE(0x00a0_0000L, MappingPolicy.COALESCE, true);

    final long iovaBase;
    final MappingPolicy policy;
    final boolean file;

    Case(long iovaBase, MappingPolicy policy, boolean file) {
      this.iovaBase = iovaBase;
      this.policy = policy;
      this.file = file;
    }

    DmaBackend open() {
      if (this == TYPE1_GRANULE) {
        RealKernel.setEntryLimit(RealKernel.DEFAULT_ENTRY_LIMIT);
        return RealKernel.type1();
      }
      return file ? RealKernel.iommufdFile(policy == MappingPolicy.COALESCE)
          : RealKernel.iommufd(true, policy == MappingPolicy.COALESCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Case.class)
  void sharedPagesTakeDmaAndAPageJustMadePrivateFaultsAtTheIommu(Case c) throws Exception {
    String label = "edu-dma: " + c;
    long bytes = PAGES * G;
    MemfdMemory memfd = c.file ? MemfdMemory.create("guestmem-edu", bytes) : null;
    long host = c.file ? memfd.address() : AnonymousMemory.map(bytes);
    Pointer ram = new Pointer(host);
    for (int p = 0; p < PAGES; p++) {
      ram.setMemory(p * G, G, fill(p)); // each page carries its own marker byte
    }
    try (DmaBackend backend = c.open()) {
      RegionLayout layout = new RegionLayout(bytes, G, c.iovaBase, host);
      AttributeManager manager = AttributeManager.builder()
          .layout(c.file ? layout.withBackingFile(memfd.fd(), 0) : layout).store(Providers.stateStore("bitmap"))
          .build();
      DmaMappingListener listener = DmaMappingListener.register(manager, backend, c.policy);
      assertEquals(c.file, listener.mapsByFile(), "maps by memfd and file offset (IOMMU_IOAS_MAP_FILE)");
      int deviceFd = c == Case.TYPE1_GRANULE
          ? OwnDescriptors.deviceFromGroup(VmDevices.group(), VmDevices.edu())
          : OwnDescriptors.find(VmDevices.cdev());
      try {
        EduDevice edu = new EduDevice(deviceFd);
        manager.share(0, bytes);
        MappingAuditor.check(listener);
        assertEquals(c.policy == MappingPolicy.COALESCE ? 1 : PAGES, backend.entries(), "mappings after sharing");

        // 1. Shared pages take DMA: page 3 -> edu -> page 4, and page 7 written while shared.
        byte[] data = pattern(LENGTH, 0x31);
        ram.write(3 * G, data, 0, LENGTH);
        edu.dmaFromMemory(iova(c, 3), 0, LENGTH);
        edu.dmaToMemory(0, iova(c, 4) + 64, LENGTH);
        assertArrayEquals(data, ram.getByteArray(4 * G + 64, LENGTH), "RAM -> edu -> RAM through shared pages");
        edu.dmaToMemory(0, iova(c, 7), LENGTH);
        assertArrayEquals(data, ram.getByteArray(7 * G, LENGTH), "edu -> page 7 while shared");
        System.out.printf("%s: shared pages 0x%x -> edu -> 0x%x: DMA ok, %d bytes match%n", label, iova(c, 3),
            iova(c, 4) + 64, LENGTH);

        // 2. Page 5 (never touched by DMA) and page 7 (just written by DMA) become private.
        manager.makePrivate(5 * G, G);
        manager.makePrivate(7 * G, G);
        MappingAuditor.check(listener);
        assertFalse(mapped(backend, iova(c, 5)), "page 5 unmapped after turning private");
        assertFalse(mapped(backend, iova(c, 7)), "page 7 unmapped after turning private");
        System.out.printf("%s: pages 5 and 7 made private: %d mappings %s%n", label, backend.entries(),
            c.policy == MappingPolicy.COALESCE ? "(the run was cut around them)" : "(one per shared granule)");

        // 3. The violating write first (a blocked access after a permitted one to the same page may not be logged).
        int seen = KernelLog.faults().size();
        edu.dmaToMemory(0, iova(c, 5) + 64, LENGTH);
        assertTrue(isFill(ram.getByteArray(5 * G, (int) G), fill(5)), "private page 5 unchanged by the DMA write");
        KernelLog.Fault write = KernelLog.awaitFault(seen, "Write", iova(c, 5), 3_000);
        assertNotNull(write, "a DMAR write fault for IOVA 0x" + Long.toHexString(iova(c, 5)) + " in dmesg");
        System.out.printf("%s: DMA write to private page 0x%x blocked: data unchanged; %s%n", label,
            iova(c, 5) + 64, write.line());

        // 4. A read of the private page: edu must not see its bytes; a DMAR read fault is logged.
        Thread.sleep(FAULT_SPACING_MS);
        seen = KernelLog.faults().size();
        edu.dmaFromMemory(iova(c, 3), 1024, LENGTH); // known bytes in edu's buffer first
        edu.dmaFromMemory(iova(c, 5), 1024, LENGTH); // blocked
        edu.dmaToMemory(1024, iova(c, 6), LENGTH); // what edu holds now, out through a shared page
        byte[] seenByDevice = ram.getByteArray(6 * G, LENGTH);
        assertFalse(isFill(seenByDevice, fill(5)), "the device did not read private page 5's bytes");
        KernelLog.Fault read = KernelLog.awaitFault(seen, "Read", iova(c, 5), 3_000);
        assertNotNull(read, "a DMAR read fault for IOVA 0x" + Long.toHexString(iova(c, 5)) + " in dmesg");
        System.out.printf("%s: DMA read of private page 0x%x blocked: the device got none of its bytes; %s%n",
            label, iova(c, 5), read.line());

        // 5. Page 7 was written by DMA while shared: the same write must now be blocked (no stale mapping/IOTLB).
        Thread.sleep(FAULT_SPACING_MS);
        seen = KernelLog.faults().size();
        ram.setMemory(7 * G, G, fill(7));
        edu.dmaToMemory(0, iova(c, 7), LENGTH);
        assertTrue(isFill(ram.getByteArray(7 * G, (int) G), fill(7)), "page 7 unchanged after turning private");
        KernelLog.Fault stale = KernelLog.awaitFault(seen, "Write", iova(c, 7), 3_000);
        System.out.printf("%s: DMA write to page 0x%x, written while shared, blocked after it turned private: data "
            + "unchanged; %s%n", label, iova(c, 7), stale == null ? "no DMAR line (the kernel may not log a fault "
            + "that follows a permitted access to the same page)" : stale.line());

        // 6. The neighbours still work, and sharing page 5 again makes it reachable again.
        edu.dmaToMemory(0, iova(c, 6) + 512, LENGTH);
        edu.dmaToMemory(0, iova(c, 8), LENGTH);
        assertArrayEquals(data, ram.getByteArray(6 * G + 512, LENGTH), "neighbour page 6 after the conversions");
        assertArrayEquals(data, ram.getByteArray(8 * G, LENGTH), "neighbour page 8 after the conversions");
        manager.share(5 * G, G);
        MappingAuditor.check(listener);
        edu.dmaToMemory(0, iova(c, 5) + 64, LENGTH);
        assertArrayEquals(data, ram.getByteArray(5 * G + 64, LENGTH), "page 5 shared again takes DMA");
        System.out.printf("%s: neighbours 0x%x and 0x%x still take DMA; page 0x%x shared again takes DMA%n", label,
            iova(c, 6), iova(c, 8), iova(c, 5));
      } finally {
        if (c == Case.TYPE1_GRANULE) {
          Libc.close(deviceFd);
        }
        listener.close();
      }
      MappingAuditor.checkNothingMapped(backend);
    } finally {
      if (memfd != null) {
        memfd.close();
      } else {
        AnonymousMemory.unmap(host, bytes);
      }
    }
  }

  private static long iova(Case c, int page) {
    return c.iovaBase + page * G;
  }

  private static boolean mapped(DmaBackend b, long iova) {
    for (DmaMapping m : b.mappings()) {
      if (Long.compareUnsigned(iova, m.iova()) >= 0 && Long.compareUnsigned(iova, m.last()) <= 0) {
        return true;
      }
    }
    return false;
  }

  private static byte fill(int page) {
    return (byte) (0xa0 + page);
  }

  private static boolean isFill(byte[] bytes, byte value) {
    byte[] expected = new byte[bytes.length];
    Arrays.fill(expected, value);
    return Arrays.equals(expected, bytes);
  }

  private static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed + 7 * i);
    }
    return b;
  }
}
