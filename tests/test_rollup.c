/*
 * test_rollup.c - group keys -> counters: zeroed creation, lookups of keys
 * with NUL bytes and empty fields, fields that concatenate alike, growth,
 * merge against adding into one table, the sorted walk, and the counters.
 */
#include "ledger/facts/rollup.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define S(lit) ((struct str){ (lit), sizeof(lit) - 1 })

/*
 * Two-field keys from text: one key a line, its fields split by '|' (NUL
 * bytes are data, so n is the literal's size). The slices point into text.
 * Returns the number of keys.
 */
#define PAIRS(text, out) pairs((text), sizeof(text) - 1, (out), sizeof(out) / sizeof *(out))
static size_t pairs(const char *text, size_t n, struct str (*out)[2], size_t max)
{
	size_t k = 0;
	for (const char *p = text, *end = text + n; p < end && k < max; k++) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *nl = memchr(bar, '\n', (size_t)(end - bar));
		out[k][0] = (struct str){ p, (size_t)(bar - p) };
		out[k][1] = (struct str){ bar + 1, (size_t)(nl - bar - 1) };
		p = nl + 1;
	}
	return k;
}

static bool is_zero(const struct counters *c)
{
	bool z = c->invocations == 0 && c->errors == 0 && c->cost == 0 && !c->unpriced &&
		 !c->seen && c->first.sec == 0 && c->first.nsec == 0 && c->last.sec == 0 &&
		 c->last.nsec == 0;
	for (int k = 0; k < TOKEN_KINDS; k++)
		z = z && c->tokens[k] == 0;
	return z;
}

static struct record rec(int64_t sec, int32_t nsec, bool error, uint64_t in, uint64_t out,
			 uint64_t cr, uint64_t cw)
{
	struct record r;
	memset(&r, 0, sizeof r);
	r.timestamp = (struct ts){ sec, nsec };
	r.error = error;
	r.tokens[TOKEN_INPUT] = in;
	r.tokens[TOKEN_OUTPUT] = out;
	r.tokens[TOKEN_CACHE_READ] = cr;
	r.tokens[TOKEN_CACHE_WRITE] = cw;
	return r;
}

