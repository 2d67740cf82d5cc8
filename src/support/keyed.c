/*
 * keyed.c - group key -> row (table.h, keys and rows in an arena).
 */
#include "ledger/support/keyed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/arena.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

/* An entry: the key's address, then (at ROW_OFF) the row, its key slices and their bytes. */
struct entry {
	struct str *key;
};

#define ROW_OFF 16 /* the arena's alignment: a row may hold an __int128 */
_Static_assert(sizeof(struct entry) <= ROW_OFF, "the row follows the entry");

struct keyed {
	size_t nfields;
	size_t row_size;    /* rounded up to a struct str's alignment */
	struct table table; /* of struct entry */
	struct arena arena; /* keys and rows: pointers to them stay valid */
	bool shared;	    /* keyed_share_texts: each distinct text once, in texts */
	struct table texts; /* of struct shared (in arena) */
	bool remember;	    /* keyed_remember_last */
	struct entry *last;
};

static void *row_of(const struct entry *e)
{
	return (char *)e + ROW_OFF;
}

struct keyed *keyed_create(size_t nfields, size_t row_size)
{
	struct keyed *k = xcalloc(1, sizeof *k);
	k->nfields = nfields;
	k->row_size = (row_size + _Alignof(struct str) - 1) & ~(_Alignof(struct str) - 1);
	k->arena.block_size = 60000;
	return k;
}

void keyed_destroy(struct keyed *k)
{
	if (!k)
		return;
	arena_free(&k->arena);
	table_finish(&k->table);
	table_finish(&k->texts);
	free(k);
}

void keyed_share_texts(struct keyed *k)
{
	k->shared = true;
}

void keyed_remember_last(struct keyed *k)
{
	k->remember = true;
}

/*
 * A shared key text: its place among the table's texts in byte order (set by
 * keyed_sorted), then its bytes. A shared field's bytes come right after
 * their header, so a key field finds its rank.
 */
struct shared {
	struct str s;
	size_t rank;
};

static size_t rank_of(struct str s)
{
	return ((const struct shared *)(const void *)s.p - 1)->rank;
}

/* The one copy of s among the table's key texts. */
static struct str shared_text(struct keyed *k, struct str s)
{
	uint64_t h = table_hash(s.p, s.n);
	size_t pos;
	for (struct shared *t = table_first(&k->texts, h, &pos); t;
	     t = table_next(&k->texts, h, &pos))
		if (str_eq(t->s, s))
			return t->s;
	struct shared *t = arena_alloc(&k->arena, sizeof *t + s.n);
	char *text = (char *)(t + 1);
	if (s.n)
		memcpy(text, s.p, s.n);
	*t = (struct shared){ { text, s.n }, 0 };
	table_add(&k->texts, h, t);
	return t->s;
}

/* A new entry for key, its row zeroed: its fields copied after it, or (shared) the shared texts. */
static struct entry *new_entry(struct keyed *k, const struct str *key)
{
	size_t bytes = 0;
	if (!k->shared)
		for (size_t f = 0; f < k->nfields; f++)
			bytes += key[f].n;
	size_t key_off = ROW_OFF + k->row_size;
	struct entry *e = arena_alloc(&k->arena, key_off + k->nfields * sizeof(struct str) + bytes);
	memset(e, 0, key_off);
	e->key = (struct str *)(void *)((char *)e + key_off);
	char *text = (char *)(e->key + k->nfields);
	for (size_t f = 0; f < k->nfields; f++) {
		if (k->shared) {
			e->key[f] = shared_text(k, key[f]);
			continue;
		}
		if (key[f].n)
			memcpy(text, key[f].p, key[f].n);
		e->key[f] = (struct str){ text, key[f].n };
		text += key[f].n;
	}
	return e;
}

static uint64_t hash_key(const struct str *key, size_t nfields)
{
	uint64_t h = TABLE_HASH_START;
	for (size_t f = 0; f < nfields; f++)
		h = table_hash_more(h, key[f].p, key[f].n);
	return table_hash_done(h);
}

