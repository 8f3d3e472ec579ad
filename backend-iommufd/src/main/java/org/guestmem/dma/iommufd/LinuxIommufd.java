package org.guestmem.dma.iommufd;

import static org.guestmem.linux.iommufd.Iommufd.*;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import org.guestmem.dma.backend.RealDmaKernel;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.iommufd.IommuDestroy;
import org.guestmem.linux.iommufd.IommuIoasAlloc;
import org.guestmem.linux.iommufd.IommuIoasIovaRanges;
import org.guestmem.linux.iommufd.IommuIoasMap;
import org.guestmem.linux.iommufd.IommuIoasMapFile;
import org.guestmem.linux.iommufd.IommuIoasUnmap;
import org.guestmem.linux.iommufd.IommuIovaRange;
import org.guestmem.linux.iommufd.IommuOption;
import org.guestmem.linux.iommufd.IommuVfioIoas;
import org.guestmem.linux.vfio.Vfio;
import org.guestmem.linux.vfio.VfioDeviceAttachIommufdPt;
import org.guestmem.linux.vfio.VfioDeviceBindIommufd;
import org.guestmem.linux.vfio.VfioIommuType1DmaUnmap;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.guestmem.spi.IovaRange;

/**
 * A real iommufd context: {@code /dev/iommu}, one IOAS from {@code IOMMU_IOAS_ALLOC}, optionally a vfio cdev bound to
 * it ({@code VFIO_DEVICE_BIND_IOMMUFD}, {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}), and, for cuts, the compat set-up
 * checked on a real 6.12 kernel (docs/linux-uapi-facts.md, appendix): {@code IOMMU_OPTION(HUGE_PAGES, SET, ioas, 0)} first,
 * {@code IOMMU_VFIO_IOAS(SET, ioas)}, then {@code VFIO_IOMMU_UNMAP_DMA} on the same descriptor.
 *
 * <p>Closing unmaps everything, closes the device (which detaches and unbinds it), destroys the IOAS and closes the
 * iommufd.
 *
 * <p>Not thread-safe, as {@link org.guestmem.dma.backend.DmaKernel} says (its back-end serialises the calls): the
 * map, unmap and cut structs are kept and reused, so that a successful map, unmap or cut allocates nothing.
 */
final class LinuxIommufd extends RealDmaKernel implements IommufdContext {
  private final String iommuPath;
  private final String devicePath;
  private final boolean cuts;
  private int fd = -1;
  private int deviceFd = -1;
  private int ioas;
  private int devId = -1;
  private final IommuIoasMap mapArgument = new IommuIoasMap();
  private final IommuIoasMapFile mapFileArgument = new IommuIoasMapFile();
  private final IommuIoasUnmap unmapArgument = new IommuIoasUnmap();
  private final VfioIommuType1DmaUnmap cutArgument = new VfioIommuType1DmaUnmap();
  /** The cut's arguments as type1's, said to have gone through iommufd's compat path; made once. */
  private final Ioctl.Arguments cutArguments = () -> "iommufd compat " + cutArgument.describe();

  LinuxIommufd(String iommuPath, String devicePath, boolean cuts, boolean mapFiles) {
    this.iommuPath = iommuPath;
    this.devicePath = devicePath;
    this.cuts = cuts;
    try {
      fd = Ioctl.open(iommuPath, "the iommufd");
      onRelease(() -> Ioctl.close(fd));
      IommuIoasAlloc alloc = new IommuIoasAlloc();
      alloc.size = alloc.size();
      Ioctl.call(fd, IOMMU_IOAS_ALLOC, "IOMMU_IOAS_ALLOC", alloc, "flags=0");
      ioas = alloc.out_ioas_id;
      onRelease(this::destroyIoas);
      if (mapFiles) {
        probeMapFile();
      }
      if (cuts) {
        // Before the first map (and before attaching is fine too): afterwards the kernel refuses with EINVAL.
        IommuOption option = new IommuOption();
        option.size = option.size();
        option.option_id = IOMMU_OPTION_HUGE_PAGES;
        option.op = (short) IOMMU_OPTION_OP_SET;
        option.object_id = ioas;
        option.val64 = 0;
        Ioctl.call(fd, IOMMU_OPTION, "IOMMU_OPTION", option, "HUGE_PAGES SET object_id=" + ioas + " val64=0");
        IommuVfioIoas compat = new IommuVfioIoas();
        compat.size = compat.size();
        compat.ioas_id = ioas;
        compat.op = (short) IOMMU_VFIO_IOAS_SET;
        Ioctl.call(fd, IOMMU_VFIO_IOAS, "IOMMU_VFIO_IOAS", compat, "SET ioas_id=" + ioas);
      }
      if (devicePath != null) {
        deviceFd = Ioctl.open(devicePath, "the vfio device cdev (bound to vfio-pci)");
        // Closing the device detaches and unbinds it.
        onRelease(() -> Ioctl.close(deviceFd));
        VfioDeviceBindIommufd bind = new VfioDeviceBindIommufd();
        bind.argsz = 16; // up to out_devid: portable to kernels without the VF-token field
        bind.flags = 0;
        bind.iommufd = fd;
        Ioctl.call(deviceFd, Vfio.VFIO_DEVICE_BIND_IOMMUFD, "VFIO_DEVICE_BIND_IOMMUFD", bind,
            "device=" + devicePath + " iommufd=" + fd);
        devId = bind.out_devid;
        VfioDeviceAttachIommufdPt attach = new VfioDeviceAttachIommufdPt();
        attach.argsz = 12; // without the PASID field
        attach.flags = 0;
        attach.pt_id = ioas;
        Ioctl.call(deviceFd, Vfio.VFIO_DEVICE_ATTACH_IOMMUFD_PT, "VFIO_DEVICE_ATTACH_IOMMUFD_PT", attach,
            "device=" + devicePath + " pt_id=" + ioas);
      }
    } catch (RuntimeException e) {
      release(e);
      throw e;
    }
  }

