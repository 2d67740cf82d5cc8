/*
 * test_table.c - the hash table and its hash function: keys of one and of
 * several parts, items that share a hash, growth, iteration, and how evenly
 * the low bits (the ones a probe uses) spread.
 */
#include "ledger/support/table.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/str.h"
#include "ledger/support/xalloc.h"
#include "tap.h"

static void test_hash(void)
{
	ok(table_hash("abc", 3) == table_hash("abc", 3), "hash: the same bytes, the same hash");
	ok(table_hash("abc", 3) == table_hash_add(TABLE_HASH_START, "abc", 3),
	   "hash: table_hash is one part");
	ok(table_hash("abc", 3) != table_hash("abd", 3), "hash: one byte differs");
	ok(table_hash("a", 1) != table_hash("a\0", 2), "hash: a trailing NUL counts");
	ok(table_hash("", 0) != table_hash("\0", 1), "hash: empty and one NUL differ");
	ok(table_hash(NULL, 0) == table_hash("", 0), "hash: NULL with 0 bytes is empty");
	ok(table_hash("12345678", 8) != table_hash("123456781", 9),
	   "hash: a tail after a full word counts");

	uint64_t ab_c = table_hash_add(table_hash("ab", 2), "c", 1);
	uint64_t a_bc = table_hash_add(table_hash("a", 1), "bc", 2);
	uint64_t abc_ = table_hash_add(table_hash("abc", 3), "", 0);
	ok(ab_c != a_bc && ab_c != abc_ && a_bc != abc_, "hash: parts cannot trade bytes");
	ok(table_hash_add(table_hash("x", 1), "y", 1) != table_hash_add(table_hash("y", 1), "x", 1),
	   "hash: the order of parts counts");

	/* the same bytes at any alignment */
	char buf[64];
	const char *text = "an-unaligned-key-of-thirty-one-b";
	int same = 1;
	for (size_t off = 0; off < 8; off++) {
		memcpy(buf + off, text, 31);
		same &= table_hash(buf + off, 31) == table_hash(text, 31);
	}
	ok(same, "hash: alignment does not matter");
}

/* Keys that differ little (a counter in text) must fill the buckets of the low bits evenly. */
static void test_spread(void)
{
	enum { N = 1 << 16, BUCKETS = 1 << 10 };
	unsigned *count = xcalloc(BUCKETS, sizeof *count);
	for (unsigned i = 0; i < N; i++) {
		char key[32];
		int n = snprintf(key, sizeof key, "us-east-1/model-%u", i);
		count[table_hash(key, (size_t)n) & (BUCKETS - 1)]++;
	}
	unsigned lo = N, hi = 0;
	for (unsigned b = 0; b < BUCKETS; b++) {
		lo = count[b] < lo ? count[b] : lo;
		hi = count[b] > hi ? count[b] : hi;
	}
	/* 64 a bucket on average; a fair hash stays well inside 32..110 */
	ok(lo >= 32 && hi <= 110, "spread: the low 10 bits of %d hashes (bucket sizes %u..%u)", N,
	   lo, hi);
	free(count);
}

struct item {
	struct str key;
	int value;
};

static struct item *find(const struct table *t, struct str key, uint64_t h)
{
	size_t pos;
	for (struct item *it = table_first(t, h, &pos); it; it = table_next(t, h, &pos))
		if (str_eq(it->key, key))
			return it;
	return NULL;
}

