package org.guestmem.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.guestmem.linux.iommufd.IommuIoasMap;
import org.guestmem.linux.iommufd.IommuIoasMapFile;
import org.guestmem.linux.iommufd.IommuIoasUnmap;
import org.guestmem.linux.vfio.VfioIommuType1DmaMap;
import org.guestmem.linux.vfio.VfioIommuType1DmaUnmap;
import org.junit.jupiter.api.Test;

/**
 * The structs of the map and unmap calls are stored and loaded field by field at their layout's offsets
 * ({@link KernelStruct#store()}), in place of JNA's boxing {@code write()} and {@code read()}: for random field values
 * they must put the same bytes in memory, and read the same values back out of random bytes. And they describe their
 * arguments as the ioctls' exceptions always have.
 */
class PlainStoreTest {
  private static final List<Supplier<KernelStruct>> PLAIN = List.of(IommuIoasMap::new, IommuIoasMapFile::new,
      IommuIoasUnmap::new, VfioIommuType1DmaMap::new, VfioIommuType1DmaUnmap::new);

  @Test
  void storeWritesWhatJnaWritesAndLoadReadsWhatJnaReads() throws ReflectiveOperationException {
    SplittableRandom random = new SplittableRandom(20_250_611);
    for (Supplier<KernelStruct> make : PLAIN) {
      for (int round = 0; round < 100; round++) {
        KernelStruct plain = make.get();
        KernelStruct jna = make.get();
        for (Field f : publicFields(plain)) {
          Object value = f.getType() == int.class ? (Object) random.nextInt() : (Object) random.nextLong();
          f.set(plain, value);
          f.set(jna, value);
        }
        plain.store();
        jna.write();
        String name = plain.getClass().getSimpleName();
        assertArrayEquals(jna.getPointer().getByteArray(0, jna.size()),
            plain.getPointer().getByteArray(0, plain.size()), name + ": bytes stored");

        byte[] bytes = new byte[plain.size()];
        random.nextBytes(bytes);
        plain.getPointer().write(0, bytes, 0, bytes.length);
        jna.getPointer().write(0, bytes, 0, bytes.length);
        plain.load();
        jna.read();
        for (Field f : publicFields(plain)) {
          assertEquals(f.get(jna), f.get(plain), name + "." + f.getName() + " loaded");
        }
      }
    }
  }

  private static List<Field> publicFields(KernelStruct s) throws NoSuchFieldException {
    List<String> names = s.fields();
    Field[] fields = new Field[names.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = s.getClass().getField(names.get(i));
      if (!Modifier.isPublic(fields[i].getModifiers())) {
        throw new IllegalStateException(names.get(i) + " is not public");
      }
    }
    return List.of(fields);
  }

  @Test
  void theArgumentsAreDescribedAsTheExceptionsAlwaysHaveThem() {
    IommuIoasMap map = new IommuIoasMap();
    map.ioas_id = 2;
    map.flags = 7;
    map.user_va = 0x7f00_0000_1000L;
    map.length = 0x2000;
    map.iova = 0x1_0000_0000L;
    assertEquals("ioas_id=2 flags=0x7 user_va=0x7f0000001000 length=0x2000 iova=0x100000000", map.describe());

    IommuIoasMapFile file = new IommuIoasMapFile();
    file.ioas_id = 2;
    file.flags = 7;
    file.fd = 9;
    file.start = 0x3000;
    file.length = 0x1000;
    file.iova = 0x4000;
    assertEquals("ioas_id=2 flags=0x7 fd=9 start=0x3000 length=0x1000 iova=0x4000", file.describe());

    IommuIoasUnmap unmap = new IommuIoasUnmap();
    unmap.ioas_id = 2;
    unmap.iova = 0;
    unmap.length = -1L;
    assertEquals("ioas_id=2 iova=0x0 length=0xffffffffffffffff", unmap.describe());

    VfioIommuType1DmaMap dmaMap = new VfioIommuType1DmaMap();
    dmaMap.flags = 3;
    dmaMap.vaddr = 0x7f00_0000_0000L;
    dmaMap.iova = 0x1000;
    dmaMap.size = 0x20_0000;
    assertEquals("vaddr=0x7f0000000000 iova=0x1000 size=0x200000 flags=0x3", dmaMap.describe());

    VfioIommuType1DmaUnmap dmaUnmap = new VfioIommuType1DmaUnmap();
    dmaUnmap.flags = 1;
    dmaUnmap.iova = 0;
    dmaUnmap.size = 0;
    assertEquals("iova=0x0 size=0x0 flags=0x1", dmaUnmap.describe());
  }
}
