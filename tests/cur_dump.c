/*
 * cur_dump.c - a test driver: reads CUR files (cur.h) with the built-in
 * billing names (and --billing-names FILE) and prints the bill side, one key
 * a line, "day,region,model,kind,routing,tier,context,tokens,usd,note", then
 * "adjustment,TYPE,usd,lines", then "caller,DAY,PRINCIPAL,usd" (what the
 * bill charged each folded principal); or the message, exit 2. The note is the one
 * the bill alone gives (bedrock-ledger-formats(5), RECONCILIATION): the category's,
 *unknown-billing-name, or not-in-logs: batch. testdata/gen_cur.py --expect writes the same format.
 *
 *	cur_dump [--billing-names FILE] [--since T] [--until T] [--jobs N] CUR...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/bill/cur.h"

static const char *note_of(const struct cur_row *r)
{
	if (r->category != USAGE_CATEGORY_NONE)
		return usage_category_note(r->category);
	if (r->unknown_billing_name)
		return "unknown-billing-name";
	if (r->key.tier == USAGE_TIER_BATCH)
		return "not-in-logs: batch";
	return "";
}

int main(int argc, char **argv)
{
	struct billing_names *names = billing_names_create();
	billing_names_load_builtin(names);
	struct ts since, until;
	bool has_since = false, has_until = false;
	int jobs = 1;
	struct diag d = DIAG_INIT;
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--billing-names") == 0 &&
		    billing_names_load_file(names, argv[i + 1], &d) != 0) {
			fprintf(stderr, "cur_dump: %s\n", diag_msg(&d));
			return 2;
		}
		if (strcmp(argv[i], "--since") == 0)
			has_since = ts_parse_bound(argv[i + 1], &since) == 0;
		if (strcmp(argv[i], "--until") == 0)
			has_until = ts_parse_bound(argv[i + 1], &until) == 0;
		if (strcmp(argv[i], "--jobs") == 0)
			jobs = atoi(argv[i + 1]);
	}
	struct cur_reader *r =
	    cur_reader_create(names, has_since ? &since : NULL, has_until ? &until : NULL, jobs);
	struct cur_bill *b = cur_bill_create();
	int rc = 0;
	for (; i < argc && rc == 0; i++) {
		if (cur_reader_read_path(r, b, argv[i], &d) != 0) {
			fprintf(stderr, "cur_dump: %s\n", diag_msg(&d));
			rc = 2;
		}
	}
	size_t n;
	const struct cur_row *const *rows = cur_bill_rows(b, &n);
	for (size_t k = 0; rc == 0 && k < n; k++) {
		const struct cur_row *x = rows[k];
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(x->billed_usd, 6, usd);
		printf("%s,%.*s,%.*s,%s,%s,%s,%s,%lld,%s,%s\n", x->day, (int)x->key.region.n,
		       x->key.region.p, (int)x->key.model.n, x->key.model.p,
		       usage_kind_name(x->key.kind), usage_routing_name(x->key.routing),
		       usage_tier_name(x->key.tier), usage_context_name(x->key.context),
		       (long long)x->billed_tokens, usd, note_of(x));
	}
	const struct cur_adjustment *const *adj = cur_bill_adjustments(b, &n);
	for (size_t k = 0; rc == 0 && k < n; k++) {
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(adj[k]->usd, 6, usd);
		printf("adjustment,%.*s,%s,%llu\n", (int)adj[k]->type.n, adj[k]->type.p, usd,
		       (unsigned long long)adj[k]->lines);
	}
	const struct cur_caller *const *callers = cur_bill_callers(b, &n);
	for (size_t k = 0; rc == 0 && k < n; k++) {
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(callers[k]->usd, 6, usd);
		printf("caller,%s,%.*s,%s\n", callers[k]->day_text, (int)callers[k]->principal.n,
		       callers[k]->principal.p, usd);
	}
	diag_clear(&d);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	billing_names_destroy(names);
	return rc;
}
