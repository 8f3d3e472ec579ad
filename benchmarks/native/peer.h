/*
 * The replay loop the native peers share: reads an operation stream written by the Java side
 * (org.guestmem.bench.peers.PeerStream.write), replays it on one peer, times each phase and prints the figures and
 * checksums the Java side compares with its own stores.
 *
 * Stream (little-endian): the 8 bytes "GMPEER01", u64 blocks, u32 phase count, then per phase: u32 kind, u32 zero,
 * u64 op count, and per op three u64 (a, b, c):
 *   fill (0, untimed), set (1), convert (4): a = from, b = to (exclusive), c = state (0 private, 1 shared);
 *   query (2): a = from, b = to: visit the maximal runs of [from, to);
 *   iterate (3): a = from, b = runs: visit that many maximal runs from the one holding `from`, wrapping at the end.
 * Every block starts private.
 *
 * Output, one fact a line: "phase <kind> ops <n> ns <best total ns>", "checksum <kind> <n>", "bytes <n>",
 * "runs <n>", "shared <n>", "final <hash>", plus what the peer adds ("nodes", "node_size", "notifications").
 */
#ifndef GUESTMEM_PEER_H
#define GUESTMEM_PEER_H

#include <stdint.h>
#include <stdio.h>

enum peer_phase { PHASE_FILL = 0, PHASE_SET = 1, PHASE_QUERY = 2, PHASE_ITERATE = 3, PHASE_CONVERT = 4 };

/*
 * A walk over maximal runs, fed the peer's shared ranges in ascending order (pieces that touch are joined, so a
 * peer whose entries are not maximal still yields maximal runs); private runs are the gaps. It sums the same
 * checksum as the Java side: per run, 1 + (length if shared); and it can hash every run of a full walk.
 */
struct run_walk {
	uint64_t pos;        /* where the next run starts */
	uint64_t to;         /* the walk's end (exclusive) */
	uint64_t limit;      /* runs still wanted (iterate) or UINT64_MAX */
	uint64_t sum;
	uint64_t runs;
	uint64_t shared_blocks;
	uint64_t hash;
	int pending;         /* a shared run [pend_from, pend_to) not yet emitted: the next piece may extend it */
	uint64_t pend_from, pend_to;
};

void walk_start(struct run_walk *w, uint64_t from, uint64_t to, uint64_t limit);
/* Feeds the shared range [from, to); returns 0 once the walk needs nothing more. */
int walk_shared(struct run_walk *w, uint64_t from, uint64_t to);
/* Ends the walk at w->to: the pending shared run, then the private rest. Returns 0 if the walk is complete. */
int walk_finish(struct run_walk *w);

/* What each peer provides. */
struct peer {
	const char *name;
	void (*init)(uint64_t blocks);
	void (*destroy)(void);
	void (*set)(uint64_t from, uint64_t to, int state);
	/* Feeds the shared ranges overlapping [from, blocks) to w, in order, until walk_shared returns 0. */
	void (*shared_from)(uint64_t from, struct run_walk *w);
	uint64_t (*bytes)(void);
	void (*report)(FILE *out); /* extra lines after a run */
};

int peer_main(const struct peer *p, int argc, char **argv);

#endif
