/*
 * manifest_batch.h - what one manifest file says, before it is merged: the
 * interface between manifest.c and the parser of each form
 * (manifest_csv.c, manifest_json.c). Not for other modules.
 *
 * A parser fills a batch: one entry per profile it names, with the model
 * and tags that file gives. manifest.c merges the batch into the manifest
 * only when the whole file has parsed, so a failed load changes nothing.
 * Ownership: the batch owns every string in it (in its scratch arena); the
 * parser's input may go away once the batch is filled.
 */
#ifndef LEDGER_MANIFEST_BATCH_H
#define LEDGER_MANIFEST_BATCH_H

#include <stddef.h>

#include "ledger/support/arena.h"
#include "ledger/support/diag.h"
#include "ledger/support/str.h"

#define MANIFEST_EXPECTED                                                                          \
	"expected a CSV with a profile_arn column, or the JSON of aws bedrock "                    \
	"list-inference-profiles, get-inference-profile or aws resourcegroupstaggingapi "          \
	"get-resources"

struct manifest_pair {
	const char *key, *value;
};

/* What one file says about one profile. */
struct manifest_said {
	const char *arn;
	const char *model_id; /* NULL: this file says nothing about the model */
	struct diag note;     /* a warning about this profile, if any */
	size_t tag0, ntags;   /* into manifest_batch.tags */
};

struct manifest_batch {
	const char *name; /* the file, in messages */
	struct arena scratch;
	struct manifest_said *said;
	size_t nsaid, said_cap;
	struct manifest_pair *tags;
	size_t ntags, tags_cap;
	struct diag note; /* a warning about the whole file, if any */
	struct diag error;
};

/* Sets the batch's error: the problem, at NAME[:LINE] (no line when 0); returns -1. */
int manifest_batch_fail(struct manifest_batch *b, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A new entry for arn (copied); valid until the next manifest_batch_add. */
struct manifest_said *manifest_batch_add(struct manifest_batch *b, struct str arn);

/*
 * Tag key = value on entry s (value copied; key must live as long as the
 * batch). An empty value says nothing: it neither sets nor overrides a tag.
 */
void manifest_batch_tag(struct manifest_batch *b, struct manifest_said *s, const char *key,
			struct str value);

/* The model of entry s: an ARN is reduced to its ID; an empty one says nothing. */
void manifest_batch_model(struct manifest_batch *b, struct manifest_said *s, struct str model);

/*
 * Sets *note (the note of an entry, or of the batch), a warning merged
 * with the batch: the problem, at NAME[:LINE] (no line when 0).
 */
void manifest_batch_note(struct manifest_batch *b, struct diag *note, size_t line, const char *fmt,
			 ...) __attribute__((format(printf, 4, 5)));

/*
 * The parsers: fill b from n bytes at buf. Return 0, or -1 with b->error set
 * (at NAME[:LINE]). The CSV parser skips a BOM itself; the JSON
 * parser is given the text after it.
 */
/* Frees what the batch holds (its arena, lists and diags). */
void manifest_batch_free(struct manifest_batch *b);

int manifest_parse_csv(struct manifest_batch *b, const char *buf, size_t n);
int manifest_parse_json(struct manifest_batch *b, const char *buf, size_t n);

#endif
