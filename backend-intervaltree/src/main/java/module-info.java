/**
 * The "intervaltree" state store: memory proportional to the number of runs, with dense stretches kept as bitmap
 * leaves (a sorted array of leaves; the module keeps the provider's configuration name).
 */
module org.guestmem.store.intervaltree {
  requires org.guestmem.core;

  provides org.guestmem.spi.StateStoreProvider with org.guestmem.store.intervaltree.PackedRunStoreProvider;
}