static void test_get(void)
{
	struct rollup *r = rollup_create(3);
	is_int(rollup_count(r), 0, "a new table is empty");

	char a[] = "alpha", b[] = "beta", c[] = "gamma";
	struct str k1[3] = { { a, 5 }, { b, 4 }, { c, 5 } };
	struct counters *c1 = rollup_get(r, k1);
	ok(c1 != NULL && is_zero(c1), "a new key gets zeroed counters");
	c1->invocations = 7;
	is_int(rollup_count(r), 1, "one key");

	/* the table copied the key: change the caller's bytes, look up with fresh ones */
	a[0] = 'X';
	struct str k1b[3] = { S("alpha"), S("beta"), S("gamma") };
	ok(rollup_get(r, k1b) == c1, "the same key finds the same counters");
	is_int(c1->invocations, 7, "... with what was stored");
	is_int(rollup_count(r), 1, "still one key");
	struct str kx[3] = { { a, 5 }, { b, 4 }, { c, 5 } };
	ok(rollup_get(r, kx) != c1, "the caller's changed bytes are another key");
	is_int(rollup_count(r), 2, "two keys");
	rollup_destroy(r);

	/* NUL bytes, empty fields, and fields that concatenate to the same bytes */
	r = rollup_create(2);
	static const char key_text[] = "ab|c\n"
				       "a|bc\n"
				       "abc|\n"
				       "|abc\n"
				       "a\0b|c\n"
				       "a\0c|\n"
				       "a|\0bc\n"
				       "a\0|bc\n"
				       "a|\n"
				       "a\0|\n"
				       "|\n"
				       "\0|\n"
				       "|\0\n"
				       "\0|\0\n";
	struct str keys[14][2];
	size_t nkeys = PAIRS(key_text, keys);
	is_int(nkeys, 14, "14 keys");
	struct counters *got[14];
	for (size_t i = 0; i < nkeys; i++) {
		got[i] = rollup_get(r, keys[i]);
		ok(is_zero(got[i]), "key %zu is new and zeroed", i);
		got[i]->invocations = 100 + i;
	}
	is_int(rollup_count(r), nkeys, "every key distinct");
	for (size_t i = 0; i < nkeys; i++) {
		struct counters *again = rollup_get(r, keys[i]);
		ok(again == got[i] && again->invocations == 100 + i, "key %zu found again", i);
	}
	/* an empty field given as a NULL pointer is the same empty field */
	struct str null_empty[2] = { { NULL, 0 }, { NULL, 0 } };
	ok(rollup_get(r, null_empty) == got[10], "an empty field is empty whatever its pointer");
	struct str null_a[2] = { S("a"), { NULL, 0 } };
	ok(rollup_get(r, null_a) == got[8], "... in the last field too");
	is_int(rollup_count(r), nkeys, "no new key for them");

	/* a key longer than an arena chunk */
	size_t big_n = 200000;
	char *big = malloc(big_n);
	for (size_t i = 0; i < big_n; i++)
		big[i] = (char)(i * 7);
	struct str kbig[2] = { { big, big_n }, S("x") };
	struct counters *cb = rollup_get(r, kbig);
	ok(is_zero(cb), "a 200 kB key");
	cb->errors = 3;
	big[big_n - 1] ^= 1;
	struct str kbig2[2] = { { big, big_n }, S("x") };
	ok(rollup_get(r, kbig2) != cb, "its last byte matters");
	big[big_n - 1] ^= 1;
	ok(rollup_get(r, kbig) == cb && cb->errors == 3, "found again");
	ok(got[0]->invocations == 100 && got[13]->invocations == 113,
	   "earlier counters untouched by the big key");
	free(big);
	rollup_destroy(r);
	rollup_destroy(NULL);
}

static void test_growth(void)
{
	enum { N = 20000 };
	struct rollup *r = rollup_create(2);
	struct counters **ptr = malloc(N * sizeof *ptr);
	char buf[32];
	for (int i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof buf, "key-%d", i);
		struct str k[2] = { { buf, (size_t)n }, { buf, (size_t)(i % 5) } };
		ptr[i] = rollup_get(r, k);
		if (!is_zero(ptr[i])) {
			ok(0, "key %d is new", i);
			break;
		}
		ptr[i]->invocations = (uint64_t)i + 1;
		ptr[i]->tokens[TOKEN_OUTPUT] = (uint64_t)i * 3;
	}
	is_int(rollup_count(r), N, "%d keys", N);
	int bad = 0;
	for (int i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof buf, "key-%d", i);
		struct str k[2] = { { buf, (size_t)n }, { buf, (size_t)(i % 5) } };
		struct counters *c = rollup_get(r, k);
		if (c != ptr[i] || c->invocations != (uint64_t)i + 1 ||
		    c->tokens[TOKEN_OUTPUT] != (uint64_t)i * 3)
			bad++;
	}
	is_int(bad, 0, "every key found again at the same address after growth");
	is_int(rollup_count(r), N, "lookups add nothing");

	struct rollup_row *rows = rollup_sorted(r);
	int out_of_order = 0;
	uint64_t sum = 0;
	for (size_t i = 0; i < N; i++) {
		sum += rows[i].c->invocations;
		if (i > 0) {
			int c = str_cmp(rows[i - 1].key[0], rows[i].key[0]);
			if (c > 0 || (c == 0 && str_cmp(rows[i - 1].key[1], rows[i].key[1]) >= 0))
				out_of_order++;
		}
	}
	is_int(out_of_order, 0, "sorted rows in strictly increasing order");
	is_int(sum, (uint64_t)N * (N + 1) / 2, "every row once");
	free(rows);
	free(ptr);
	rollup_destroy(r);
}