static uint64_t load64(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/*
 * Equal bytes. Most key fields (days, hours, regions, models, tags) are
 * 8 to 32 bytes: those are compared by overlapping word loads, without a
 * call to memcmp.
 */
static inline bool bytes_eq(const char *a, const char *b, size_t n)
{
	if (n >= 8 && n <= 16)
		return ((load64(a) ^ load64(b)) | (load64(a + n - 8) ^ load64(b + n - 8))) == 0;
	if (n > 16 && n <= 32)
		return ((load64(a) ^ load64(b)) | (load64(a + 8) ^ load64(b + 8)) |
			(load64(a + n - 16) ^ load64(b + n - 16)) |
			(load64(a + n - 8) ^ load64(b + n - 8))) == 0;
	return n == 0 || memcmp(a, b, n) == 0;
}

static bool key_eq(const struct str *a, const struct str *b, size_t nfields)
{
	for (size_t f = 0; f < nfields; f++)
		if (a[f].n != b[f].n || !bytes_eq(a[f].p, b[f].p, a[f].n))
			return false;
	return true;
}

static inline struct entry *lookup(const struct keyed *k, const struct str *key, uint64_t h)
{
	size_t pos;
	for (struct entry *e = table_first(&k->table, h, &pos); e;
	     e = table_next(&k->table, h, &pos))
		if (key_eq(e->key, key, k->nfields))
			return e;
	return NULL;
}

void *keyed_get(struct keyed *k, const struct str *key)
{
	if (k->last && key_eq(k->last->key, key, k->nfields))
		return row_of(k->last);
	uint64_t h = hash_key(key, k->nfields);
	struct entry *e = lookup(k, key, h);
	if (!e) {
		e = new_entry(k, key);
		table_add(&k->table, h, e);
	}
	if (k->remember)
		k->last = e;
	return row_of(e);
}

void *keyed_find(const struct keyed *k, const struct str *key)
{
	struct entry *e = lookup(k, key, hash_key(key, k->nfields));
	return e ? row_of(e) : NULL;
}

size_t keyed_count(const struct keyed *k)
{
	return table_count(&k->table);
}

size_t keyed_nfields(const struct keyed *k)
{
	return k->nfields;
}

bool keyed_each(const struct keyed *k, size_t *pos, struct keyed_row *out)
{
	const struct entry *e = table_each(&k->table, pos);
	if (!e)
		return false;
	*out = (struct keyed_row){ e->key, row_of(e) };
	return true;
}

static int by_key(const void *a, const void *b, void *ctx)
{
	const struct keyed_row *x = a, *y = b;
	size_t nfields = *(const size_t *)ctx;
	for (size_t f = 0; f < nfields; f++) {
		int c = str_cmp(x->key[f], y->key[f]);
		if (c)
			return c;
	}
	return 0;
}

static int by_text(const void *a, const void *b)
{
	return str_cmp((*(struct shared *const *)a)->s, (*(struct shared *const *)b)->s);
}

/* Sorts the distinct texts (few: a report's keys repeat them) and numbers them in order. */
static void rank_texts(const struct keyed *k)
{
	size_t n = table_count(&k->texts), i = 0, pos = 0;
	struct shared **v = xmalloc((n ? n : 1) * sizeof *v);
	for (struct shared *t; (t = table_each(&k->texts, &pos)) != NULL;)
		v[i++] = t;
	qsort(v, i, sizeof *v, by_text);
	for (size_t r = 0; r < i; r++)
		v[r]->rank = r;
	free(v);
}

/*
 * Shared texts: the rows (n of them) in the order of their fields' ranks,
 * the order of the texts' bytes. A rank is a small number (below the count
 * of distinct texts), so this is a radix sort, last field first, each pass
 * a stable counting sort: no compare, and no pointer followed per compare.
 */
static void sort_by_ranks(const struct keyed *k, struct keyed_row *rows, size_t n)
{
	rank_texts(k);
	size_t nf = k->nfields, nranks = table_count(&k->texts) + 1;
	struct keyed_row *from = rows, *to = xmalloc((n ? n : 1) * sizeof *to);
	size_t *at = xmalloc(nranks * sizeof *at);
	for (size_t f = nf; f-- > 0;) {
		memset(at, 0, nranks * sizeof *at);
		for (size_t i = 0; i < n; i++)
			at[rank_of(from[i].key[f])]++;
		for (size_t r = 0, sum = 0; r < nranks; r++) {
			size_t c = at[r];
			at[r] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[at[rank_of(from[i].key[f])]++] = from[i];
		struct keyed_row *t = from;
		from = to;
		to = t;
	}
	if (from != rows) /* an odd number of passes: the last went to the scratch array */
		memcpy(rows, from, n * sizeof *rows);
	free(from == rows ? to : from);
	free(at);
}

struct keyed_row *keyed_sorted(const struct keyed *k)
{
	size_t n = keyed_count(k), i = 0, pos = 0;
	struct keyed_row *rows = xmalloc((n ? n : 1) * sizeof *rows);
	while (keyed_each(k, &pos, &rows[i]))
		i++;
	size_t nfields = k->nfields; /* qsort_r: workers sort their own tables at once */
	if (k->shared)
		sort_by_ranks(k, rows, i);
	else
		qsort_r(rows, i, sizeof *rows, by_key, &nfields);
	return rows;
}

void keyed_clear(struct keyed *k)
{
	k->last = NULL;
	arena_free(&k->arena);
	table_clear(&k->table); /* it fills again: its slots stay */
	table_clear(&k->texts);
}
