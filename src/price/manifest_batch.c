/*
 * manifest_batch.c - what one manifest file says, as its parser finds it:
 * the profiles, their models and tags, and the file's problems, kept in a
 * scratch arena until manifest.c merges the batch.
 */
#include "ledger/price/manifest_batch.h"

#include <stdarg.h>
#include <stdlib.h>

#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

int manifest_batch_fail(struct manifest_batch *b, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_setv(&b->error, fmt, ap);
	va_end(ap);
	return diag_place(&b->error, b->name, line, 0);
}

struct manifest_said *manifest_batch_add(struct manifest_batch *b, struct str arn)
{
	xgrow(&b->said, &b->said_cap, b->nsaid + 1, sizeof *b->said);
	struct manifest_said *r = &b->said[b->nsaid++];
	*r = (struct manifest_said){ .arn = arena_dup(&b->scratch, arn), .tag0 = b->ntags };
	return r;
}

void manifest_batch_tag(struct manifest_batch *b, struct manifest_said *r, const char *key,
			struct str value)
{
	if (value.n == 0)
		return;
	xgrow(&b->tags, &b->tags_cap, b->ntags + 1, sizeof *b->tags);
	b->tags[b->ntags++] = (struct manifest_pair){ key, arena_dup(&b->scratch, value) };
	r->ntags++;
}

void manifest_batch_model(struct manifest_batch *b, struct manifest_said *r, struct str model)
{
	model = modelid_strip_arn(model);
	r->model_id = model.n ? arena_dup(&b->scratch, model) : NULL;
}

void manifest_batch_note(struct manifest_batch *b, struct diag *note, size_t line, const char *fmt,
			 ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_setv(note, fmt, ap);
	va_end(ap);
	diag_place(note, b->name, line, 0);
}

void manifest_batch_free(struct manifest_batch *b)
{
	arena_free(&b->scratch);
	for (size_t i = 0; i < b->nsaid; i++)
		diag_clear(&b->said[i].note);
	free(b->said);
	free(b->tags);
	diag_clear(&b->note);
	diag_clear(&b->error);
}

