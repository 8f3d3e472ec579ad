/**
 * The "intervaltree" state store: memory proportional to the number of runs, with dense stretches kept as bitmap
 * leaves.
 */
module org.guestmem.store.intervaltree {
  requires org.guestmem.core;

  provides org.guestmem.spi.StateStoreProvider with org.guestmem.store.intervaltree.IntervalTreeStoreProvider;
}
