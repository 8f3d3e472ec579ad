package org.guestmem.linux;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Base of the kernel uAPI structs: natural (GCC) alignment, and the field offsets made public so that tests can
 * compare every struct with the kernel header's layout.
 */
public abstract class KernelStruct extends Structure {

  /** A struct in memory of its own, laid out as GCC lays it out. */
  protected KernelStruct() {
    super(ALIGN_GNUC);
  }

  /**
   * A view of existing memory, laid out as GCC lays it out.
   *
   * @param memory where the struct lies
   */
  protected KernelStruct(Pointer memory) {
    super(memory, ALIGN_GNUC);
  }

  /**
   * Copies the fields to the struct's memory before an ioctl ({@link Ioctl#call}). The default is JNA's
   * {@link #write()}, which reads every field by reflection and boxes it; the structs of the map and unmap calls
   * override this with plain stores at their offsets, so that such a call allocates nothing.
   */
  protected void store() {
    write();
  }

  /**
   * Copies the struct's memory back to the fields after an ioctl ({@link Ioctl#call}). The default is JNA's
   * {@link #read()}; the structs of the map and unmap calls override this with plain loads.
   */
  protected void load() {
    read();
  }

  /** {@return the field names in declaration order (as in the kernel header)} */
  public java.util.List<String> fields() {
    return getFieldOrder();
  }

  /**
   * {@return the byte offset of {@code field}, as the C compiler places it}
   *
   * @param field a name from {@link #fields()}
   */
  public int offsetOf(String field) {
    return fieldOffset(field);
  }
}
