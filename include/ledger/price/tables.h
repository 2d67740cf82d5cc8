/*
 * tables.h - the tables a run or a script reads before any log: the price
 * table and the tag manifests, loaded in one way for both subcommands.
 *
 * Pipeline: options -> [tables] -> the run (pipeline.c) or the script (sql).
 * Problems go to stderr in the form bedrock-ledger(1), OPTIONS describes: a
 * table that cannot be used ends the run with exit 2 (the caller's);
 * warnings about a table (a profile ARN that can never match, a Region the
 * geography table does not know) are printed and the run goes on.
 */
#ifndef LEDGER_TABLES_H
#define LEDGER_TABLES_H

#include <stddef.h>

#include "ledger/price/manifest.h"
#include "ledger/price/prices.h"

/*
 * Loads the price table into p (prices_path, or the built-in table when it
 * is NULL), then the n manifests in order into *m (created when n > 0 and
 * *m is NULL; a later file wins). Returns 0, or -1 once the first problem
 * is printed.
 */
int tables_load(struct price_table *p, const char *prices_path, struct manifest **m,
		const char *const *manifests, size_t n);

#endif
