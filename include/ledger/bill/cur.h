/*
 * cur.h - reading Cost and Usage Report exports (--cur FILE or DIR,
 * bedrock-ledger(1), RECONCILIATION) into a bill (cur_bill.h).
 *
 * Pipeline: --cur PATH... -> [cur] (inflate.h for gzip, csvrows.h for the
 * CSV, usagetype.h for each usage type, billing_names.h for models) ->
 * cur_bill.h -> reconcile.csv and the summary.
 *
 * What is read: CSV, or gzip-compressed CSV (recognised by its magic bytes,
 * never its name), with a header; CUR 2.0 (Data Exports) or classic CUR
 * column names, matched without regard to case, in any order, among any
 * other columns. Needed: line_item_usage_type, line_item_line_item_type,
 * line_item_usage_start_date, line_item_usage_amount,
 * line_item_unblended_cost, line_item_product_code, pricing_unit (classic:
 * lineItem/UsageType, lineItem/LineItemType, lineItem/UsageStartDate,
 * lineItem/UsageAmount, lineItem/UnblendedCost, lineItem/ProductCode,
 * pricing/unit). Used when present: bill_billing_entity,
 * line_item_line_item_description, line_item_usage_end_date,
 * product_region_code (or product/regionCode, product_region,
 * product/region), product_servicecode, the product name
 * (product/ProductName, product_product_name, product_name, else the
 * `product` map's product_name), the `product` map (jsonmap.h),
 * identity_line_item_id (identity/LineItemId: line items read again, below)
 * and line_item_iam_principal (what each principal was charged each day:
 * cur_bill_callers).
 * Which rows are Bedrock (reference/cur.md §3): billing entity AWS (or no
 * such column) and a product or service code AmazonBedrock,
 * AmazonBedrockService, AmazonBedrockFoundationModels or
 * AmazonBedrockAgentCore; or billing entity AWS Marketplace (or no such
 * column) and a product name containing "Bedrock". Line-item type Usage is
 * summed by key when its usage start date is in the window; any other type
 * is an adjustment, summed by type whatever its date. Other services' rows
 * are ignored: a row that does not contain the bytes "Bedrock" anywhere is
 * not even split into cells, which is what makes a CUR of many services fast.
 *
 * A line item read again (the same identity_line_item_id, or
 * identity/LineItemId, and usage start, on a row that mentions Bedrock), in
 * the same file or in any file read before by the same reader, is dropped
 * and counted (cur_counts.duplicates): the first read counts. Rows without
 * such a column, or with an empty one, are never taken for repeats.
 *
 * Errors (the caller ends the run with exit 2 before any report is
 * replaced; the bill is then as it was before the file):
 *  - "PATH: a Parquet file, which --cur does not read: ..." (says how to
 *    export CSV), "PATH: a zip or tar archive ...", "PATH: empty file ...",
 *    "PATH: JSON (an invocation log, or an export's Manifest.json?), not a
 *    CUR export: ...", "PATH: no header row ...";
 *  - "PATH:LINE: missing CUR columns: A, B" (named as the file's dialect
 *    would), with a hint for a semicolon-separated file or a log;
 *  - on a Bedrock row: "PATH:LINE: COLUMN \"VALUE\" is not a decimal number"
 *    (or "is empty", "is too large", "has digits below 1e-18"), "PATH:LINE:
 *    COLUMN \"VALUE\" is not a date and time", "PATH:LINE: N fields, but the
 *    header has M", "PATH:LINE: the product cell is not a JSON object",
 *    "PATH:LINE: a usage row from START to END: this export's time
 *    granularity is MONTHLY, ..." (a Usage row of 28 days or more, when
 *    line_item_usage_end_date is there: a month cannot be compared by day);
 *  - "PATH:LINE: malformed CSV: ..." (csvrows.h);
 *  - "PATH:LINE: truncated gzip: ...", "PATH:LINE: corrupt gzip: ...", LINE
 *    being the line where the decompressed text stops;
 *  - "PATH: cannot open: ...", "PATH: read error: ...".
 * A row that is not Bedrock's and cannot be read (its field count differs
 * from the header's, or, for a Marketplace row, its product cell is not
 * JSON) is skipped and counted (cur_counts.malformed).
 *
 * Memory: a reader holds the inflater's buffers, each parser's CSV row and
 * the row being cut (bounded by the longest row, as csvrows.h is), and with
 * worker threads at most two 128 KiB batches of rows per worker; a file is
 * read into staging bills (bounded by its distinct keys) that are merged
 * into the caller's bill once the file has been read whole; and 21 to 43
 * bytes for each line item read that mentions Bedrock (to find repeats).
 * Speed: a row of another service costs a memchr and a word-wide scan;
 * a row that mentions Bedrock costs the CSV reader (libcsv, about 250 MB/s
 * a thread), which worker threads share out. A 1 GB CSV of which a fifth
 * of the rows are Bedrock's takes about 1.5 s at jobs 2 on the project's
 * machine, one of a twentieth 0.6 s, one of Bedrock rows only 6 s.
 * Ownership: the reader borrows the billing-name table, which must outlive
 * it; one thread at a time.
 *
 *	struct cur_reader *r = cur_reader_create(names, have_since ? &since : NULL, NULL, jobs);
 *	struct cur_bill *bill = cur_bill_create();
 *	for (each --cur FILE)
 *		if (cur_reader_read_file(r, bill, path, &d) != 0)
 *			... diag_print(NULL, "%s", diag_msg(&d)); exit 2 ...
 */
