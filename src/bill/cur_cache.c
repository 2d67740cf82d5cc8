/*
 * cur_cache.c - the classifications of recent usage types, one per slot of
 * a small direct-mapped table: classifying is the costliest step of a
 * Bedrock row, and a bill repeats a few hundred usage types over and over.
 */
#include <stdlib.h>
#include <string.h>

#include "cur_row.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

#define CACHE_SLOTS 512

struct cache_entry {
	uint64_t hash;
	bool used;
	char *buf; /* the cells, then region and model */
	size_t cap;
	struct str cell[CUR_CACHE_CELLS];
	struct cur_resolved r; /* its cls slices are not used: r.region and r.model are buf's */
};

struct cur_class_cache {
	struct cache_entry e[CACHE_SLOTS];
};

struct cur_class_cache *cur_class_cache_create(void)
{
	return xcalloc(1, sizeof(struct cur_class_cache));
}

void cur_class_cache_destroy(struct cur_class_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		free(c->e[i].buf);
	free(c);
}

static uint64_t cells_hash(const struct str *cells)
{
	uint64_t h = TABLE_HASH_START;
	for (int i = 0; i < CUR_CACHE_CELLS; i++)
		h = table_hash_add(h, cells[i].p, cells[i].n);
	return h;
}

bool cur_class_cache_get(struct cur_class_cache *c, const struct str cells[CUR_CACHE_CELLS],
			 struct cur_resolved *r)
{
	uint64_t h = cells_hash(cells);
	const struct cache_entry *e = &c->e[h % CACHE_SLOTS];
	if (!e->used || e->hash != h)
		return false;
	for (int i = 0; i < CUR_CACHE_CELLS; i++)
		if (!str_eq(e->cell[i], cells[i]))
			return false;
	*r = e->r;
	return true;
}

void cur_class_cache_put(struct cur_class_cache *c, const struct str cells[CUR_CACHE_CELLS],
			 const struct cur_resolved *r)
{
	uint64_t h = cells_hash(cells);
	struct cache_entry *e = &c->e[h % CACHE_SLOTS];
	size_t need = r->region.n + r->model.n;
	for (int i = 0; i < CUR_CACHE_CELLS; i++)
		need += cells[i].n;
	if (e->cap < need + 1) {
		e->cap = 2 * need + 64;
		e->buf = xrealloc(e->buf, e->cap);
	}
	char *p = e->buf;
	for (int i = 0; i < CUR_CACHE_CELLS; i++) {
		memcpy(p, cells[i].p, cells[i].n);
		e->cell[i] = (struct str){ p, cells[i].n };
		p += cells[i].n;
	}
	e->r = *r;
	memcpy(p, r->region.p, r->region.n);
	e->r.region = (struct str){ p, r->region.n };
	p += r->region.n;
	memcpy(p, r->model.p, r->model.n);
	e->r.model = (struct str){ p, r->model.n };
	e->hash = h;
	e->used = true;
}
