/*
 * reconcile_text.c - the reconciliation in the words of the summary: the
 * bill, the verdict, then what explains the rest, largest first.
 */
#include <inttypes.h>
#include <string.h>

#include "ledger/bill/reconcile.h"
#include "ledger/support/diag.h"

/* The label column: a label padded to `w` bytes (the summary's layout). */
static void label(FILE *fp, int w, const char *text)
{
	fprintf(fp, "%-*s", w, text);
}

static void put_usd(FILE *fp, struct decimal d)
{
	char text[DECIMAL_TEXT_MAX];
	decimal_format(d, 6, text);
	if (text[0] == '-')
		fprintf(fp, "-$%s", text + 1);
	else
		fprintf(fp, "$%s", text);
}

static double share(struct decimal part, struct decimal whole)
{
	return whole.v ? 100.0 * (double)part.v / (double)whole.v : 0.0;
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void print_bill(FILE *fp, const struct reconcile_totals *r, const struct cur_counts *n,
		       int w)
{
	label(fp, w, "bill");
	put_usd(fp, r->billed);
	fprintf(fp,
		" of Bedrock usage billed over the days compared (%" PRIu64 " CUR row%s of %" PRIu64
		" file%s)\n",
		n->usage, plural(n->usage), n->files, plural(n->files));
	if (n->duplicates) {
		label(fp, w, "");
		fprintf(fp,
			"%" PRIu64 " line item%s read again (same identity_line_item_id and usage"
			" start) dropped: each counts once\n",
			n->duplicates, plural(n->duplicates));
	}
	label(fp, w, "verdict");
	put_usd(fp, r->explained);
	fputs(" of ", fp);
	put_usd(fp, r->billed);
	fputs(" billed is explained (matched, or by a note that says why); ", fp);
	put_usd(fp, r->unexplained);
	fputs(" is unexplained\n", fp);
	label(fp, w, "");
	put_usd(fp, r->billed_matched);
	fprintf(fp,
		" (%.1f%%) on %" PRIu64 " keys the logs have too: billed - logged = %" PRId64
		" tokens, ",
		share(r->billed_matched, r->billed), r->matched, r->token_diff_matched);
	put_usd(fp, r->usd_diff_matched);
	fprintf(fp, "%s\n", r->matched_unpriced ? " (keys without an estimate left out)" : "");
}

static void print_gaps(FILE *fp, const struct reconcile_totals *r, int w)
{
	if (!r->ngaps)
		return;
	label(fp, w, "");
	fputs("billed on keys the logs lack, by reconcile.csv's note, largest first:\n", fp);
	for (size_t i = 0; i < r->ngaps; i++) {
		label(fp, w, "");
		fprintf(fp, "  %-34s ", r->gaps[i].note);
		put_usd(fp, r->gaps[i].usd);
		fputs(r->gaps[i].says_why ? "\n" : "  unexplained\n", fp);
	}
}

/* "days only on the bill: D1 ($X), D2 ($Y) and 3 more ($Z in all)" */
static void print_days(FILE *fp, const struct reconcile_days *days, const char *what,
		       const char *usd_what, int w)
{
	if (!days->count)
		return;
	label(fp, w, "");
	fprintf(fp, "%" PRIu64 " day%s %s:", days->count, plural(days->count), what);
	uint64_t named = days->count < RECONCILE_DAYS_NAMED ? days->count : RECONCILE_DAYS_NAMED;
	for (uint64_t i = 0; i < named; i++) {
		fprintf(fp, "%s %s (%s", i ? "," : "", days->named[i].day, usd_what);
		put_usd(fp, days->named[i].usd);
		fputc(')', fp);
	}
	if (days->count > named) {
		fprintf(fp, " and %" PRIu64 " more (%s", days->count - named, usd_what);
		put_usd(fp, days->usd);
		fputs(" in all)", fp);
	}
	fputc('\n', fp);
}

static void print_adjustments(FILE *fp, struct cur_bill *bill, int w)
{
	size_t na = 0;
	const struct cur_adjustment *const *adj = cur_bill_adjustments(bill, &na);
	if (!na)
		return;
	label(fp, w, "");
	fputs("not usage (not in reconcile.csv):", fp);
	for (size_t i = 0; i < na; i++) {
		fprintf(fp, "%s %.*s ", i ? "," : "", (int)adj[i]->type.n, adj[i]->type.p);
		put_usd(fp, adj[i]->usd);
	}
	fputc('\n', fp);
}

static void print_unknown_names(FILE *fp, struct cur_bill *bill, int w)
{
	size_t nu = 0;
	const struct cur_unknown_name *const *un = cur_bill_unknown_names(bill, &nu);
	if (!nu)
		return;
	label(fp, w, "");
	fprintf(fp,
		"%zu billing name%s no table maps (add billing_name,model_id rows with"
		" --billing-names):",
		nu, nu == 1 ? "" : "s");
	for (size_t i = 0; i < nu && i < 5; i++) {
		fputs(i ? ", " : " ", fp);
		diag_put_escaped(fp, un[i]->name.p, un[i]->name.n);
	}
	fprintf(fp, "%s\n", nu > 5 ? ", ..." : "");
}

/* reconcile_callers.csv in a line, and its largest differences. */
static void print_callers(FILE *fp, const struct reconcile_callers_totals *c, int w)
{
	if (!c->active)
		return;
	label(fp, w, "by caller");
	if (decimal_cmp(c->billed_no_principal, c->billed) == 0) {
		fputs("no Bedrock row of the bill names a principal (line_item_iam_principal is"
		      " empty: is caller identity allocation on for the export?)\n",
		      fp);
		return;
	}
	put_usd(fp, c->billed);
	fputs(" billed (", fp);
	put_usd(fp, c->billed_no_principal);
	fputs(" naming no principal), ", fp);
	put_usd(fp, c->logged);
	fprintf(fp, " logged, by day and principal (reconcile_callers.csv)%s\n",
		c->ntop ? "; the largest differences, billed - logged:" : "");
	for (size_t i = 0; i < c->ntop; i++) {
		const struct reconcile_caller_diff *x = &c->top[i];
		label(fp, w, "");
		fprintf(fp, "  %s %s", x->day, x->diff.v < 0 ? "" : "+");
		put_usd(fp, x->diff);
		fputc(' ', fp);
		if (x->principal.n)
			diag_put_escaped(fp, x->principal.p, x->principal.n);
		else
			fputs("(none)", fp);
		fprintf(fp, "%s%s\n", *x->note ? "  " : "", x->note);
	}
}

void reconcile_summary_print(FILE *fp, const struct reconcile_totals *r, struct cur_bill *bill,
			     int w)
{
	const struct cur_counts *n = cur_bill_counts(bill);
	print_bill(fp, r, n, w);
	print_gaps(fp, r, w);
	print_days(fp, &r->only_bill, "only on the bill (the logs have no key of it)", "", w);
	print_days(fp, &r->only_logs, "only in the logs (the bill has no key of it)", "estimated ",
		   w);
	if (!decimal_is_zero(r->not_billed)) {
		label(fp, w, "");
		fputs("logged but not billed: estimated ", fp);
		put_usd(fp, r->not_billed);
		fputc('\n', fp);
	}
	print_callers(fp, &r->callers, w);
	print_adjustments(fp, bill, w);
	print_unknown_names(fp, bill, w);
	if (n->malformed) {
		label(fp, w, "");
		fprintf(fp,
			"%" PRIu64 " row%s of other services could not be read and were skipped\n",
			n->malformed, plural(n->malformed));
	}
}