/* Adds one record to key (day, model) of r. */
static void add(struct rollup *r, const char *day, const char *model, struct record rc,
		bool unpriced, money_t cost)
{
	struct str k[2] = { str_from(day), str_from(model) };
	counters_add_record(rollup_get(r, k), &rc, unpriced, cost);
}

static bool counters_equal(const struct counters *a, const struct counters *b)
{
	bool eq = a->invocations == b->invocations && a->errors == b->errors &&
		  a->cost == b->cost && a->unpriced == b->unpriced && a->seen == b->seen &&
		  ts_cmp(a->first, b->first) == 0 && ts_cmp(a->last, b->last) == 0;
	for (int k = 0; k < TOKEN_KINDS; k++)
		eq = eq && a->tokens[k] == b->tokens[k];
	return eq;
}

static void test_merge(void)
{
	struct rollup *one = rollup_create(2), *a = rollup_create(2), *b = rollup_create(2);
	static const char *const days[] = { "2026-01-01", "2026-01-02", "2026-01-03" };
	static const char *const models[] = { "m1", "m2", "", "m3" };
	/* a deterministic spread of records: some keys in a only, some in b only, some both */
	for (int i = 0; i < 300; i++) {
		const char *day = days[i % 3];
		const char *model = models[(i / 3) % 4];
		struct record rc =
		    rec(1767225600 + (i * 7919) % 86400, (i * 31) % 1000000000, i % 11 == 0,
			(uint64_t)i, (uint64_t)i * 2, (uint64_t)(i % 5), (uint64_t)(i % 3));
		bool unpriced = model[0] == '\0' && i % 2 == 0;
		money_t cost = (money_t)i * 1000000000000ull;
		add(one, day, model, rc, unpriced, cost);
		add(i % 4 == 0 || i % 7 == 0 ? a : b, day, model, rc, unpriced, cost);
	}
	size_t na = rollup_count(a), nb = rollup_count(b);
	ok(na > 0 && nb > 0 && na + nb > rollup_count(one), "the parts overlap (%zu + %zu keys)",
	   na, nb);
	rollup_merge(a, b);
	is_int(rollup_count(a), rollup_count(one), "merged: as many keys as added into one");
	struct rollup_row *x = rollup_sorted(a), *y = rollup_sorted(one);
	size_t same = 0;
	for (size_t i = 0; i < rollup_count(one); i++)
		if (str_eq(x[i].key[0], y[i].key[0]) && str_eq(x[i].key[1], y[i].key[1]) &&
		    counters_equal(x[i].c, y[i].c))
			same++;
	is_int(same, rollup_count(one), "merged rows equal the rows of one table");
	is_int(rollup_count(b), nb, "the source is unchanged");
	free(x);
	free(y);

	/* into an empty table, and an empty table into a full one */
	struct rollup *e = rollup_create(2);
	rollup_merge(e, one);
	is_int(rollup_count(e), rollup_count(one), "merged into an empty table");
	struct rollup *empty = rollup_create(2);
	rollup_merge(e, empty);
	is_int(rollup_count(e), rollup_count(one), "an empty table merges to nothing");
	x = rollup_sorted(e);
	y = rollup_sorted(one);
	same = 0;
	for (size_t i = 0; i < rollup_count(one); i++)
		if (counters_equal(x[i].c, y[i].c) && x[i].key[0].p != y[i].key[0].p)
			same++;
	is_int(same, rollup_count(one), "same counters, keys copied into the new table");
	free(x);
	free(y);
	rollup_destroy(empty);
	rollup_destroy(e);
	rollup_destroy(a);
	rollup_destroy(b);
	rollup_destroy(one);
}

