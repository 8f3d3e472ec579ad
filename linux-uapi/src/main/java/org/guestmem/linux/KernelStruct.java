package org.guestmem.linux;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

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
   * Copies the fields to the struct's memory before an ioctl ({@link Ioctl#call}). A struct whose fields are all
   * {@code int} or {@code long} (every argument of the map, unmap and cut calls) is stored field by field at the
   * offsets of its layout, without JNA's {@link #write()}, which boxes every field: a call then allocates nothing.
   * Any other struct is written by JNA.
   */
  protected void store() {
    PlainField[] plain = plainFields();
    if (plain == null) {
      write();
      return;
    }
    Pointer p = getPointer();
    try {
      for (PlainField f : plain) {
        if (f.isLong) {
          p.setLong(f.offset, f.field.getLong(this));
        } else {
          p.setInt(f.offset, f.field.getInt(this));
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Copies the struct's memory back to the fields after an ioctl ({@link Ioctl#call}): for a struct of {@code int}
   * and {@code long} fields, field by field as {@link #store()} writes them; else JNA's {@link #read()}.
   */
  protected void load() {
    PlainField[] plain = plainFields();
    if (plain == null) {
      read();
      return;
    }
    Pointer p = getPointer();
    try {
      for (PlainField f : plain) {
        if (f.isLong) {
          f.field.setLong(this, p.getLong(f.offset));
        } else {
          f.field.setInt(this, p.getInt(f.offset));
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One field of a struct stored without JNA: where it lies and whether it is a {@code long}. */
  private record PlainField(Field field, int offset, boolean isLong) {}

  /** Per struct class, its fields in layout order, or an empty array when one is not an int or a long. */
  private static final ConcurrentHashMap<Class<?>, PlainField[]> PLAIN_FIELDS = new ConcurrentHashMap<>();

  /** This struct's entry of {@link #PLAIN_FIELDS}, looked up on the first call. */
  private PlainField[] plainFields;

  /** The fields {@link #store()} and {@link #load()} copy one by one, or null when JNA must copy them. */
  private PlainField[] plainFields() {
    PlainField[] plain = plainFields;
    if (plain == null) {
      plain = PLAIN_FIELDS.get(getClass());
      if (plain == null) {
        plain = findPlainFields();
        PLAIN_FIELDS.putIfAbsent(getClass(), plain);
      }
      plainFields = plain;
    }
    return plain.length == 0 ? null : plain;
  }

  private PlainField[] findPlainFields() {
    List<String> names = getFieldOrder();
    PlainField[] plain = new PlainField[names.size()];
    for (int i = 0; i < plain.length; i++) {
      Field field;
      try {
        field = getClass().getField(names.get(i));
      } catch (NoSuchFieldException e) {
        return new PlainField[0];
      }
      Class<?> type = field.getType();
      if ((type != int.class && type != long.class) || !field.trySetAccessible()) {
        return new PlainField[0];
      }
      plain[i] = new PlainField(field, fieldOffset(field.getName()), type == long.class);
    }
    return plain;
  }

  /** {@return the field names in declaration order (as in the kernel header)} */
  public List<String> fields() {
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
