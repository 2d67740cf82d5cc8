/*
 * keyed.h - a table from group keys to rows: the one home of what rollup.h
 * (counters) and sums.h (signed sums) share.
 *
 * A key is a fixed number of byte-string fields (any bytes, NUL included);
 * a row is a fixed number of bytes, zeroed when the key is new, that the
 * caller's type gives meaning to. Rows and keys live in the table's arena:
 * a row's address stays valid until the table is cleared or destroyed.
 * Ownership: the table copies every key it is given.
 */
#ifndef LEDGER_KEYED_H
#define LEDGER_KEYED_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/support/str.h"

struct keyed;

/* A table of nfields-field keys and rows of row_size bytes (16-aligned). Never NULL. */
struct keyed *keyed_create(size_t nfields, size_t row_size);
void keyed_destroy(struct keyed *k); /* NULL is a no-op */

/* The row of key, created zeroed when new. */
void *keyed_get(struct keyed *k, const struct str *key);

/* The row of key, or NULL when there is none. */
void *keyed_find(const struct keyed *k, const struct str *key);

/*
 * The row found last is tried first, before hashing: for a table whose
 * adders come in runs of one key. A loss where they do not (a compare more).
 */
void keyed_remember_last(struct keyed *k);

/*
 * From now on the table keeps each distinct key text once, shared by the
 * rows that hold it (a report's rows repeat their models, days and Regions):
 * less memory, a lookup more per new row, and rows sorted by integer ranks.
 */
void keyed_share_texts(struct keyed *k);

size_t keyed_count(const struct keyed *k);
size_t keyed_nfields(const struct keyed *k);

struct keyed_row {
	const struct str *key; /* nfields slices, owned by the table */
	void *row;
};

/* The rows in no particular order: *pos starts at 0; false after the last. */
bool keyed_each(const struct keyed *k, size_t *pos, struct keyed_row *out);

/*
 * The rows sorted by key, field by field in byte order: a malloc'd array of
 * keyed_count() rows, valid until the table changes or dies. A table with
 * shared texts sorts its distinct texts first and its rows by their ranks
 * (it writes the ranks: one thread at a time per table).
 */
struct keyed_row *keyed_sorted(const struct keyed *k);

/* Drops every row: the table is empty (and usable) again; its slots stay. */
void keyed_clear(struct keyed *k);

#endif