static void test_sorted(bool shared)
{
	struct rollup *r = rollup_create(2);
	if (shared)
		rollup_share_texts(r);
	struct rollup_row *rows = rollup_sorted(r);
	ok(rows != NULL, "an empty table sorts to an empty array");
	free(rows);

	/* inserted out of order; want[] is the order expected */
	struct str want[15][2];
	static const char want_text[] = "|\n"
					"|z\n"
					"A|...\n"
					"a|\n"
					"a|a\n"
					"a|a\0\n"
					"a|a\x01\n"
					"a|z\n"
					"a\0|\n"
					"ab|\n"
					"b|a\n"
					"\x7f|\n"
					"\x80|\n"
					"\xff|\n"
					"\xff\xff|\n";
	size_t n = PAIRS(want_text, want);
	static const size_t insert_order[] = { 13, 7, 0, 9, 4, 11, 2, 14, 6, 1, 10, 3, 12, 5, 8 };
	for (size_t i = 0; i < n; i++) {
		size_t j = insert_order[i];
		rollup_get(r, want[j])->invocations = j;
	}
	is_int(rollup_count(r), n, "%zu keys", n);
	const char *how = shared ? "shared texts" : "copied texts";
	rows = rollup_sorted(r);
	for (size_t i = 0; i < n; i++) {
		ok(str_eq(rows[i].key[0], want[i][0]) && str_eq(rows[i].key[1], want[i][1]) &&
		       rows[i].c->invocations == i,
		   "%s: row %zu in byte order, field by field, shorter first", how, i);
	}
	free(rows);
	/* a sort after more rows: texts that fall between the ones sorted before */
	struct str mid[2] = { S("a"), S("aa") }, mid2[2] = { S("aa"), S("a") };
	rollup_get(r, mid)->invocations = 100;
	rollup_get(r, mid2)->invocations = 101;
	rows = rollup_sorted(r);
	ok(rows[7].c->invocations == 100 && rows[8].c->invocations == 7 &&
	       rows[10].c->invocations == 101 && rows[11].c->invocations == 9,
	   "%s: sorted again, new texts in their places", how);
	free(rows);
	/* emptied, then filled again in another order */
	rollup_clear(r);
	is_int(rollup_count(r), 0, "%s: cleared", how);
	for (size_t i = 0; i < n; i++)
		rollup_get(r, want[n - 1 - i])->invocations = n - 1 - i;
	rows = rollup_sorted(r);
	size_t in_order = 0;
	for (size_t i = 0; i < n; i++)
		in_order += rows[i].c->invocations == i && str_eq(rows[i].key[0], want[i][0]);
	is_int(in_order, n, "%s: refilled after a clear, sorted", how);
	free(rows);
	rollup_destroy(r);

	/* the sort uses each table's own field count */
	struct rollup *r1 = rollup_create(1), *r3 = rollup_create(3);
	struct str k1a[1] = { S("b") }, k1b[1] = { S("a") };
	rollup_get(r1, k1a);
	rollup_get(r1, k1b);
	struct str k3a[3] = { S("x"), S("x"), S("b") }, k3b[3] = { S("x"), S("x"), S("a") };
	rollup_get(r3, k3a);
	rollup_get(r3, k3b);
	rows = rollup_sorted(r3);
	ok(str_eq(rows[0].key[2], S("a")) && str_eq(rows[1].key[2], S("b")),
	   "three fields: the third decides");
	free(rows);
	rows = rollup_sorted(r1);
	ok(str_eq(rows[0].key[0], S("a")) && str_eq(rows[1].key[0], S("b")), "one field");
	free(rows);
	rollup_destroy(r1);
	rollup_destroy(r3);
}

