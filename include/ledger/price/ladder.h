/*
 * ladder.h - the model ladder behind whatif.csv: families of models ranked
 * from the most capable (rank 1) down (bedrock-ledger(1), --ladder).
 *
 * Pipeline: loaded once, like the price table; read by views/whatif.c.
 * A ladder is a CSV with the columns family, rank and model_id (others,
 * such as source, are ignored): the built-in one (data/model-ladder.csv,
 * compiled in) and any --ladder FILE, where a family of FILE replaces every
 * earlier row of the family of the same name, and new families are added.
 * For a model (without its geographic prefix), its cheaper models are those
 * of a greater rank in any family that holds it. The ranking is a price
 * question only: it says nothing about the quality of an answer.
 * Ownership: the ladder copies what it reads; the slices it returns live as
 * long as it does. A loaded ladder is read-only and may be shared by
 * threads.
 */
#ifndef LEDGER_LADDER_H
#define LEDGER_LADDER_H

#include <stddef.h>

#include "ledger/support/str.h"

struct ladder;

struct ladder *ladder_create(void);	    /* never NULL: OOM aborts */
void ladder_destroy(struct ladder *l); /* NULL is a no-op */

/*
 * Reads a ladder CSV. Returns 0, or -1 with ladder_error() set to
 * "NAME:LINE: PROBLEM" (a missing column, a rank that is not an integer
 * from 1, an empty family or model_id, a model_id that is an ARN or has a
 * geographic prefix or spaces at its ends, one model twice in a family);
 * on -1 the ladder is unchanged.
 */
int ladder_load_buffer(struct ladder *l, const char *name, const char *buf, size_t n);
int ladder_load_file(struct ladder *l, const char *path);
int ladder_load_builtin(struct ladder *l);
const char *ladder_error(const struct ladder *l); /* "" when none */

/* The built-in ladder as CSV text, as shipped. */
const char *ladder_builtin_csv(size_t *len);

/*
 * The cheaper models of `model` (a model ID without geographic prefix), in
 * byte order, each once: *out points at n slices owned by the ladder.
 * 0 when the model is in no family or is the last of each of its families.
 */
size_t ladder_cheaper(const struct ladder *l, struct str model, const struct str **out);

#endif
