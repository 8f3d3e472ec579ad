/*
 * Peer: the kernel's maple tree (lib/maple_tree.c), compiled in user space through the kernel's own test harness:
 * this file includes the kernel tree's maple shim, as the harness's maple.c does (docs/native-peers.md, 1.5).
 *
 * Model: a shared run is one entry holding xa_mk_value(1) over [first, last]; private blocks hold no entry (the
 * tree joins adjacent empty ranges by itself). Setting a range shared first looks up the entries just before and
 * just after it and widens the store to cover them, so every maximal shared run stays one entry, as a tree of
 * runs must; setting it private stores NULL over it (a range erase). Reads walk with mas_for_each. Memory is the
 * harness's slab accounting: live maple nodes x the node cache's object size, plus the tree's root (1.6).
 */
#include "maple-shim.c"

#include "peer.h"

static struct maple_tree tree;
static uint64_t tree_blocks;
#define SHARED xa_mk_value(1)

static void maple_init(uint64_t blocks)
{
	tree_blocks = blocks;
	mt_init(&tree);
}

static void maple_destroy(void)
{
	mtree_destroy(&tree);
}

static void maple_set(uint64_t from, uint64_t to, int state)
{
	unsigned long first = from, last = to - 1;
	if (!state) {
		mtree_store_range(&tree, first, last, NULL, GFP_KERNEL);
		return;
	}
	MA_STATE(mas, &tree, 0, 0);
	mtree_lock(&tree);
	if (first > 0) {
		mas_set(&mas, first - 1);
		if (mas_walk(&mas))
			first = mas.index;
	}
	if (to < tree_blocks) {
		mas_set(&mas, to);
		if (mas_walk(&mas))
			last = mas.last;
	}
	mas_set_range(&mas, first, last);
	mas_store_gfp(&mas, SHARED, GFP_KERNEL);
	mtree_unlock(&tree);
}

static void maple_shared_from(uint64_t from, struct run_walk *w)
{
	void *entry;
	MA_STATE(mas, &tree, from, from);
	rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		if (!walk_shared(w, mas.index, (uint64_t)mas.last + 1))
			break;
	}
	rcu_read_unlock();
}

static uint64_t maple_bytes(void)
{
	return kmem_cache_get_alloc(maple_node_cache) + sizeof(tree);
}

static void maple_report(FILE *out)
{
	fprintf(out, "nodes %lu\nnode_size %u\n", (unsigned long)kmem_cache_nr_allocated(maple_node_cache),
		(unsigned)maple_node_cache->size);
}

int main(int argc, char **argv)
{
	static const struct peer p = {
		.name = "maple", .init = maple_init, .destroy = maple_destroy, .set = maple_set,
		.shared_from = maple_shared_from, .bytes = maple_bytes, .report = maple_report,
	};
	maple_tree_init();
	return peer_main(&p, argc, argv);
}
