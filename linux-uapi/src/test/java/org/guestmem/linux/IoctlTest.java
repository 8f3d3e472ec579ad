package org.guestmem.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Structure.FieldOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.guestmem.dma.conformance.AllocationMeter;
import org.guestmem.linux.vfio.Vfio;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Ioctl#call(int, long, String, KernelStruct, Ioctl.Arguments)} on an ioctl every Linux machine answers:
 * {@code FIONREAD} on a regular file writes the bytes left to read into an {@code int}. A successful call describes
 * nothing and allocates nothing; a failed one describes the arguments passed in.
 */
class IoctlTest {
  /** {@code FIONREAD} of {@code asm-generic/ioctls.h}, the same on x86_64 and aarch64. */
  private static final long FIONREAD = 0x541B;

  /**
   * The {@code int} {@code FIONREAD} writes, stored field by field as every struct of ints and longs is; counts its
   * descriptions.
   */
  @FieldOrder({"bytes"})
  public static class ReadableBytes extends KernelStruct implements Ioctl.Arguments {
    /** Bytes left to read, written by the kernel. */
    public int bytes;
    private int descriptions;

    @Override
    public String describe() {
      descriptions++;
      return "bytes=" + bytes;
    }
  }

  @Test
  void aSuccessfulCallDescribesNothingAndAllocatesNothing(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("123-bytes"), new byte[123]);
    int fd = Ioctl.open(file.toString(), "a regular file");
    try {
      ReadableBytes readable = new ReadableBytes();
      assertEquals(0, Ioctl.call(fd, FIONREAD, "FIONREAD", readable, readable));
      assertEquals(123, readable.bytes, "the kernel's answer is loaded back");
      double perCall = AllocationMeter.bytesPerCall(() -> {
        for (int i = 0; i < 100_000; i++) {
          readable.bytes = -1;
          Ioctl.call(fd, FIONREAD, "FIONREAD", readable, readable);
        }
        return 100_000;
      });
      System.out.printf("Ioctl.call(FIONREAD) with a plain-store struct: %.3f bytes allocated per call%n", perCall);
      assertEquals(123, readable.bytes);
      assertEquals(0, readable.descriptions, "no call failed, so none was described");
      assertTrue(perCall < 1, perCall + " bytes per successful ioctl: something on the path allocates");
    } finally {
      Ioctl.close(fd);
    }
  }

  @Test
  void aFailedCallIsDescribedOnceWithTheArgumentsPassedIn(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("empty"), new byte[0]);
    int fd = Ioctl.open(file.toString(), "a regular file");
    try {
      ReadableBytes readable = new ReadableBytes();
      readable.bytes = 77;
      DmaException e = assertThrows(DmaException.class,
          () -> Ioctl.call(fd, Vfio.VFIO_IOMMU_MAP_DMA, "VFIO_IOMMU_MAP_DMA", readable, readable));
      assertEquals(Errno.ENOTTY.number(), e.errno());
      assertEquals("VFIO_IOMMU_MAP_DMA", e.ioctl());
      assertEquals(1, readable.descriptions);
      assertTrue(e.getMessage().contains("bytes=77"), e.getMessage());
    } finally {
      Ioctl.close(fd);
    }
  }
}
