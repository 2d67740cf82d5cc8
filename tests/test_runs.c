/*
 * test_runs.c - sorted runs on disk and their merge: every counter comes
 * back as it was written (extreme values included), keys with empty fields
 * and NUL bytes, equal keys across runs and a table folded into one row,
 * and the merge's order.
 */
#include "ledger/facts/runs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define S(lit) ((struct str){ (lit), sizeof(lit) - 1 })

static bool same_counters(const struct counters *a, const struct counters *b)
{
	bool same = a->invocations == b->invocations && a->errors == b->errors &&
		    a->unpriced_records == b->unpriced_records && a->cost == b->cost &&
		    a->unpriced == b->unpriced && a->ignored_1h == b->ignored_1h &&
		    a->context_min == b->context_min && a->context_max == b->context_max &&
		    a->seen == b->seen && a->first.sec == b->first.sec &&
		    a->first.nsec == b->first.nsec && a->last.sec == b->last.sec &&
		    a->last.nsec == b->last.nsec;
	for (int k = 0; k < TOKEN_KINDS; k++)
		same = same && a->tokens[k] == b->tokens[k];
	return same;
}

/* Counters with every field set to something a lossy encoding would change. */
static struct counters odd_counters(unsigned i)
{
	struct counters c;
	memset(&c, 0, sizeof c);
	c.invocations = UINT64_MAX - i;
	c.errors = (uint64_t)1 << (i % 64);
	c.unpriced_records = i;
	for (int k = 0; k < TOKEN_KINDS; k++)
		c.tokens[k] = (uint64_t)0x8000000000000000u >> (unsigned)(k + (int)i % 7);
	c.cost = ((money_t)0xfedcba9876543210u << 64) | (money_t)(0x0123456789abcdefu + i);
	c.unpriced = i % 2;
	c.ignored_1h = 127 + i;
	c.context_min = i % 3 ? UINT64_MAX : 5;
	c.context_max = i % 3 ? 0 : UINT64_MAX; /* max below min: kept as it was */
	c.seen = i % 4 != 1;
	c.first = (struct ts){ i % 2 ? INT64_MIN / 4 : -62135596800 + i, 999999999 };
	c.last = (struct ts){ i % 2 ? INT64_MAX / 4 : 253402300799 - i, (int32_t)i };
	return c;
}

static void test_round_trip(void)
{
	struct runs r;
	runs_init(&r, 3);
	struct rollup *t = rollup_create(3);
	struct str keys[4][3] = {
		{ S("a"), S(""), S("x") },
		{ S("a"), S("\0b"), S("") },
		{ S(""), S(""), S("") },
		{ S("long field of more than one hundred and twenty-seven bytes, so that its length "
		    "takes two bytes in the head of the row, and then some more"),
		  S("b"), S("c") },
	};
	struct counters want[4];
	for (unsigned i = 0; i < 4; i++) {
		want[i] = odd_counters(i);
		*rollup_get(t, keys[i]) = want[i];
	}
	runs_dump(&r, t);
	is_int(rollup_count(t), 0, "a dump empties the table");
	is_int(r.nruns, 1, "one run");

	struct runs_merge *m = runs_merge_create(3);
	runs_merge_add_runs(m, &r);
	const struct str *key;
	struct counters c;
	struct diag d = DIAG_INIT;
	/* in key order: ("","",""), ("a","","x"), ("a","\0b",""), ("long...") */
	const unsigned order[4] = { 2, 0, 1, 3 };
	for (unsigned i = 0; i < 4; i++) {
		ok(runs_merge_next(m, &key, &c, &d) == 1, "row %u comes back", i);
		bool same_key = true;
		for (int f = 0; f < 3; f++)
			same_key = same_key && str_eq(key[f], keys[order[i]][f]);
		ok(same_key, "row %u: its key, empty fields and NUL bytes included", i);
		struct counters folded; /* the merge folds a key's rows into zeroed counters */
		memset(&folded, 0, sizeof folded);
		counters_merge(&folded, &want[order[i]]);
		ok(same_counters(&c, &folded), "row %u: every counter as written", i);
	}
	ok(runs_merge_next(m, &key, &c, &d) == 0, "then the end");
	ok(!diag_has(&d), "no error");
	runs_merge_destroy(m);
	rollup_destroy(t);
	runs_finish(&r);
}

/* One key in two runs and in the table still in memory: one row, the counters folded. */
static void test_fold(void)
{
	struct runs r;
	runs_init(&r, 1);
	struct rollup *t = rollup_create(1);
	struct str k[1] = { S("key") }, other[1] = { S("kez") };
	struct counters sum;
	memset(&sum, 0, sizeof sum);
	for (unsigned i = 0; i < 3; i++) {
		struct counters c = odd_counters(4 * i); /* seen, first before last */
		c.invocations = 10 + i;
		c.cost = 1000 * (money_t)(i + 1);
		c.context_min = 100 - i;
		c.context_max = 200 + i;
		*rollup_get(t, k) = c;
		if (i == 1)
			rollup_get(t, other)->invocations = 1;
		counters_merge(&sum, &c);
		if (i < 2)
			runs_dump(&r, t);
	}
	struct runs_merge *m = runs_merge_create(1);
	runs_merge_add_runs(m, &r);
	runs_merge_add_table(m, t);
	const struct str *key;
	struct counters c;
	struct diag d = DIAG_INIT;
	ok(runs_merge_next(m, &key, &c, &d) == 1 && str_eq(key[0], S("key")), "the key once");
	ok(same_counters(&c, &sum), "its counters from two runs and the table, folded");
	ok(runs_merge_next(m, &key, &c, &d) == 1 && str_eq(key[0], S("kez")) &&
		   c.invocations == 1,
	   "then the other key");
	ok(runs_merge_next(m, &key, &c, &d) == 0 && !diag_has(&d), "then the end");
	runs_merge_destroy(m);
	rollup_destroy(t);
	runs_finish(&r);
}

int main(void)
{
	test_round_trip();
	test_fold();
	return tap_done();
}
