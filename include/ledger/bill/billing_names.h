/*
 * billing_names.h - the billing-name table: the model segment of a Bedrock
 * usage type ("Claude4.6Sonnet") or a Marketplace product name ("Claude 3.5
 * Sonnet (Amazon Bedrock Edition)") -> the model ID without geographic
 * prefix (bedrock-ledger-formats(5), RECONCILIATION, reference/cur.md §7).
 *
 * Pipeline: cur classifies a row (usagetype.h) -> [billing_names] -> the
 * bill's model. The built-in table is data/billing-names.csv, compiled into
 * the binary; --billing-names FILE adds rows (a later row wins, over the
 * built-in ones too). A name that no row holds is never guessed: the caller
 * keeps the billing name as the model and flags it.
 * CSV (read by csvrows.h, columns by name, others such as `source` ignored):
 * `billing_name` and `model_id`, both required and non-empty, without
 * leading or trailing blanks. A billing name that ends in " (Amazon Bedrock
 * Edition)" is stored without it (the classifier strips it from product
 * names). A model_id given as an ARN is reduced to the ID after its '/', and
 * a geographic prefix ("us.", "global.") is dropped: the bill's models carry
 * none.
 * Ownership: the table copies what it reads; the slices that lookups return
 * live as long as the table. A loaded table is read-only and may be shared
 * between threads. Problems follow diag.h (at NAME:LINE); a failed load
 * leaves the table as it was.
 *
 *	struct billing_names *t = billing_names_create();
 *	billing_names_load_builtin(t);
 *	if (extra && billing_names_load_file(t, extra, &d) != 0) ... exit 2 ...
 *	struct str id;
 *	if (billing_names_lookup(t, STR_LIT("Claude4.6Sonnet"), &id)) ...
 */
#ifndef LEDGER_BILLING_NAMES_H
#define LEDGER_BILLING_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/support/csvrows.h"
#include "ledger/support/diag.h"
#include "ledger/support/str.h"

struct billing_names;

struct billing_names *billing_names_create(void);    /* never NULL: OOM aborts */
void billing_names_destroy(struct billing_names *t); /* NULL is a no-op */

/*
 * Adds the rows of a CSV held in buf (n bytes); `name` is used in messages.
 * Returns 0, or -1 with *d set ("NAME:LINE: missing required column
 * \"model_id\"", "NAME:LINE: empty billing_name", "NAME:LINE: malformed CSV:
 * ...", ...) and the table unchanged.
 */
int billing_names_load_buffer(struct billing_names *t, const char *name, const char *buf, size_t n,
			      struct diag *d);

/* As billing_names_load_buffer on a file read in chunks; "PATH: cannot read: ..." too. */
int billing_names_load_file(struct billing_names *t, const char *path, struct diag *d);

/* The built-in table (always valid); returns 0. */
int billing_names_load_builtin(struct billing_names *t);

/* The built-in table as CSV text, exactly as shipped. */
const char *billing_names_builtin_csv(size_t *len);

/* Rows held (a name given again counts once). */
size_t billing_names_count(const struct billing_names *t);

/*
 * The model ID of a billing name (compared byte for byte; a trailing " (Amazon
 * Bedrock Edition)" is ignored). Returns true and sets *model_id, or false.
 */
bool billing_names_lookup(const struct billing_names *t, struct str billing_name,
			  struct str *model_id);

/*
 * A recogniser, for a table given to the wrong option or as a log: does this
 * CSV header row have the billing_name column?
 */
bool billing_names_header_is(const struct csvrows_row *row);

#endif
