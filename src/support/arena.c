/*
 * arena.c - bump allocation in blocks that never move.
 */
#include "ledger/support/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	alignas(16) unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t size = a->block_size ? a->block_size : 16384;
		size_t cap = n > size ? n : size;
		b = xmalloc(sizeof *b + cap);
		b->next = a->head;
		b->used = 0;
		b->cap = cap;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

const char *arena_dup(struct arena *a, struct str s)
{
	char *p = arena_alloc(a, s.n + 1);
	if (s.n)
		memcpy(p, s.p, s.n);
	p[s.n] = '\0';
	return p;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_block *next = a->head->next;
		free(a->head);
		a->head = next;
	}
}
