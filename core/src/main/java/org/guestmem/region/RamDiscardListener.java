package org.guestmem.region;

/**
 * Told when parts of its registered section become populated (shared and plugged, so host- and device-visible) or
 * discarded. The counterpart of QEMU's {@code RamDiscardListener}.
 *
 * <p>Offsets are bytes from the start of the region; every notification is a multiple of the region's granularity
 * and lies inside the section the listener was registered with. Notifications of one region never run
 * concurrently.
 *
 * <p>Either method refuses by throwing. The manager then compensates every call that the refusal undoes,
 * <em>including the refused call itself</em>: a refused populate is followed by a discard of the same range, a
 * refused discard by a populate of the same range. A listener must therefore accept a discard of a range it holds
 * only partly (or not at all) and a populate of a range it already holds partly. A listener that keeps an exact view
 * (a set of populated blocks) meets this by treating both calls as set operations.
 */
public interface RamDiscardListener {

  /**
   * {@code [offset, offset + length)} is about to become populated; throw to refuse.
   *
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes
   */
  void populate(long offset, long length);

  /**
   * {@code [offset, offset + length)} is about to be discarded (unmap before it turns private); throw to refuse.
   *
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes
   */
  void discard(long offset, long length);

  /**
   * Whether this listener still holds (maps, pins) byte {@code offset} of the region. The manager asks when KVM
   * refuses to make a page private because it still has an extra reference: a listener that holds a page it was
   * told to discard is a bug. The default says no, for listeners that hold nothing a kernel could see.
   *
   * @param offset a byte of the region
   * @return whether this listener still maps or pins it
   */
  default boolean holds(long offset) {
    return false;
  }
}
