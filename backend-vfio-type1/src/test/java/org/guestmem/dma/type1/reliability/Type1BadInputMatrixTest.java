package org.guestmem.dma.type1.reliability;

import static org.guestmem.reliability.BadInputMatrix.Category.BAD_VALUE;
import static org.guestmem.reliability.BadInputMatrix.Category.NEGATIVE;
import static org.guestmem.reliability.BadInputMatrix.Category.OUT_OF_RANGE;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.dma.type1.Type1Provider;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.reliability.BadInputMatrix;
import org.guestmem.reliability.DmaBadInputCells;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bad-input matrix of the type1 back-end on its embedded model: map/unmap/cut with bad arguments (the errno
 * {@code vfio_dma_do_map}/{@code vfio_dma_do_unmap} return), listener registration, the entry limit, provider options.
 */
class Type1BadInputMatrixTest {

  private static DmaBackend open() {
    return new Type1Provider().open(Map.of("kernel", "embedded"));
  }

  @TestFactory
  Stream<DynamicTest> everyEntryPointRejectsEveryKindOfBadInput() {
    BadInputMatrix matrix = new BadInputMatrix("backend-vfio-type1");
    DmaBadInputCells.add(matrix, "vfio-type1", Type1BadInputMatrixTest::open, new DmaBadInputCells.Answers(
        new String[] {"EINVAL", "multiples of the IOMMU page size"},
        new String[] {"EINVAL", "size is 0"},
        new String[] {"EINVAL", "not inside one usable IOVA range"},
        new String[] {"EEXIST", "overlaps the existing mapping"},
        new String[] {"EINVAL", "iova is not a multiple of the IOMMU page size"},
        new String[] {"EINVAL", "type1v2 forbids bisecting a mapping; nothing was unmapped"},
        new String[] {"EINVAL", "size must be a non-zero multiple"},
        null, null));

    DmaBackend few = new Type1Provider().open(Map.of("kernel", "embedded", "dma-entry-limit", "16"));
    AttributeManager m = AttributeManager.builder().layout(new RegionLayout(64 * 4096, 4096, 1L << 32, 0x7f00_0000_0000L))
        .store(new ModelStoreProvider()).build();
    matrix.cell("DmaMappingListener.register(vfio-type1)", OUT_OF_RANGE, DmaConfigurationException.class,
        "may need 64 DMA entries", "raise the limit to at least 64 with the module parameter "
            + "vfio_iommu_type1.dma_entry_limit", () -> List.of(few.mappingRuns(), m.listenerCount()),
        () -> DmaMappingListener.register(m, few, MappingPolicy.GRANULE, EntryLimitPolicy.STRICT));

    String open = "Type1Provider.open";
    matrix.cell(open, BAD_VALUE, IllegalArgumentException.class, "[bogus]", "unknown vfio-type1 option", null,
        () -> new Type1Provider().open(Map.of("bogus", "1")));
    matrix.cell(open, BAD_VALUE, IllegalArgumentException.class, "kernel='nope'",
        "must be one of auto, real, embedded", null, () -> new Type1Provider().open(Map.of("kernel", "nope")));
    matrix.cell(open, NEGATIVE, IllegalArgumentException.class, "memlock='-5'", "must be a non-negative size",
        null, () -> new Type1Provider().open(Map.of("kernel", "embedded", "memlock", "-5")));
    matrix.cell(open, OUT_OF_RANGE, IllegalArgumentException.class, "dma_entry_limit 5368709120",
        "must be an unsigned 32-bit value", null,
        () -> new Type1Provider().open(Map.of("kernel", "embedded", "dma-entry-limit", "5G")));
    matrix.cell(open, BAD_VALUE, IllegalArgumentException.class, "lock-cap='maybe'", "must be true or false",
        null, () -> new Type1Provider().open(Map.of("kernel", "embedded", "lock-cap", "maybe")));
    return matrix.tests();
  }
}
