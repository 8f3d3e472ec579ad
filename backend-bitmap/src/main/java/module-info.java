/** The "bitmap" state store: one bit per block, word-level range operations. */
module org.guestmem.store.bitmap {
  requires org.guestmem.core;

  provides org.guestmem.spi.StateStoreProvider with org.guestmem.store.bitmap.BitmapStoreProvider;
}
