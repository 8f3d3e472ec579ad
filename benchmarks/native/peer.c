/* The replay loop shared by the native peers (see peer.h). */
#include "peer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FNV_PRIME 0x100000001b3ULL

struct phase {
	uint32_t kind;
	uint64_t count;
	uint64_t *ops; /* count x (a, b, c) */
	uint64_t best_ns;
	uint64_t checksum;
	uint64_t weight; /* operations counted for ns/op: runs visited for iterate */
};

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "peer: %s: %s\n", what, detail);
	exit(2);
}

static uint64_t mix(uint64_t h, uint64_t x)
{
	return (h ^ x) * FNV_PRIME;
}

static int dump; /* PEER_DUMP set: the final walk prints its shared runs to stderr (for finding a disagreement) */

static void emit(struct run_walk *w, uint64_t from, uint64_t to, int shared)
{
	if (from >= to || w->limit == 0)
		return;
	if (dump && shared)
		fprintf(stderr, "shared %llu %llu\n", (unsigned long long)from, (unsigned long long)to);
	w->runs++;
	w->limit--;
	w->sum += 1 + (shared ? to - from : 0);
	if (shared)
		w->shared_blocks += to - from;
	w->hash = mix(mix(mix(w->hash, from), to), (uint64_t)shared);
	w->pos = to;
}

void walk_start(struct run_walk *w, uint64_t from, uint64_t to, uint64_t limit)
{
	memset(w, 0, sizeof(*w));
	w->pos = from;
	w->to = to;
	w->limit = limit;
	w->hash = 0xcbf29ce484222325ULL;
}

int walk_shared(struct run_walk *w, uint64_t from, uint64_t to)
{
	if (w->pending) {
		if (from <= w->pend_to) { /* touches or overlaps: the same maximal run */
			if (to > w->pend_to)
				w->pend_to = to;
			return w->limit > 0;
		}
		emit(w, w->pend_from, w->pend_to < w->to ? w->pend_to : w->to, 1);
		w->pending = 0;
	}
	if (w->limit == 0 || w->pos >= w->to || from >= w->to)
		return 0;
	if (to <= w->pos)
		return 1;
	if (from < w->pos)
		from = w->pos;
	emit(w, w->pos, from, 0);
	w->pending = 1;
	w->pend_from = from;
	w->pend_to = to;
	return w->limit > 0;
}

