package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.guestmem.config.Providers;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.DmaPins;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.GuestMemoryMap;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.trace.TraceReader;
import org.guestmem.workload.OpKind;
import org.junit.jupiter.api.Test;

/**
 * A QEMU trace of a guest with RAM below and above the 4 GiB hole ([0, 2 GiB) and [4 GiB, 8 GiB)), replayed through
 * a {@link GuestMemoryMap}: one guest_memfd model for both regions (file offsets 0 and 2 GiB, as QEMU's one RAM
 * block), one iommufd model IOAS with a DMA mapping listener per region at IOVA = guest-physical, and KVM's pins taken
 * from that IOAS's mappings. The mapping invariant and KVM's attributes are checked after every line.
 */
class MemoryMapReplayTest {
  static final long G = 1L << 30;
  static final long P = 4096;

  @Test
  void aTraceAcrossTheHoleReplaysWithTheInvariantCheckedAfterEveryLine() {
    long seed = 0x484f4c45L;
    SplittableRandom rnd = new SplittableRandom(seed);
    long[][] ram = {{0, 2 * G, 0x7f00_0000_0000L}, {4 * G, 4 * G, 0x7f80_0000_0000L}};
    StringBuilder trace = new StringBuilder();
    int lines = 600;
    for (int i = 0; i < lines; i++) {
      long[] r = ram[rnd.nextInt(2)];
      long pages = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 512 : 16);
      long start = r[0] + rnd.nextLong(r[1] / P - pages) * P;
      trace.append(String.format("%d@1700000000.%06d:kvm_convert_memory start 0x%x size 0x%x %s%n", 4242, i, start,
          pages * P, rnd.nextInt(5) < 3 ? "private_to_shared" : "shared_to_private"));
    }
    DmaBackend iommu = Providers.dmaBackend("iommufd").open(Map.of("kernel", "embedded"));
    List<AttributeManager> regions = new ArrayList<>();
    List<MemoryAttributeBackend> kvms = new ArrayList<>();
    List<DmaMappingListener> listeners = new ArrayList<>();
    List<GuestMemoryMap.Ram> rams = new ArrayList<>();
    long fileOffset = 0;
    for (long[] r : ram) {
      MemoryAttributeBackend kvm = Providers.memoryAttributeBackend("guest-memfd")
          .open(new Region(r[1], r[0], fileOffset, r[2], DmaPins.of(iommu), Map.of()));
      fileOffset += r[1];
      AttributeManager m = AttributeManager.builder().layout(new RegionLayout(r[1], P, r[0], r[2]))
          .store(Providers.stateStore("intervaltree")).memoryAttributes(kvm).build();
      listeners.add(DmaMappingListener.register(m, iommu, MappingPolicy.GRANULE));
      regions.add(m);
      kvms.add(kvm);
      rams.add(new GuestMemoryMap.Ram(r[0], m));
    }
    GuestMemoryMap map = GuestMemoryMap.of(rams);
    long replayed = 0;
    long changed = 0;
    try (TraceReader ops = new TraceReader(new StringReader(trace.toString()), "hole.trace",
        TraceReader.Options.of(8 * G).withBase(0).withStrict(true))) {
      while (ops.next()) {
        boolean shared = ops.kind() == OpKind.SHARE;
        changed += map.convert(ops.offset(), ops.length(), shared).stream().mapToLong(r -> r.blocksChanged()).sum();
        replayed++;
        for (int i = 0; i < regions.size(); i++) {
          String where = "seed " + seed + " " + ops.position() + ", region " + i;
          MappingAuditor.check(listeners.get(i));
          MemoryAttributeBackend kvm = kvms.get(i);
          regions.get(i).replayStates(0, regions.get(i).layout().size(), (off, len, st) -> {
            assertTrue(kvm.isUniform(off, len, st == BlockState.SHARED), where + ": KVM disagrees at 0x"
                + Long.toHexString(off));
            return 0;
          });
        }
      }
    }
    assertEquals(lines, replayed);
    assertTrue(changed > 0, "the trace changed nothing");
    assertTrue(regions.get(0).bytesIn(BlockState.SHARED) > 0 && regions.get(1).bytesIn(BlockState.SHARED) > 0,
        "both sides of the hole hold shared memory");
    assertEquals(0, regions.get(0).heldPinRefusals() + regions.get(1).heldPinRefusals());
    for (DmaMappingListener l : listeners) {
      l.close();
    }
    MappingAuditor.checkNothingMapped(iommu);
    iommu.close();
  }
}
