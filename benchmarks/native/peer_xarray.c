/*
 * Peer: the kernel's xarray (lib/xarray.c), as the kernel's test harness (tools/testing/radix-tree) compiles it in
 * user space, with the kernel's node size (XA_CHUNK_SHIFT 6, 64 slots; docs/native-peers.md, 1.2-1.4).
 *
 * Model: KVM's VM-wide memory attributes (kvm_vm_set_mem_attributes in virt/kvm/kvm_main.c) keep one entry per
 * guest frame, xa_mk_value(attributes) or nothing, stored index by index. One entry per 4 KiB frame cannot hold a
 * 16 TiB data set, so this peer gives the xarray its best range form instead: xa_store_range with multi-index
 * entries (a canonical slot and its sibling slots per node level), xa_mk_value(1) for shared and NULL (erase) for
 * private. Storing into part of a larger multi-index entry does not split it, so a set first reads the entries that
 * straddle its ends, erases them and stores their outside parts back. Reads walk with xas_for_each, an entry's extent
 * read from its sibling slots. Memory is the harness's slab accounting: live xa_nodes x the node cache's object size,
 * plus the xarray head.
 */
#include "xarray-shared.h"
#include <linux/xarray.h>
#include <linux/slab.h>

#include "peer.h"

/*
 * The harness's slab accounting (the kernel tree's tools/testing/shared/linux.c; docs/native-peers.md, 1.6), which no
 * harness header declares.
 */
unsigned long kmem_cache_get_alloc(struct kmem_cache *cachep);
unsigned long kmem_cache_nr_allocated(struct kmem_cache *cachep);
void radix_tree_init(void);

extern struct kmem_cache *radix_tree_node_cachep;

static DEFINE_XARRAY(xa);
#define SHARED xa_mk_value(1)

static void xarray_init(uint64_t blocks)
{
	(void)blocks;
	xa_init(&xa);
}

static void xarray_destroy(void)
{
	xa_destroy(&xa);
}

/*
 * The indices [*first, *end) the entry under xas covers. xa_store_range gives an entry any number of sibling
 * slots (not only a power of two), so the extent is its canonical slot plus the siblings that follow it.
 */
static void extent(struct xa_state *xas, unsigned long *first, unsigned long *end)
{
	struct xa_node *node = xas->xa_node;
	if (!node || xas_invalid(xas)) { /* an entry in the head covers index 0 only */
		*first = 0;
		*end = 1;
		return;
	}
	unsigned int shift = node->shift, offset = xas->xa_offset, n = 1;
	while (offset + n < XA_CHUNK_SIZE && xa_is_sibling(xa_entry(xas->xa, node, offset + n)))
		n++;
	unsigned long node_span_mask = shift + XA_CHUNK_SHIFT >= BITS_PER_LONG
		? ~0UL : ((unsigned long)XA_CHUNK_SIZE << shift) - 1;
	*first = (xas->xa_index & ~node_span_mask) + ((unsigned long)offset << shift);
	*end = *first + ((unsigned long)n << shift);
}

/* The entry holding `index` and the indices [*first, *end) it covers; NULL if none. */
static void *entry_at(unsigned long index, unsigned long *first, unsigned long *end)
{
	XA_STATE(xas, &xa, index);
	void *entry;
	rcu_read_lock();
	entry = xas_load(&xas);
	if (entry)
		extent(&xas, first, end);
	rcu_read_unlock();
	return entry;
}

static void store(unsigned long first, unsigned long end, void *entry)
{
	xa_store_range(&xa, first, end - 1, entry, GFP_KERNEL);
}

static void xarray_set(uint64_t from, uint64_t to, int state)
{
	unsigned long lf = 0, le = 0, rf = 0, re = 0;
	void *left = entry_at(from, &lf, &le);
	void *right = entry_at(to - 1, &rf, &re);
	int same = left && right && lf == rf;
	/*
	 * A store that starts on a sibling slot lands on the entry's canonical slot instead, so the entries straddling
	 * the range's ends are erased whole first (from their own first index) and their outside parts stored back after.
	 */
	if (left && (lf < from || le > to))
		store(lf, le, NULL);
	if (right && !same && re > to)
		store(rf, re, NULL);
	store(from, to, state ? SHARED : NULL);
	if (left && lf < from)
		store(lf, from, left);
	if (left && le > to)
		store(to, le, left);
	if (right && !same && re > to)
		store(to, re, right);
}

static void xarray_shared_from(uint64_t from, struct run_walk *w)
{
	void *entry;
	XA_STATE(xas, &xa, from);
	rcu_read_lock();
	xas_for_each(&xas, entry, ULONG_MAX) {
		if (xas_retry(&xas, entry))
			continue;
		unsigned long first, end;
		extent(&xas, &first, &end);
		if (!walk_shared(w, first, end))
			break;
	}
	rcu_read_unlock();
}

static uint64_t xarray_bytes(void)
{
	return kmem_cache_get_alloc(radix_tree_node_cachep) + sizeof(xa);
}

static void xarray_report(FILE *out)
{
	fprintf(out, "nodes %lu\nnode_size %u\n", kmem_cache_nr_allocated(radix_tree_node_cachep),
		(unsigned)radix_tree_node_cachep->size);
}

int main(int argc, char **argv)
{
	static const struct peer p = {
		.name = "xarray", .init = xarray_init, .destroy = xarray_destroy, .set = xarray_set,
		.shared_from = xarray_shared_from, .bytes = xarray_bytes, .report = xarray_report,
	};
	rcu_register_thread();
	radix_tree_init();
	return peer_main(&p, argc, argv);
}