static void test_counters(void)
{
	struct counters c;
	memset(&c, 0, sizeof c);
	struct record r1 = rec(1000, 500, false, 1, 2, 3, 4);
	counters_add_record(&c, &r1, false, (money_t)10);
	ok(c.seen, "seen after one record");
	ok(c.first.sec == 1000 && c.first.nsec == 500 && c.last.sec == 1000 && c.last.nsec == 500,
	   "first = last = the record's timestamp");

	struct record r2 = rec(50, 0, true, 10, 20, 30, 40);
	counters_add_record(&c, &r2, true, (money_t)999);
	struct record r3 = rec(1000, 700, false, 100, 200, 300, 400);
	counters_add_record(&c, &r3, false, ((money_t)1 << 70));
	struct record r4 = rec(1000, 600, true, 0, 0, 0, 0);
	counters_add_record(&c, &r4, false, ((money_t)1 << 70));
	is_int(c.invocations, 4, "invocations");
	is_int(c.errors, 2, "errors");
	is_int(c.tokens[TOKEN_INPUT], 111, "input tokens");
	is_int(c.tokens[TOKEN_OUTPUT], 222, "output tokens");
	is_int(c.tokens[TOKEN_CACHE_READ], 333, "cache read tokens");
	is_int(c.tokens[TOKEN_CACHE_WRITE], 444, "cache write tokens");
	ok(c.cost == ((money_t)1 << 71) + 10, "cost over the priced records only, past 64 bits");
	ok(c.unpriced, "an unpriced record marks the counters");
	ok(c.first.sec == 50 && c.first.nsec == 0, "first is the minimum");
	ok(c.last.sec == 1000 && c.last.nsec == 700, "last is the maximum, by nanoseconds too");

	/* before the epoch, and zero: the zeroed first/last are not taken as seen */
	struct counters d;
	memset(&d, 0, sizeof d);
	struct record neg = rec(-86400, 5, false, 0, 0, 0, 0);
	counters_add_record(&d, &neg, false, 0);
	ok(d.first.sec == -86400 && d.last.sec == -86400, "a timestamp before the epoch");
	struct record late = rec(100, 0, false, 0, 0, 0, 0);
	counters_add_record(&d, &late, false, 0);
	ok(d.first.sec == -86400 && d.last.sec == 100, "then a later one");
	ok(!d.unpriced && d.cost == 0, "priced at zero is priced");

	struct counters p;
	memset(&p, 0, sizeof p);
	struct record pos = rec(100, 0, false, 0, 0, 0, 0);
	counters_add_record(&p, &pos, false, 0);
	ok(p.first.sec == 100 && p.last.sec == 100,
	   "a positive first timestamp is not beaten by zero");

	/* merge */
	struct counters m;
	memset(&m, 0, sizeof m);
	counters_merge(&m, &c);
	ok(counters_equal(&m, &c), "merged into zero: a copy");
	struct counters none;
	memset(&none, 0, sizeof none);
	counters_merge(&m, &none);
	ok(counters_equal(&m, &c), "merging zero changes nothing");
	counters_merge(&m, &d);
	is_int(m.invocations, 6, "merged invocations");
	is_int(m.errors, 2, "merged errors");
	is_int(m.tokens[TOKEN_CACHE_WRITE], 444, "merged tokens");
	ok(m.first.sec == -86400 && m.first.nsec == 5, "merged first is the minimum");
	ok(m.last.sec == 1000 && m.last.nsec == 700, "merged last is the maximum");
	ok(m.unpriced, "unpriced stays");
	ok(m.cost == ((money_t)1 << 71) + 10, "merged cost");

	struct counters q = d;
	counters_merge(&q, &c);
	ok(q.unpriced, "unpriced is taken from the source");
	ok(q.first.sec == -86400 && q.last.sec == 1000 && q.last.nsec == 700,
	   "first and last widened both ways");
	ok(q.cost == ((money_t)1 << 71) + 10, "cost added");

	struct counters inner;
	memset(&inner, 0, sizeof inner);
	struct record mid = rec(500, 0, false, 0, 0, 0, 0);
	counters_add_record(&inner, &mid, false, 0);
	struct counters outer = c;
	counters_merge(&outer, &inner);
	ok(outer.first.sec == 50 && outer.last.sec == 1000 && outer.last.nsec == 700,
	   "a source inside the range changes neither end");
}

int main(void)
{
	test_get();
	test_growth();
	test_merge();
	test_sorted(false);
	test_sorted(true);
	test_counters();
	return tap_done();
}
