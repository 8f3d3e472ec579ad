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
