package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * First contact with the VM's kernel through raw ioctls, independent of the back-ends: proves the device nodes,
 * the JNA calling convention and the ioctl numbers of docs/linux-uapi-facts.md 1.2 before the back-end suites rely on them.
 */
class VmSmokeTest {
  static final long VFIO_GET_API_VERSION = 0x3B64;
  static final long VFIO_CHECK_EXTENSION = 0x3B65;
  static final long VFIO_SET_IOMMU = 0x3B66;
  static final long VFIO_GROUP_GET_STATUS = 0x3B67;
  static final long VFIO_GROUP_SET_CONTAINER = 0x3B68;
  static final long VFIO_IOMMU_MAP_DMA = 0x3B71;
  static final long VFIO_IOMMU_UNMAP_DMA = 0x3B72;
  static final long IOMMU_DESTROY = 0x3B80;
  static final long IOMMU_IOAS_ALLOC = 0x3B81;
  static final long IOMMU_IOAS_IOVA_RANGES = 0x3B84;
  static final long IOMMU_IOAS_MAP = 0x3B85;
  static final long VFIO_DEVICE_BIND_IOMMUFD = 0x3B76;
  static final long VFIO_DEVICE_ATTACH_IOMMUFD_PT = 0x3B77;
  static final int VFIO_TYPE1_IOMMU = 1;
  static final int VFIO_TYPE1v2_IOMMU = 3;
  static final int EINVAL = 22;

  @Test
  void iommufdIoasWithNoDeviceTakesEveryIovaAtAlignmentOne() {
    int fd = Libc.open(VmDevices.node(VmDevices.IOMMUFD));
    try {
      Memory alloc = Libc.struct(12);
      Libc.ioctl(fd, "IOMMU_IOAS_ALLOC", IOMMU_IOAS_ALLOC, alloc);
      int ioas = alloc.getInt(8);
      assertNotEquals(0, ioas, "IOAS id");

      Memory ranges = new Memory(16);
      Memory query = Libc.struct(32);
      query.setInt(4, ioas);
      query.setInt(8, 1);
      query.setPointer(16, ranges);
      Libc.ioctl(fd, "IOMMU_IOAS_IOVA_RANGES", IOMMU_IOAS_IOVA_RANGES, query);
      assertEquals(1, query.getInt(8), "num_iovas");
      assertEquals(0L, ranges.getLong(0), "first usable IOVA");
      assertEquals(-1L, ranges.getLong(8), "last usable IOVA (inclusive): the whole 64-bit space");
      assertEquals(1L, query.getLong(24), "out_iova_alignment");

      Memory destroy = Libc.struct(8);
      destroy.setInt(4, ioas);
      Libc.ioctl(fd, "IOMMU_DESTROY", IOMMU_DESTROY, destroy);
      Libc.ErrnoException again =
          assertThrows(Libc.ErrnoException.class, () -> Libc.ioctl(fd, "IOMMU_DESTROY", IOMMU_DESTROY, destroy));
      assertEquals(2, again.errno, "destroying a destroyed IOAS: ENOENT");
    } finally {
      Libc.close(fd);
    }
  }