int walk_finish(struct run_walk *w)
{
	if (w->pending) {
		emit(w, w->pend_from, w->pend_to < w->to ? w->pend_to : w->to, 1);
		w->pending = 0;
	}
	if (w->pos < w->to)
		emit(w, w->pos, w->to, 0);
	return w->limit > 0 && w->limit != UINT64_MAX;
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static uint64_t blocks;

static uint64_t visit(const struct peer *p, uint64_t from, uint64_t to)
{
	struct run_walk w;
	walk_start(&w, from, to, UINT64_MAX);
	p->shared_from(from, &w);
	walk_finish(&w);
	return w.sum;
}

/* As the Java side: `runs` maximal runs from the one holding `from` (clipped there), back to block 0 after the last. */
static uint64_t iterate(const struct peer *p, uint64_t from, uint64_t runs)
{
	uint64_t sum = 0;
	struct run_walk w;
	walk_start(&w, from, blocks, runs);
	for (;;) {
		p->shared_from(w.pos, &w);
		int more = walk_finish(&w);
		sum += w.sum;
		if (!more)
			return sum;
		uint64_t left = w.limit;
		walk_start(&w, 0, blocks, left);
	}
}

static uint64_t run_phase(const struct peer *p, const struct phase *ph)
{
	uint64_t sum = 0;
	const uint64_t *op = ph->ops;
	for (uint64_t i = 0; i < ph->count; i++, op += 3) {
		switch (ph->kind) {
		case PHASE_FILL:
		case PHASE_SET:
		case PHASE_CONVERT:
			p->set(op[0], op[1], (int)op[2]);
			break;
		case PHASE_QUERY:
			sum += visit(p, op[0], op[1]);
			break;
		case PHASE_ITERATE:
			sum += iterate(p, op[0], op[1]);
			break;
		}
	}
	return sum;
}

static void read_exact(FILE *f, void *buf, size_t n, const char *path)
{
	if (fread(buf, 1, n, f) != n)
		die(path, "truncated operation stream");
}

static uint64_t u64le(const unsigned char *b)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static uint32_t u32le(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int peer_main(const struct peer *p, int argc, char **argv)
{
	if (argc != 4)
		die("usage", "peer-<name> <stream file> <warm-up rounds> <measured rounds>");
	const char *path = argv[1];
	int warmup = atoi(argv[2]);
	int repeats = atoi(argv[3]);
	if (warmup < 0 || repeats < 1)
		die("rounds", "warm-up must be >= 0 and measured rounds >= 1");
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path, strerror(errno));
	unsigned char head[20];
	read_exact(f, head, sizeof(head), path);
	if (memcmp(head, "GMPEER01", 8) != 0)
		die(path, "not an operation stream (magic GMPEER01 expected)");
	blocks = u64le(head + 8);
	uint32_t nphases = u32le(head + 16);
	struct phase *phases = calloc(nphases, sizeof(*phases));
	for (uint32_t i = 0; i < nphases; i++) {
		unsigned char ph[16];
		read_exact(f, ph, sizeof(ph), path);
		phases[i].kind = u32le(ph);
		phases[i].count = u64le(ph + 8);
		if (phases[i].kind > PHASE_CONVERT)
			die(path, "unknown phase kind");
		unsigned char *raw = malloc(phases[i].count * 24 + 1);
		phases[i].ops = malloc(phases[i].count * 24 + 1);
		if (!raw || !phases[i].ops)
			die(path, "out of memory");
		read_exact(f, raw, phases[i].count * 24, path);
		for (uint64_t k = 0; k < phases[i].count * 3; k++)
			phases[i].ops[k] = u64le(raw + 8 * k);
		free(raw);
		phases[i].best_ns = UINT64_MAX;
		phases[i].weight = phases[i].count;
		if (phases[i].kind == PHASE_ITERATE) {
			phases[i].weight = 0;
			for (uint64_t k = 0; k < phases[i].count; k++)
				phases[i].weight += phases[i].ops[3 * k + 1];
		}
	}
	fclose(f);

	uint64_t bytes = 0;
	struct run_walk final;
	for (int round = 0; round < warmup + repeats; round++) {
		p->init(blocks);
		for (uint32_t i = 0; i < nphases; i++) {
			uint64_t t0 = now_ns();
			uint64_t sum = run_phase(p, &phases[i]);
			uint64_t t = now_ns() - t0;
			phases[i].checksum = sum;
			if (round >= warmup && t < phases[i].best_ns)
				phases[i].best_ns = t;
		}
		if (round == warmup + repeats - 1) {
			bytes = p->bytes();
			dump = getenv("PEER_DUMP") != NULL;
			walk_start(&final, 0, blocks, UINT64_MAX);
			p->shared_from(0, &final);
			walk_finish(&final);
			dump = 0;
		}
		p->destroy();
	}
	printf("peer %s\nblocks %llu\n", p->name, (unsigned long long)blocks);
	for (uint32_t i = 0; i < nphases; i++) {
		if (phases[i].kind == PHASE_FILL)
			continue;
		printf("phase %u ops %llu ns %llu\n", phases[i].kind, (unsigned long long)phases[i].weight,
		       (unsigned long long)phases[i].best_ns);
		printf("checksum %u %llu\n", phases[i].kind, (unsigned long long)phases[i].checksum);
	}
	printf("bytes %llu\nruns %llu\nshared %llu\nfinal %llu\n", (unsigned long long)bytes,
	       (unsigned long long)final.runs, (unsigned long long)final.shared_blocks,
	       (unsigned long long)final.hash);
	if (p->report)
		p->report(stdout);
	return 0;
}
