package org.guestmem.linux;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Base of the kernel uAPI structs: natural (GCC) alignment, and the field offsets made public so that tests can
 * compare every struct with the kernel header's layout.
 */
public abstract class KernelStruct extends Structure {

  protected KernelStruct() {
    super(ALIGN_GNUC);
  }

  protected KernelStruct(Pointer memory) {
    super(memory, ALIGN_GNUC);
  }

  /** The field names in declaration order (as in the kernel header). */
  public java.util.List<String> fields() {
    return getFieldOrder();
  }

  /** Byte offset of {@code field}, as the C compiler places it. */
  public int offsetOf(String field) {
    return fieldOffset(field);
  }
}
