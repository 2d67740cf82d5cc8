/*
 * sql.h - bedrock-ledger(1), SQL: app_day.csv, caller.csv and unresolved.csv as one SQL
 * script, for Athena (Trino) or DuckDB.
 *
 * Pipeline: beside it, not in it. `bedrock-ledger sql` loads the manifests
 * and the price table as a run does (manifest.h, prices.h), and sql_write
 * prints a script that applies the rules of bedrock-ledger-formats(5), RECORDS;
 * bedrock-ledger-formats(5), ROUTES; bedrock-ledger-formats(5), PRICES to the logs at LOCATION: the
 * manifests and the prices are inlined as VALUES; the geographic prefixes, pools and route rules
 * are generated from modelid.h's tables, so that the SQL and the binary share one description of
 * them. The dialects differ only in how lines are read and reports written (sql_athena.c,
 * sql_duckdb.c); the query between is one text (sql_query.c, sql_report.c). Ownership: sql_write
 * borrows everything in its options.
 */
#ifndef LEDGER_SQL_H
#define LEDGER_SQL_H

#include <stdbool.h>
#include <stdio.h>

#include "ledger/run/pipeline.h"
#include "ledger/support/diag.h"
#include "ledger/views/fields.h"
#include "ledger/price/manifest.h"
#include "ledger/price/prices.h"
#include "ledger/support/timestamp.h"

enum sql_dialect { SQL_ATHENA, SQL_DUCKDB };

struct sql_opts {
	enum sql_dialect dialect;
	const char *location;		  /* athena: s3://bucket/prefix/; duckdb: a directory */
	const char *out_dir;		  /* duckdb: where COPY writes the reports */
	const struct manifest *manifest;  /* NULL: none */
	const struct price_table *prices; /* the table to inline */
	const struct group_by *group_by;  /* -g */
	bool has_since, has_until;
	struct ts since, until;
	bool callers_principal;
};

/*
 * Writes the script to out. Returns 0, or -1 with d set ("stdout: write
 * error" when out fails).
 */
int sql_write(FILE *out, const struct sql_opts *o, struct diag *d);

/*
 * The subcommand, with the settings options.c fixed from its command line:
 * settings->paths[0] is LOCATION; out_dir, the manifests, prices_path, the
 * window, group_by and callers_principal are read. Checks LOCATION and -o,
 * loads the manifests and the prices, prints the script; returns the exit
 * status (2 for a LOCATION that does not fit the dialect and unusable
 * manifests or price tables; 3 for a duckdb LOCATION that does not exist,
 * an -o that cannot be made or written, and a failing stdout).
 */
int sql_main(const struct ledger_opts *settings, enum sql_dialect dialect);

#endif