static void test_table(void)
{
	struct table t = TABLE_INIT;
	size_t pos = 0;
	ok(table_first(&t, 42, &pos) == NULL, "empty: nothing found");
	ok(table_each(&t, &pos) == NULL, "empty: nothing to iterate");
	is_int(table_count(&t), 0, "empty: count 0");

	enum { N = 50000 };
	struct item *items = xcalloc(N, sizeof *items);
	char(*keys)[16] = xcalloc(N, sizeof *keys);
	for (int i = 0; i < N; i++) {
		int n = snprintf(keys[i], sizeof keys[i], "k%d", i);
		items[i] = (struct item){ { keys[i], (size_t)n }, i };
		table_add(&t, table_hash(keys[i], (size_t)n), &items[i]);
	}
	is_int(table_count(&t), N, "add: %d items", N);
	ok(t.mask + 1 >= 2 * (size_t)N, "add: at most half full (%zu slots)", t.mask + 1);
	int bad = 0;
	for (int i = 0; i < N; i++) {
		struct item *it =
		    find(&t, items[i].key, table_hash(items[i].key.p, items[i].key.n));
		bad += it != &items[i];
	}
	is_int(bad, 0, "find: every item, after the table grew");
	ok(find(&t, STR_LIT("k50000"), table_hash("k50000", 6)) == NULL, "find: an absent key");

	size_t seen = 0;
	long sum = 0;
	pos = 0;
	for (struct item *it; (it = table_each(&t, &pos)) != NULL;) {
		seen++;
		sum += it->value;
	}
	is_int(seen, N, "each: every item once");
	is_int(sum, (long)N * (N - 1) / 2, "each: ... and no other");
	size_t slots = t.mask + 1;
	table_clear(&t);
	pos = 0;
	ok(table_count(&t) == 0 && table_each(&t, &pos) == NULL, "clear: empty again");
	ok(find(&t, items[7].key, table_hash(items[7].key.p, items[7].key.n)) == NULL,
	   "clear: an item added before is not found");
	ok(t.slots != NULL && t.mask + 1 == slots, "clear: the slots stay (%zu)", slots);
	for (int i = 0; i < N; i += 2)
		table_add(&t, table_hash(items[i].key.p, items[i].key.n), &items[i]);
	bad = 0;
	for (int i = 0; i < N; i++) {
		struct item *it =
		    find(&t, items[i].key, table_hash(items[i].key.p, items[i].key.n));
		bad += it != (i % 2 ? NULL : &items[i]);
	}
	ok(bad == 0 && table_count(&t) == N / 2 && t.mask + 1 == slots,
	   "clear: filled again, without growing; only what was added again is found");
	table_finish(&t);
	is_int(table_count(&t), 0, "finish: empty again");
	ok(table_first(&t, 1, &pos) == NULL, "finish: nothing found");

	/* items that share a hash are all found, in turn, and nothing else is */
	struct item same[5] = { { STR_LIT("a"), 0 },
				{ STR_LIT("b"), 1 },
				{ STR_LIT("c"), 2 },
				{ STR_LIT("d"), 3 },
				{ STR_LIT("e"), 4 } };
	for (int i = 0; i < 5; i++)
		table_add(&t, 7, &same[i]);
	table_add(&t, 8, &items[0]);
	int found = 0, mask = 0;
	for (struct item *it = table_first(&t, 7, &pos); it; it = table_next(&t, 7, &pos)) {
		found++;
		mask |= 1 << it->value;
	}
	ok(found == 5 && mask == 31, "collisions: the five items of one hash (%d found)", found);
	ok(find(&t, STR_LIT("c"), 7) == &same[2], "collisions: the caller's comparison picks one");
	ok(table_first(&t, 9, &pos) == NULL, "collisions: another hash finds none of them");
	ok(table_first(&t, 8, &pos) == &items[0], "collisions: the next hash has its own item");
	/* a hash that wraps around the end of the slots */
	table_add(&t, UINT64_MAX, &items[1]);
	table_add(&t, UINT64_MAX, &items[2]);
	found = 0;
	for (struct item *it = table_first(&t, UINT64_MAX, &pos); it;
	     it = table_next(&t, UINT64_MAX, &pos))
		found += it == &items[1] || it == &items[2];
	is_int(found, 2, "wrap: both items past the last slot");
	table_finish(&t);
	free(items);
	free(keys);
}

int main(void)
{
	test_hash();
	test_spread();
	test_table();
	return tap_done();
}
