/*
 * test_keyed.c - the keyed table under rollup.h and sums.h: rows of any
 * size zeroed and 16-aligned, keys copied (NUL bytes, empty fields), find
 * that does not create, the last row remembered by its bytes (every length
 * and byte position), and clear.
 */
#include "ledger/support/keyed.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static bool zeroed(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool all_ff(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0xff)
			return false;
	return true;
}

/* 200 keys, their rows checked as made (aligned, zeroed), then filled with 0xff. */
static void fill(struct keyed *k, size_t size, bool *aligned, bool *clean)
{
	for (int i = 0; i < 200; i++) {
		char a[8], b[8];
		snprintf(a, sizeof a, "%d", i);
		snprintf(b, sizeof b, "%d", i % 7);
		struct str key[2] = { str_from(a), str_from(b) };
		unsigned char *row = keyed_get(k, key);
		*aligned = *aligned && (uintptr_t)row % 16 == 0;
		*clean = *clean && zeroed(row, size);
		memset(row, 0xff, size);
	}
}

static void rows_of_size(size_t size)
{
	struct keyed *k = keyed_create(2, size);
	bool aligned = true, clean = true, kept = true;
	fill(k, size, &aligned, &clean);
	size_t pos = 0;
	for (struct keyed_row r; keyed_each(k, &pos, &r);) /* a row made later never overlaps */
		kept = kept && all_ff(r.row, size);
	keyed_clear(k);
	fill(k, size, &aligned, &clean); /* the arena's memory again, 0xff before: zeroed anew */
	ok(aligned, "rows of %zu bytes are 16-aligned", size);
	ok(clean, "rows of %zu bytes are new and zeroed, after a clear too", size);
	ok(kept, "rows of %zu bytes do not overlap", size);
	is_int(keyed_count(k), 200, "rows of %zu bytes: 200 keys", size);
	keyed_destroy(k);
}

int main(void)
{
	rows_of_size(1);
	rows_of_size(24);
	rows_of_size(72);

	struct keyed *k = keyed_create(2, sizeof(uint64_t));
	char text[] = "a\0b";
	struct str nul[2] = { { text, 3 }, { "", 0 } };
	struct str cut[2] = { { text, 1 }, { "", 0 } };
	*(uint64_t *)keyed_get(k, nul) = 7;
	ok(keyed_find(k, cut) == NULL, "a NUL byte is part of the key");
	text[0] = 'z'; /* the table holds its own copy */
	struct str moved[2] = { STR_LIT("a\0b"), { "", 0 } };
	ok(keyed_find(k, moved) && *(uint64_t *)keyed_find(k, moved) == 7,
	   "found by its bytes, its first buffer since rewritten");
	struct str two[2] = { STR_LIT("ab"), STR_LIT("c") }, other[2] = { STR_LIT("a"),
									  STR_LIT("bc") };
	keyed_get(k, two);
	ok(keyed_find(k, other) == NULL, "fields that concatenate alike are other keys");
	is_int(keyed_count(k), 2, "find does not create");

	/* remembered: by bytes, so a buffer rewritten in place is another key */
	keyed_remember_last(k);
	char buf[] = "x1";
	struct str b[2] = { { buf, 2 }, STR_LIT("") };
	uint64_t *x1 = keyed_get(k, b);
	ok(keyed_get(k, b) == x1, "the last row again");
	buf[1] = '2';
	uint64_t *x2 = keyed_get(k, b);
	ok(x2 != x1, "a rewritten buffer: another row");
	buf[1] = '1';
	ok(keyed_get(k, b) == x1, "and back");

	/* the remembered row is matched by key_eq alone (no hash): every length
	 * (word loads up to 32 bytes, memcmp past), every byte position */
	bool apart = true, same_again = true;
	for (size_t n = 1; n <= 40; n++)
		for (size_t i = 0; i < n; i++) {
			char x[40], y[40];
			memset(x, 'a', n);
			memcpy(y, x, n);
			y[i] = 'b';
			struct str kx[2] = { { x, n }, STR_LIT("") }, ky[2] = { { y, n }, STR_LIT("") };
			uint64_t *rx = keyed_get(k, kx), *ry = keyed_get(k, ky);
			apart = apart && rx != ry;
			same_again = same_again && keyed_get(k, kx) == rx;
		}
	ok(apart, "keys of 1 to 40 bytes that differ in one byte are other rows");
	ok(same_again, "and each is its own row again");

	keyed_clear(k);
	is_int(keyed_count(k), 0, "cleared");
	ok(keyed_find(k, b) == NULL, "cleared: the remembered row is gone too");
	uint64_t *again = keyed_get(k, b);
	ok(again && *again == 0, "usable again, zeroed");

	/* sorted: field by field, shared texts or not */
	for (int shared = 0; shared < 2; shared++) {
		struct keyed *s = keyed_create(2, 1);
		if (shared)
			keyed_share_texts(s);
		const char *keys[][2] = { { "b", "a" }, { "a", "b" }, { "a", "a" }, { "", "z" } };
		for (size_t i = 0; i < 4; i++) {
			struct str key[2] = { str_from(keys[i][0]), str_from(keys[i][1]) };
			keyed_get(s, key);
		}
		struct keyed_row *rows = keyed_sorted(s);
		char got[32] = "";
		for (size_t i = 0; i < keyed_count(s); i++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%.*s%.*s,",
				 (int)rows[i].key[0].n, rows[i].key[0].p, (int)rows[i].key[1].n,
				 rows[i].key[1].p);
		is_str(got, "z,aa,ab,ba,", "sorted by field (%s texts)", shared ? "shared" : "own");
		free(rows);
		keyed_destroy(s);
	}
	keyed_destroy(k);

	/* many rows: shared texts (ranks, radix) sort as own texts (bytes, compares) do */
	struct keyed *own = keyed_create(3, 1), *shared = keyed_create(3, 1);
	keyed_share_texts(shared);
	unsigned seed = 7;
	for (int i = 0; i < 3000; i++) {
		char f[3][8];
		for (int j = 0; j < 3; j++) {
			seed = seed * 1103515245u + 12345u;
			snprintf(f[j], sizeof f[j], "%c%u", "abcz"[seed >> 30], (seed >> 16) % (j + 5));
		}
		struct str key[3] = { str_from(f[0]), str_from(f[1]), str_from(f[2]) };
		keyed_get(own, key);
		keyed_get(shared, key);
	}
	struct keyed_row *ra = keyed_sorted(own), *rb = keyed_sorted(shared);
	bool same = keyed_count(own) == keyed_count(shared);
	for (size_t i = 0; same && i < keyed_count(own); i++)
		for (int f = 0; f < 3; f++)
			same = same && str_eq(ra[i].key[f], rb[i].key[f]);
	ok(same && keyed_count(own) > 100, "%zu rows: ranks sort as bytes do", keyed_count(own));
	free(ra);
	free(rb);
	keyed_destroy(own);
	keyed_destroy(shared);
	return tap_done();
}
