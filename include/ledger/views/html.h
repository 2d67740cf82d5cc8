/*
 * html.h - report.html: one self-contained page with the run's reports as
 * panels of words, charts and tables (bedrock-ledger(1), REPORT.HTML).
 *
 * Pipeline: tally (merged), views, spikes, reconcile, summary totals ->
 * [html] -> report (the page is one file of the report set).
 * Every number on the page is read from the same in-memory tables the
 * CSVs are written from and printed by the same formatting (money rounded
 * half up to 6 decimals), so the page and the CSVs agree by construction.
 * The page has inline CSS and SVG only: no script, no font, image, style
 * sheet or request of any kind (its Content-Security-Policy forbids them),
 * and every value from the inputs goes through escape.h.
 * Ownership: borrows everything; writes to the caller's stream.
 */
#ifndef LEDGER_HTML_H
#define LEDGER_HTML_H

#include <stdio.h>

#include "ledger/views/layout.h"
#include "ledger/views/summary.h"

/* Writes the page; the stream's errors are the caller's to find (ferror). */
void html_write(FILE *fp, const struct summary *t, const struct layout_plan *plan,
		const struct tally *all);

#endif
