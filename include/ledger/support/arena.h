/*
 * arena.h - memory that lives as long as its owner: many small pieces, freed
 * at once.
 *
 * Used by rollup (keys and rows) and manifest (strings). Pieces never move, so
 * pointers into an arena stay valid until arena_free; each piece is aligned
 * for any object type (16 bytes).
 * Ownership: the owner embeds a zeroed struct arena and calls arena_free.
 */
#ifndef LEDGER_ARENA_H
#define LEDGER_ARENA_H

#include <stddef.h>

#include "ledger/support/str.h"

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t block_size; /* 0: 16 KiB */
};

/* n bytes, 16-aligned; never NULL: OOM aborts. */
void *arena_alloc(struct arena *a, size_t n);
/* A NUL-terminated copy of s. */
const char *arena_dup(struct arena *a, struct str s);
/* Frees every piece; the arena is empty (and usable) again. */
void arena_free(struct arena *a);

#endif
