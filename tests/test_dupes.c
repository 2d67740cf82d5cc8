/*
 * test_dupes.c - duplicates: the count over runs spilled by several logs,
 * which copy --dedupe keeps (path order: input, rank, line), and the replay
 * of the records kept back with the rows sources.csv gets.
 */
#include "ledger/facts/dupes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define N 100000 /* more than DUPES_BUFFER: log 0 spills a run */

static char idbuf[32];

static struct record rec_of(const char *id, uint64_t line, int64_t sec)
{
	struct record r = { 0 };
	snprintf(idbuf, sizeof idbuf, "%s", id);
	r.request_id = (struct str){ idbuf, strlen(idbuf) };
	r.line = line;
	r.timestamp.sec = sec;
	r.model_id = STR_LIT("m");
	return r;
}

static void note(struct dupes_log *d, const char *fmt, long k, uint64_t seq, uint64_t order,
		 uint64_t line)
{
	char id[32];
	snprintf(id, sizeof id, fmt, k);
	struct record r = rec_of(id, line, (int64_t)line);
	dupes_note(d, &r, seq, order);
}

/* Worker 2 read input 5 as an archive whose two members are stored out of order. */
static uint64_t rank(void *ctx, unsigned w, uint64_t seq, uint64_t order)
{
	(void)ctx;
	return w == 2 && seq == 5 ? 1 - order : order;
}

struct seen {
	uint64_t n;
};

static void count_cb(void *ctx, const struct record *r, struct source_row *row, bool duplicate)
{
	struct seen *s = ctx;
	if (duplicate)
		return;
	s->n++;
	source_row_saw(row, r->timestamp);
}

static void fill(struct dupes_log *l, bool dedupe)
{
	dupes_init(&l[0], dedupe, 0, 0);
	dupes_init(&l[1], dedupe, 1, 0);
	dupes_init(&l[2], dedupe, 2, 0);
	for (long i = 0; i < N; i++) /* input 0: id-0 .. id-N-1, once each */
		note(&l[0], "id-%ld", i, 0, 0, (uint64_t)i + 1);
	for (long i = 0; i < N / 2; i++) /* input 1: the even ones again, twice */
		note(&l[1], "id-%ld", 2 * i, 1, 0, (uint64_t)i + 1);
	for (long i = 0; i < N / 2; i++)
		note(&l[1], "id-%ld", 2 * i, 1, 0, (uint64_t)(N / 2 + i) + 1);
	struct record empty = rec_of("", 1, 0); /* no requestId: never a duplicate */
	dupes_note(&l[1], &empty, 2, 0);
	dupes_note(&l[1], &empty, 2, 0);
	note(&l[2], "q-%ld", 0, 5, 0, 1); /* read first, but its object sorts second */
	note(&l[2], "q-%ld", 0, 5, 1, 1);
}

int main(void)
{
	struct dupes_log l[3];
	struct dupes_log *logs[3] = { &l[0], &l[1], &l[2] };
	struct diag d = DIAG_INIT;
	uint64_t count = 0;

	fill(l, false);
	ok(l[0].nruns == N / DUPES_BUFFER, "log 0 wrote sorted runs (%zu)", l[0].nruns);
	ok(dupes_resolve(logs, 3, rank, NULL, &count, &d) == 0, "resolve");
	is_int(count, N + 1, "duplicates counted over runs and buffers");
	for (int i = 0; i < 3; i++)
		dupes_finish(&l[i]);

	fill(l, true);
	ok(dupes_resolve(logs, 3, rank, NULL, &count, &d) == 0, "resolve with --dedupe");
	is_int(count, N + 1, "the same count with --dedupe");
	uint64_t marked0 = 0, marked1 = 0;
	for (uint64_t i = 0; i < l[0].nkept; i++)
		marked0 += (l[0].dup_bits[i / 8] >> (i % 8)) & 1;
	for (uint64_t i = 0; i < l[1].nkept; i++)
		marked1 += (l[1].dup_bits[i / 8] >> (i % 8)) & 1;
	is_int(marked0, 0, "input 0 comes first: none of its records is a duplicate");
	is_int(marked1, N, "every record of input 1 is a duplicate");
	is_int(l[2].dup_bits[0], 1, "in the unsorted archive the copy read first is the duplicate");

	struct seen s = { 0 };
	ok(dupes_replay(&l[0], count_cb, &s) == 0, "replay");
	is_int(s.n, N, "every record of input 0 is counted after all");
	bool has = false;
	struct ts first = { 0 }, last = { 0 };
	dupes_row(&l[0], 0, 0, &has, &first, &last);
	ok(has && first.sec == 1 && last.sec == N, "its row gets the first and last timestamps");
	s = (struct seen){ 0 };
	ok(dupes_replay(&l[1], count_cb, &s) == 0 && s.n == 0, "input 1: nothing counted");
	has = false;
	ok(dupes_row(&l[1], 1, 0, &has, &first, &last) && !has, "its row: no timestamp, lines");
	uint64_t line, n = 0, prev = 0;
	bool sorted = true;
	while (dupes_next_line(&l[1], &line) == 1) {
		sorted &= line > prev;
		prev = line;
		n++;
	}
	ok(n == N && sorted, "its N duplicate lines, in order (%llu)", (unsigned long long)n);
	s = (struct seen){ 0 };
	ok(dupes_replay(&l[2], count_cb, &s) == 0 && s.n == 1, "archive: one copy counted");
	has = false;
	ok(!dupes_row(&l[2], 5, 1, &has, &first, &last) && has, "member 1 keeps its record");
	ok(dupes_row(&l[2], 5, 0, &has, &first, &last) && dupes_next_line(&l[2], &line) == 1 &&
	       line == 1,
	   "member 0 lists line 1 as a duplicate");
	ok(dupes_next_line(&l[2], &line) == 0, "and nothing more");
	ok(!dupes_row(&l[2], 9, 0, &has, &first, &last), "an object with nothing kept back");
	for (int i = 0; i < 3; i++)
		dupes_finish(&l[i]);
	diag_clear(&d);
	return tap_done();
}
