package org.guestmem.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import org.guestmem.linux.vfio.Vfio;
import org.guestmem.linux.vfio.VfioIommuType1DmaMap;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.junit.jupiter.api.Test;

/**
 * The JNA binding itself, on what every Linux machine has: an ioctl that the driver does not know fails with ENOTTY
 * and the exception names the ioctl and arguments; open of a missing node reports ENOENT; mmap gives real memory.
 */
class LinuxLibcTest {

  @Test
  void aVfioIoctlOnDevNullFailsWithEnottyNamingTheIoctl() {
    int fd = Ioctl.open("/dev/null", "test");
    try {
      VfioIommuType1DmaMap map = new VfioIommuType1DmaMap();
      map.argsz = map.size();
      map.iova = 0x1000;
      DmaException e = assertThrows(DmaException.class,
          () -> Ioctl.call(fd, Vfio.VFIO_IOMMU_MAP_DMA, "VFIO_IOMMU_MAP_DMA", map, "iova=0x1000"));
      assertEquals(Errno.ENOTTY.number(), e.errno());
      assertEquals("VFIO_IOMMU_MAP_DMA", e.ioctl());
      assertTrue(e.getMessage().contains("iova=0x1000") && e.getMessage().contains("ENOTTY"), e.getMessage());
      DmaException v = assertThrows(DmaException.class,
          () -> Ioctl.callValue(fd, Vfio.VFIO_CHECK_EXTENSION, "VFIO_CHECK_EXTENSION", Vfio.VFIO_TYPE1v2_IOMMU));
      assertEquals(Errno.ENOTTY.number(), v.errno());
    } finally {
      Ioctl.close(fd);
    }
  }

  @Test
  void openingAMissingNodeReportsEnoent() {
    DmaException e = assertThrows(DmaException.class, () -> Ioctl.open("/dev/vfio/no-such-group", "a group"));
    assertEquals(Errno.ENOENT.number(), e.errno());
    assertTrue(e.getMessage().contains("/dev/vfio/no-such-group"), e.getMessage());
  }

  @Test
  void anonymousMemoryIsRealWritableMemory() {
    long a = AnonymousMemory.map(2 * 4096);
    try {
      assertEquals(0, a % 4096);
      Pointer p = new Pointer(a);
      p.setLong(4096, 0x1234_5678_9abcL);
      assertEquals(0x1234_5678_9abcL, p.getLong(4096));
      assertEquals(0, p.getLong(0), "fresh anonymous memory is zero");
    } finally {
      AnonymousMemory.unmap(a, 2 * 4096);
    }
    assertThrows(IllegalArgumentException.class, () -> AnonymousMemory.map(100));
  }
}
