/*
 * table.c - linear probing over (hash, item) slots, and the hash function.
 */
#include "ledger/support/table.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

/* An odd constant (2^64 / golden ratio): multiplying by it is a bijection that spreads bits
 * upwards. */
#define SPREAD UINT64_C(0x9e3779b97f4a7c15)

static uint64_t rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

/* Every input bit reaches every output bit (the probe uses the low ones). */
static uint64_t avalanche(uint64_t h)
{
	h ^= h >> 30;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64_C(0x94d049bb133111eb);
	h ^= h >> 31;
	return h;
}

static uint64_t load32(const unsigned char *s)
{
	uint32_t w;
	memcpy(&w, s, 4);
	return w;
}

/*
 * Eight bytes a step rather than FNV-1a's one: the rollup and the attributor
 * hash a key per record. Each step is a bijection of the state, and the
 * length goes in first, so "a" and "a\0" (the same zero-padded word) and the
 * parts of a key cannot trade bytes. The last 1 to 7 bytes are read as two
 * overlapping words (or three bytes), which given the length are all of them.
 */
uint64_t table_hash_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	h = (h ^ (uint64_t)n) * SPREAD;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (rotl(h, 29) ^ w) * SPREAD;
	}
	if (n) {
		uint64_t w = n >= 4 ? load32(s) | load32(s + n - 4) << 32
				    : (uint64_t)s[0] | (uint64_t)s[n / 2] << 8 | (uint64_t)s[n - 1] << 16;
		h = (rotl(h, 29) ^ w) * SPREAD;
	}
	return h;
}

uint64_t table_hash_done(uint64_t h)
{
	return avalanche(h);
}

uint64_t table_hash_add(uint64_t h, const void *p, size_t n)
{
	return avalanche(table_hash_more(h, p, n));
}

uint64_t table_hash(const void *p, size_t n)
{
	return table_hash_add(TABLE_HASH_START, p, n);
}

void table_finish(struct table *t)
{
	free(t->slots);
	*t = TABLE_INIT;
}

void table_clear(struct table *t)
{
	if (t->slots)
		memset(t->slots, 0, (t->mask + 1) * sizeof *t->slots);
	t->count = 0;
}

/*
 * Empty slots, written before they are read: a calloc'd array of this size is
 * fresh zero pages, each faulted twice (read, then written) and, while other
 * threads run, each second fault a TLB shootdown.
 */
static struct table_slot *new_slots(size_t n)
{
	struct table_slot *slots = xmalloc(n * sizeof *slots);
	memset(slots, 0, n * sizeof *slots);
	return slots;
}

static void put(struct table_slot *slots, size_t mask, uint64_t hash, void *item)
{
	size_t i = (size_t)hash & mask;
	while (slots[i].item)
		i = (i + 1) & mask;
	slots[i] = (struct table_slot){ hash, item };
}

void table_add(struct table *t, uint64_t hash, void *item)
{
	size_t nslots = t->slots ? t->mask + 1 : 0;
	if (2 * (t->count + 1) > nslots) {
		size_t grown = nslots ? 2 * nslots : 16;
		struct table_slot *slots = new_slots(grown);
		for (size_t i = 0; i < nslots; i++)
			if (t->slots[i].item)
				put(slots, grown - 1, t->slots[i].hash, t->slots[i].item);
		free(t->slots);
		t->slots = slots;
		t->mask = grown - 1;
	}
	put(t->slots, t->mask, hash, item);
	t->count++;
}

void *table_each(const struct table *t, size_t *pos)
{
	if (!t->slots)
		return NULL;
	while (*pos <= t->mask) {
		void *item = t->slots[(*pos)++].item;
		if (item)
			return item;
	}
	return NULL;
}
