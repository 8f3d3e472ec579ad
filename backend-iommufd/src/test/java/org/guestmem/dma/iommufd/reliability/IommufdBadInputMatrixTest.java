package org.guestmem.dma.iommufd.reliability;

import static org.guestmem.reliability.BadInputMatrix.Category.BAD_VALUE;
import static org.guestmem.reliability.BadInputMatrix.Category.NEGATIVE;

import java.util.Map;
import java.util.stream.Stream;
import org.guestmem.dma.iommufd.IommufdProvider;
import org.guestmem.reliability.BadInputMatrix;
import org.guestmem.reliability.DmaBadInputCells;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bad-input matrix of the iommufd back-end on its embedded model, plain and with cut=true: map/unmap/cut with bad
 * arguments (the errno {@code iommufd_ioas_map}, {@code iopt_unmap_iova_range} and the compat unmap return),
 * listener registration, provider options.
 */
class IommufdBadInputMatrixTest {

  private static DmaBackend open(boolean cut) {
    return new IommufdProvider().open(Map.of("kernel", "embedded", "cut", Boolean.toString(cut)));
  }

  @TestFactory
  Stream<DynamicTest> everyEntryPointRejectsEveryKindOfBadInput() {
    BadInputMatrix matrix = new BadInputMatrix("backend-iommufd");
    String[] misaligned = {"EINVAL", "multiples of the IOVA alignment"};
    String[] zero = {"EINVAL", "length must be non-zero"};
    String[] reserved = {"EINVAL", "hits a reserved IOVA"};
    String[] overlap = {"EEXIST", "overlaps the area"};
    String[] cutsArea = {"ENOENT", "iommufd never splits on unmap"};
    String[] unmapZero = {"EINVAL", "length is 0"};
    DmaBadInputCells.add(matrix, "iommufd", () -> open(false), new DmaBadInputCells.Answers(misaligned, zero,
        reserved, overlap, cutsArea, cutsArea, unmapZero, null, null));
    DmaBadInputCells.add(matrix, "iommufd(cut)", () -> open(true), new DmaBadInputCells.Answers(misaligned, zero,
        reserved, overlap, cutsArea, cutsArea, unmapZero, new String[] {"EINVAL", "is not on a page boundary"},
        new String[] {"EINVAL", "size is 0"}));

    String open = "IommufdProvider.open";
    matrix.cell(open, BAD_VALUE, IllegalArgumentException.class, "[bogus]", "unknown iommufd option", null,
        () -> new IommufdProvider().open(Map.of("bogus", "1")));
    matrix.cell(open, BAD_VALUE, IllegalArgumentException.class, "cut='maybe'", "must be true or false", null,
        () -> new IommufdProvider().open(Map.of("kernel", "embedded", "cut", "maybe")));
    matrix.cell(open, NEGATIVE, IllegalArgumentException.class, "memlock='-1'", "must be a non-negative size", null,
        () -> new IommufdProvider().open(Map.of("kernel", "embedded", "memlock", "-1")));
    matrix.cell(open, BAD_VALUE, IllegalArgumentException.class, "option device",
        "applies to the real kernel only", null,
        () -> new IommufdProvider().open(Map.of("kernel", "embedded", "device", "/dev/vfio/devices/vfio0")));
    return matrix.tests();
  }
}