  @Test
  void vfioContainerIsApiVersionZeroAndOffersType1v2() {
    int fd = Libc.open(VmDevices.node(VmDevices.CONTAINER));
    try {
      assertEquals(0, Libc.ioctl(fd, "VFIO_GET_API_VERSION", VFIO_GET_API_VERSION, 0L));
      assertTrue(Libc.ioctl(fd, "VFIO_CHECK_EXTENSION", VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0, "type1v2");
      assertTrue(Libc.ioctl(fd, "VFIO_CHECK_EXTENSION", VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0, "type1");
    } finally {
      Libc.close(fd);
    }
  }

  @Test
  void eduGroupIsViableAndType1v2RefusesABisectingUnmapWithEinval() {
    int container = Libc.open(VmDevices.node(VmDevices.CONTAINER));
    int group = Libc.open(VmDevices.group());
    long length = 2 * Libc.PAGE;
    Pointer buffer = Libc.mmapAnonymous(length);
    try {
      Memory status = Libc.struct(8);
      Libc.ioctl(group, "VFIO_GROUP_GET_STATUS", VFIO_GROUP_GET_STATUS, status);
      assertEquals(1, status.getInt(4) & 1, "VFIO_GROUP_FLAGS_VIABLE");

      Memory containerFd = new Memory(4);
      containerFd.setInt(0, container);
      Libc.ioctl(group, "VFIO_GROUP_SET_CONTAINER", VFIO_GROUP_SET_CONTAINER, containerFd);
      Libc.ioctl(container, "VFIO_SET_IOMMU", VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);

      long iova = 0x100000;
      Memory map = Libc.struct(32);
      map.setInt(4, 3); // READ | WRITE
      map.setLong(8, Pointer.nativeValue(buffer));
      map.setLong(16, iova);
      map.setLong(24, length);
      Libc.ioctl(container, "VFIO_IOMMU_MAP_DMA", VFIO_IOMMU_MAP_DMA, map);

      Memory bisect = Libc.struct(24);
      bisect.setLong(8, iova + Libc.PAGE);
      bisect.setLong(16, Libc.PAGE);
      Libc.ErrnoException refused = assertThrows(Libc.ErrnoException.class,
          () -> Libc.ioctl(container, "VFIO_IOMMU_UNMAP_DMA", VFIO_IOMMU_UNMAP_DMA, bisect));
      assertEquals(EINVAL, refused.errno, "type1v2 bisecting unmap");

      Memory whole = Libc.struct(24);
      whole.setLong(8, iova);
      whole.setLong(16, length);
      Libc.ioctl(container, "VFIO_IOMMU_UNMAP_DMA", VFIO_IOMMU_UNMAP_DMA, whole);
      assertEquals(length, whole.getLong(16), "bytes unmapped: the bisect removed nothing");
    } finally {
      Libc.munmap(buffer, length);
      Libc.close(group);
      Libc.close(container);
    }
  }

  @Test
  void eduDmaRoundTripsThroughAnIommufdIoasWithTheCdevAttached() {
    int iommufd = Libc.open(VmDevices.node(VmDevices.IOMMUFD));
    int device = Libc.open(VmDevices.cdev());
    long length = Libc.PAGE;
    Pointer buffer = Libc.mmapAnonymous(length);
    try {
      Memory alloc = Libc.struct(12);
      Libc.ioctl(iommufd, "IOMMU_IOAS_ALLOC", IOMMU_IOAS_ALLOC, alloc);
      int ioas = alloc.getInt(8);
      Memory bind = Libc.struct(16);
      bind.setInt(8, iommufd);
      Libc.ioctl(device, "VFIO_DEVICE_BIND_IOMMUFD", VFIO_DEVICE_BIND_IOMMUFD, bind);
      Memory attach = Libc.struct(12);
      attach.setInt(8, ioas);
      Libc.ioctl(device, "VFIO_DEVICE_ATTACH_IOMMUFD_PT", VFIO_DEVICE_ATTACH_IOMMUFD_PT, attach);

      long iova = 0x200000;
      Memory map = Libc.struct(40);
      map.setInt(4, 1 | 2 | 4); // FIXED_IOVA | WRITEABLE | READABLE
      map.setInt(8, ioas);
      map.setLong(16, Pointer.nativeValue(buffer));
      map.setLong(24, length);
      map.setLong(32, iova);
      Libc.ioctl(iommufd, "IOMMU_IOAS_MAP", IOMMU_IOAS_MAP, map);

      EduDevice edu = new EduDevice(device);
      assertEquals(0xed, edu.ident() & 0xff, "edu ident register");
      assertEquals(~0x12345678, edu.liveness(0x12345678), "edu liveness register answers the complement");

      // edu's buffer is not visible through MMIO: check the data by a round trip RAM -> edu -> RAM.
      byte[] data = pattern(200, 0x11);
      buffer.write(0, data, 0, data.length);
      edu.dmaFromMemory(iova, 100, data.length);
      edu.dmaToMemory(100, iova + 2048, data.length);
      assertArrayEquals(data, buffer.getByteArray(2048, data.length), "RAM -> edu -> RAM through the IOAS");
    } finally {
      Libc.close(device);
      Libc.close(iommufd);
      Libc.munmap(buffer, length);
    }
  }

  static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed + 7 * i);
    }
    return b;
  }
}
