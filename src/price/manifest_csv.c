/*
 * manifest_csv.c - the CSV form of a tag manifest (bedrock-ledger-formats(5), TAG MANIFESTS): a
 * header with profile_arn, an optional model_id, every other column a tag. Rows come from
 * csvrows.h, with their lines.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/arena.h"
#include "ledger/support/csvrows.h"
#include "ledger/price/manifest.h"
#include "ledger/price/manifest_batch.h"
#include "ledger/price/headers.h"
#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

struct csv_state {
	struct manifest_batch *b;
	const char **columns; /* header names (in the scratch arena); NULL: unnamed */
	size_t ncolumns;
	long arn_col, model_col;
	bool have_header;
};

/* Cell i of a row; a short row has empty cells at its end. */
static struct str cell(const struct csvrows_row *row, size_t i)
{
	return i < row->nfields ? row->field[i] : (struct str){ "", 0 };
}

/* No profile_arn column: say what the file looks like, and what to do (bedrock-ledger(1), OPTIONS).
 */
static int not_a_manifest(struct csvrows *r, const struct csvrows_row *row)
{
	if (prices_header_is(row))
		return csvrows_fail(r, 0,
				    "not a tag manifest: this is a price table (it has"
				    " input_per_mtok); give it with --prices, not --manifest");
	if (row->nfields == 1 && row->field[0].n && memchr(row->field[0].p, ';', row->field[0].n))
		return csvrows_fail(
		    r, 0,
		    "not a tag manifest: the header is separated by"
		    " semicolons (a spreadsheet's CSV in a decimal-comma locale?); save it"
		    " with commas between cells, with a profile_arn column");
	return csvrows_fail(r, 0, "not a tag manifest: " MANIFEST_EXPECTED);
}

static int csv_header(struct csv_state *s, struct csvrows *r, const struct csvrows_row *row)
{
	struct manifest_batch *b = s->b;
	s->columns = xcalloc(row->nfields, sizeof *s->columns);
	s->ncolumns = row->nfields;
	s->arn_col = s->model_col = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		struct str name = row->field[i];
		s->columns[i] = name.n ? arena_dup(&b->scratch, name) : NULL;
		if (!name.n)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (s->columns[j] && strcmp(s->columns[j], s->columns[i]) == 0)
				return csvrows_fail(r, row->line,
						    "column '%.*s%s' appears twice in the header",
						    DIAG_NAME(name));
		}
		if (strcmp(s->columns[i], MANIFEST_ARN_COLUMN) == 0)
			s->arn_col = (long)i;
		else if (strcmp(s->columns[i], "model_id") == 0)
			s->model_col = (long)i;
	}
	if (s->arn_col < 0)
		return not_a_manifest(r, row);
	return 0;
}

static int csv_record(struct csv_state *s, struct csvrows *r, const struct csvrows_row *row)
{
	struct manifest_batch *b = s->b;
	bool empty = true;
	for (size_t i = 0; i < row->nfields; i++) {
		if (row->field[i].n == 0)
			continue;
		empty = false;
		if (i >= s->ncolumns || !s->columns[i])
			return csvrows_fail(
			    r, row->line, "a value in column %zu, which has no name in the header",
			    i + 1);
	}
	/* a row of empty cells (",,," from a spreadsheet) says nothing */
	if (empty)
		return 0;
	struct str arn = cell(row, (size_t)s->arn_col);
	if (!arn.n)
		return csvrows_fail(r, row->line, "empty profile_arn");
	struct manifest_said *p = manifest_batch_add(b, arn);
	/* bedrock-ledger-formats(5), TAG MANIFESTS: an ARN that can never match a record is said,
	 * not dropped */
	bool padded = arn.p[0] == ' ' || arn.p[0] == '\t' || arn.p[arn.n - 1] == ' ' ||
		      arn.p[arn.n - 1] == '\t';
	if (padded)
		manifest_batch_note(b, &p->note, row->line,
				    "profile_arn '%.*s%s' has spaces around it: it"
				    " can never match a record's modelId",
				    DIAG_NAME(arn));
	else if (!modelid_is_app_profile_arn(arn))
		manifest_batch_note(b, &p->note, row->line,
				    "profile_arn '%.*s%s' is not an"
				    " application-inference-profile ARN (arn:aws:bedrock:REGION:"
				    "ACCOUNT:application-inference-profile/ID): it can never match"
				    " a record's modelId",
				    DIAG_NAME(arn));
	if (s->model_col >= 0)
		manifest_batch_model(b, p, cell(row, (size_t)s->model_col));
	for (size_t i = 0; i < s->ncolumns; i++) {
		if (s->columns[i] && (long)i != s->arn_col && (long)i != s->model_col)
			manifest_batch_tag(b, p, s->columns[i], cell(row, i));
	}
	return 0;
}

static int csv_on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct csv_state *s = ctx;
	if (s->have_header)
		return csv_record(s, r, row);
	s->have_header = true;
	return csv_header(s, r, row);
}

int manifest_parse_csv(struct manifest_batch *b, const char *buf, size_t n)
{
	struct csv_state s = { .b = b };
	int rc = csvrows_parse(b->name, buf, n, csv_on_row, &s, &b->error);
	if (rc == 0 && !s.have_header)
		rc = manifest_batch_fail(b, 0, "not a tag manifest: " MANIFEST_EXPECTED);
	free(s.columns);
	return rc;
}