#ifndef LEDGER_CUR_H
#define LEDGER_CUR_H

#include <stddef.h>

#include "ledger/bill/billing_names.h"
#include "ledger/bill/cur_bill.h"
#include "ledger/support/csvrows.h"
#include "ledger/support/diag.h"
#include "ledger/read/source.h"
#include "ledger/support/timestamp.h"

struct cur_reader;

/*
 * A reader whose Usage rows count when since <= line_item_usage_start_date
 * < until (NULL: unbounded; both are copied). With jobs > 1 the rows that
 * mention Bedrock are read by that many worker threads (at most 8) besides
 * the caller's, which reads and cuts the text; the bill and every message
 * are the same for any jobs. Never NULL: OOM aborts.
 */
struct cur_reader *cur_reader_create(const struct billing_names *names, const struct ts *since,
				     const struct ts *until, int jobs);
void cur_reader_destroy(struct cur_reader *r); /* NULL is a no-op */

/*
 * Reads one CUR export from src (its stored bytes: plain or gzip) and adds
 * it to bill. `name` is the file's name in messages (borrowed for the call).
 * Returns 0, or -1 with *d set and bill unchanged.
 */
int cur_reader_read(struct cur_reader *r, struct cur_bill *bill, const char *name,
		    struct byte_source *src, struct diag *d);

/* cur_reader_read on a file; "PATH: cannot open: ..." when it cannot be opened. */
int cur_reader_read_file(struct cur_reader *r, struct cur_bill *bill, const char *path,
			 struct diag *d);

/*
 * A recogniser, for a table given to the wrong option or as a log: does this
 * CSV header row have a CUR's usage-type column (line_item_usage_type, or
 * lineItem/UsageType; any case)?
 */
bool cur_header_is(const struct csvrows_row *row);

/*
 * A file as cur_reader_read_file; a directory: every regular file below it
 * (recursively; symbolic links are not followed) whose name ends in .csv or
 * .csv.gz, in byte order of their paths (cur_dir.c). A directory without one
 * is an error ("PATH: a directory without a .csv or .csv.gz file ..."). On
 * -1 the files read before the one that failed stay in the bill.
 */
int cur_reader_read_path(struct cur_reader *r, struct cur_bill *bill, const char *path,
			 struct diag *d);

#endif
