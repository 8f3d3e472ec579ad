/*
 * Peer: QEMU's RamBlockAttributes algorithm (ram_block_attributes_state_change in QEMU's
 * system/ram-block-attributes.c), written here from its published description, not copied: one bit per block
 * (set = shared, "populated"); a conversion first asks find_next_bit / find_next_zero_bit whether the range is
 * already all private or all shared; a range wholly in the other state is flipped with one bitmap_set/bitmap_clear
 * and one listener notification; a mixed range is walked block by block, flipping and notifying each block that
 * changes. Reads walk runs with find_next_bit / find_next_zero_bit, as QEMU's replay of populated sections does.
 * The listener is a counter (no DMA). Memory is the bitmap: one bit per block, whatever the runs.
 * docs/native-peers.md, section 2.
 */
#include <stdlib.h>
#include <string.h>

#include "peer.h"

#define WORD_BITS 64

static uint64_t *bitmap;
static uint64_t nbits;
static uint64_t notifications;
static uint64_t notified_blocks;

static void notify(uint64_t first, uint64_t count)
{
	notifications++;
	notified_blocks += count;
}

static int test_bit(uint64_t b)
{
	return (bitmap[b / WORD_BITS] >> (b % WORD_BITS)) & 1;
}

/* First bit at or after `from` equal to `want`, or nbits. */
static uint64_t find_next(uint64_t from, int want)
{
	if (from >= nbits)
		return nbits;
	uint64_t i = from / WORD_BITS;
	uint64_t word = want ? bitmap[i] : ~bitmap[i];
	word &= ~0ULL << (from % WORD_BITS);
	uint64_t words = (nbits + WORD_BITS - 1) / WORD_BITS;
	while (!word) {
		if (++i >= words)
			return nbits;
		word = want ? bitmap[i] : ~bitmap[i];
	}
	uint64_t b = i * WORD_BITS + (uint64_t)__builtin_ctzll(word);
	return b < nbits ? b : nbits;
}

static uint64_t find_next_bit(uint64_t from) { return find_next(from, 1); }
static uint64_t find_next_zero_bit(uint64_t from) { return find_next(from, 0); }

static void fill_bits(uint64_t first, uint64_t count, int value)
{
	uint64_t end = first + count;
	while (first < end) {
		uint64_t i = first / WORD_BITS, lo = first % WORD_BITS;
		uint64_t n = WORD_BITS - lo < end - first ? WORD_BITS - lo : end - first;
		uint64_t mask = (n == WORD_BITS ? ~0ULL : ((1ULL << n) - 1)) << lo;
		bitmap[i] = value ? bitmap[i] | mask : bitmap[i] & ~mask;
		first += n;
	}
}

static void qemu_init(uint64_t blocks)
{
	nbits = blocks;
	notifications = 0;
	notified_blocks = 0;
	bitmap = calloc((blocks + WORD_BITS - 1) / WORD_BITS, sizeof(uint64_t));
	if (!bitmap) {
		fprintf(stderr, "peer qemu: cannot allocate a bitmap of %llu bits\n", (unsigned long long)blocks);
		exit(2);
	}
}

static void qemu_destroy(void)
{
	free(bitmap);
	bitmap = NULL;
}

static void qemu_set(uint64_t from, uint64_t to, int shared)
{
	uint64_t last = to - 1, count = to - from;
	int all_private = find_next_bit(from) > last;
	int all_shared = find_next_zero_bit(from) > last;
	if (shared ? all_shared : all_private)
		return;
	if (shared ? all_private : all_shared) {
		fill_bits(from, count, shared);
		notify(from, count);
		return;
	}
	for (uint64_t b = from; b < to; b++) { /* a mixture: block by block, as the algorithm does */
		if (test_bit(b) == shared)
			continue;
		fill_bits(b, 1, shared);
		notify(b, 1);
	}
}

static void qemu_shared_from(uint64_t from, struct run_walk *w)
{
	uint64_t b = find_next_bit(from);
	if (from > 0 && test_bit(from)) /* `from` inside a shared run: start the run where it starts */
		b = from;
	while (b < nbits) {
		uint64_t e = find_next_zero_bit(b);
		if (!walk_shared(w, b, e))
			return;
		b = find_next_bit(e);
	}
}

static uint64_t qemu_bytes(void)
{
	return (nbits + WORD_BITS - 1) / WORD_BITS * sizeof(uint64_t);
}

static void qemu_report(FILE *out)
{
	fprintf(out, "notifications %llu\nnotified_blocks %llu\n", (unsigned long long)notifications,
		(unsigned long long)notified_blocks);
}

int main(int argc, char **argv)
{
	static const struct peer p = {
		.name = "qemu-bitmap", .init = qemu_init, .destroy = qemu_destroy, .set = qemu_set,
		.shared_from = qemu_shared_from, .bytes = qemu_bytes, .report = qemu_report,
	};
	return peer_main(&p, argc, argv);
}