  @Override
  public Ranges iovaRanges() {
    int room = 0;
    for (int attempt = 0; attempt < 4; attempt++) {
      // allowed_iovas points at room iommu_iova_range structs in one block, which JNA's struct array gives.
      IommuIovaRange[] slots =
          room == 0 ? new IommuIovaRange[0] : (IommuIovaRange[]) new IommuIovaRange().toArray(room);
      IommuIoasIovaRanges r = new IommuIoasIovaRanges();
      r.size = r.size();
      r.ioas_id = ioas;
      r.num_iovas = room;
      r.allowed_iovas = room == 0 ? 0 : Pointer.nativeValue(slots[0].getPointer());
      try {
        Ioctl.call(fd, IOMMU_IOAS_IOVA_RANGES, "IOMMU_IOAS_IOVA_RANGES", r, "ioas_id=" + ioas + " num_iovas=" + room);
      } catch (DmaException e) {
        if (e.errno() == Errno.EMSGSIZE.number()) {
          room = r.num_iovas; // the kernel wrote the count it needs
          continue;
        }
        throw e;
      }
      List<IovaRange> ranges = new ArrayList<>();
      for (int i = 0; i < r.num_iovas; i++) {
        slots[i].read();
        ranges.add(new IovaRange(slots[i].start, slots[i].last));
      }
      return new Ranges(ranges, r.out_iova_alignment);
    }
    throw new DmaException("IOMMU_IOAS_IOVA_RANGES", Errno.EMSGSIZE, "ioas_id=" + ioas,
        "the number of ranges kept changing");
  }

  @Override
  public void map(long userVa, long length, long iova, int flags) {
    IommuIoasMap map = mapArgument;
    map.size = map.size();
    map.flags = flags;
    map.ioas_id = ioas;
    map.__reserved = 0;
    map.user_va = userVa;
    map.length = length;
    map.iova = iova;
    Ioctl.call(fd, IOMMU_IOAS_MAP, "IOMMU_IOAS_MAP", map, map);
  }

  /**
   * Fails at open, not at the first conversion, on a kernel without {@code IOMMU_IOAS_MAP_FILE}: a call with a
   * {@code size} of 0 is refused with EINVAL by a kernel that knows the ioctl (the size is below the struct's) and
   * with ENOTTY by one that does not (before 6.13), and maps nothing either way.
   */
  private void probeMapFile() {
    IommuIoasMapFile probe = new IommuIoasMapFile();
    probe.size = 0;
    try {
      Ioctl.call(fd, IOMMU_IOAS_MAP_FILE, "IOMMU_IOAS_MAP_FILE", probe, "size=0 (probe)");
    } catch (DmaException e) {
      if (e.errno() == Errno.EINVAL.number()) {
        return;
      }
      throw new DmaException("IOMMU_IOAS_MAP_FILE", e.errno(), "size=0 (probe)", "map-file=true needs "
          + "IOMMU_IOAS_MAP_FILE, which this kernel does not have (Linux 6.13 and later); open without map-file");
    }
    throw new IllegalStateException("IOMMU_IOAS_MAP_FILE accepted a size of 0: the kernel's ABI is not the one known");
  }

  @Override
  public void mapFile(int fileFd, long start, long length, long iova, int flags) {
    IommuIoasMapFile map = mapFileArgument;
    map.size = map.size();
    map.flags = flags;
    map.ioas_id = ioas;
    map.fd = fileFd;
    map.start = start;
    map.length = length;
    map.iova = iova;
    Ioctl.call(fd, IOMMU_IOAS_MAP_FILE, "IOMMU_IOAS_MAP_FILE", map, map);
  }

  @Override
  public long unmap(long iova, long length) {
    IommuIoasUnmap unmap = unmapArgument;
    unmap.size = unmap.size();
    unmap.ioas_id = ioas;
    unmap.iova = iova;
    unmap.length = length;
    Ioctl.call(fd, IOMMU_IOAS_UNMAP, "IOMMU_IOAS_UNMAP", unmap, unmap);
    return unmap.length;
  }

  @Override
  public long compatUnmap(long iova, long size, int flags) {
    return cutArgument.unmapDma(fd, iova, size, flags, cutArguments);
  }

  @Override
  public boolean cutsEnabled() {
    return cuts;
  }

  @Override
  public boolean domainAttached() {
    return deviceFd >= 0;
  }

  @Override
  public String description() {
    return "real kernel: " + iommuPath + " IOAS " + ioas
        + (devicePath != null ? ", device " + devicePath + " (devid " + devId + ") attached" : ", no device attached")
        + (cuts ? ", HUGE_PAGES=0 and compat IOAS set for cuts" : "");
  }

  private void destroyIoas() {
    IommuDestroy destroy = new IommuDestroy();
    destroy.size = destroy.size();
    destroy.id = ioas;
    Ioctl.call(fd, IOMMU_DESTROY, "IOMMU_DESTROY", destroy, "id=" + ioas);
  }
}
