/*
 * table.h - the one hash table: items found by a 64-bit hash and the
 * caller's own key comparison.
 *
 * Used by manifest (ARN -> entry), prices ((model, region) -> row),
 * attribute (its per-thread cache), rollup (group key -> counters) and walk
 * (directories and files seen). Open addressing with linear probing, at most
 * half full. The table keeps a pointer to each item and the item's hash,
 * never a key: the caller hashes its key with table_hash (table_hash_add for
 * a key of several parts, so that no part needs to be copied) and compares
 * keys itself as it steps through the items that have that hash. There is no
 * removal: no user needs one.
 * Ownership: a table owns its slots only; the items are the caller's and must
 * stay valid while they are in the table. Embed a struct table set to
 * TABLE_INIT, release it with table_finish. A table that nobody changes may
 * be read by several threads.
 *
 *	uint64_t h = table_hash(key.p, key.n);
 *	size_t pos;
 *	for (struct thing *x = table_first(&t, h, &pos); x; x = table_next(&t, h, &pos))
 *		if (str_eq(x->key, key))
 *			return x;
 *	table_add(&t, h, new_thing(key));
 */
#ifndef LEDGER_TABLE_H
#define LEDGER_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct table_slot {
	uint64_t hash;
	void *item; /* NULL: empty */
};

struct table {
	struct table_slot *slots; /* NULL until the first table_add */
	size_t mask;		  /* slots - 1; the number of slots is a power of two */
	size_t count;
};

#define TABLE_INIT ((struct table){ NULL, 0, 0 })

/* The hash of n bytes at p (p may be NULL when n is 0). */
uint64_t table_hash(const void *p, size_t n);

/*
 * The hash of a key of several parts: h is the hash of the parts before
 * (TABLE_HASH_START for none), n bytes at p the next part. Lengths count, so
 * ("ab", "c") and ("a", "bc") differ. table_hash(p, n) ==
 * table_hash_add(TABLE_HASH_START, p, n).
 */
#define TABLE_HASH_START UINT64_C(0x2545f4914f6cdd1d)
uint64_t table_hash_add(uint64_t h, const void *p, size_t n);
/* The same in two steps, for a key of many parts: table_hash_more for each part
 * (from TABLE_HASH_START), table_hash_done once at the end. */
uint64_t table_hash_more(uint64_t h, const void *p, size_t n);
uint64_t table_hash_done(uint64_t h);

/* Frees the slots (not the items); the table is empty again. */
void table_finish(struct table *t);

/* Empties the table but keeps its slots, for a table that fills again to the same size. */
void table_clear(struct table *t);

/*
 * Adds item (not NULL) under hash. The caller has made sure that no equal
 * item is in t. Never fails: OOM aborts. Pointers returned by earlier
 * lookups stay valid; positions (pos) do not.
 */
void table_add(struct table *t, uint64_t hash, void *item);

/* Items in the table. */
static inline size_t table_count(const struct table *t)
{
	return t->count;
}

static inline void *table_probe(const struct table *t, uint64_t hash, size_t *pos)
{
	for (;;) {
		const struct table_slot *s = &t->slots[*pos];
		if (!s->item || s->hash == hash)
			return s->item;
		*pos = (*pos + 1) & t->mask;
	}
}

/*
 * The first item stored under hash, or NULL; *pos is where the probe is,
 * for table_next. Items come in no particular order.
 */
static inline void *table_first(const struct table *t, uint64_t hash, size_t *pos)
{
	if (!t->slots)
		return NULL;
	*pos = (size_t)hash & t->mask;
	return table_probe(t, hash, pos);
}

/* The next item stored under hash after the one at *pos, or NULL. */
static inline void *table_next(const struct table *t, uint64_t hash, size_t *pos)
{
	*pos = (*pos + 1) & t->mask;
	return table_probe(t, hash, pos);
}

/*
 * Every item once, in slot order (not sorted, not the order of adding): set
 * *pos to 0, then call until NULL. The table must not change meanwhile.
 */
void *table_each(const struct table *t, size_t *pos);

#endif
