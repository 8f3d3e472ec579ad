package org.guestmem.linux.iommufd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The struct array handed to {@code IOMMU_IOAS_IOVA_RANGES} as {@code allowed_iovas}: JNA's {@code toArray} gives one
 * block with the stride of C's {@code struct iommu_iova_range[]}, so what the kernel writes at element {@code i} is
 * what slot {@code i} reads back.
 */
class IommuIovaRangeArrayTest {

  @Test
  void aStructArrayIsOneBlockWithTheStrideOfTheCArray() {
    int n = 3;
    IommuIovaRange[] slots = (IommuIovaRange[]) new IommuIovaRange().toArray(n);
    Pointer base = slots[0].getPointer();
    for (int i = 0; i < n; i++) {
      // As the kernel fills iommu_iova_range[i]: start at 16 * i, last at 16 * i + 8.
      base.setLong(16L * i, 0x10_0000L * (i + 1));
      base.setLong(16L * i + 8, 0x10_0000L * (i + 1) + 0xfff);
    }
    for (int i = 0; i < n; i++) {
      slots[i].read();
      assertEquals(0x10_0000L * (i + 1), slots[i].start, "start of range " + i);
      assertEquals(0x10_0000L * (i + 1) + 0xfff, slots[i].last, "last of range " + i);
    }
  }
}
