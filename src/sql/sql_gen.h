/*
 * sql_gen.h - private to sql*.c: the script writer and the parts that the
 * dialects share.
 *
 * Text written through sqlw_put has two markers replaced by the dialect's
 * spelling: "@RE(" (a regular-expression match: regexp_matches / regexp_like)
 * and "@DIV" (integer division of BIGINTs: // / /).
 */
#ifndef LEDGER_SQL_GEN_H
#define LEDGER_SQL_GEN_H

#include <stddef.h>
#include <stdio.h>

#include "ledger/sql/sql.h"

struct sqlw {
	FILE *f;
	const struct sql_opts *o;
};

void sqlw_put(struct sqlw *w, const char *text);
void sqlw_printf(struct sqlw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A string literal: 'text' with ' doubled. */
void sqlw_lit(struct sqlw *w, const char *s, size_t n);
void sqlw_cstr(struct sqlw *w, const char *s);		      /* NULL: the literal NULL */
void sqlw_lit2(struct sqlw *w, const char *a, const char *b); /* the literal of a then b */
/* path with one '/' at its end, malloc'ed. */
char *sql_dir(const char *path);

/* A local directory as an absolute path (the script runs from anywhere), ending in '/', malloc'ed.
 */
char *sql_local_dir(const char *path);
/*
 * LOCATION as the script names it, ending in '/', malloc'ed: for athena,
 * s3://bucket/prefix/AWSLogs/ is taken as s3://bucket/prefix/, which holds
 * it; for duckdb, the directory's absolute path.
 */
char *sql_location_dir(const struct sql_opts *o);

/*
 * Does LOCATION fit the dialect (athena: s3://bucket/prefix/, not below
 * AWSLogs/; duckdb: a local directory that exists), and, for duckdb, can -o
 * be made and written (it is made now)? 0, or the exit status with d set:
 * 2 for a usage error, 3 for a missing LOCATION or an unusable -o.
 */
int sql_check_paths(const struct sql_opts *o, struct diag *d);

/* An instant as nanoseconds since the epoch, a DECIMAL(38,0) expression. */
void sqlw_tsn(struct sqlw *w, struct ts t);
/* The same number as text. */
void sql_tsn_text(struct ts t, char out[48]);

/*
 * The comment block at the top of every script: what it computes, what SQL
 * cannot do as the binary does. `extra` adds dialect lines (each starting
 * "-- ").
 */
void sql_put_preamble(struct sqlw *w, const char *extra);

/*
 * The CTEs ledger_prices and ledger_manifest: the tables, inlined as VALUES
 * (duckdb) or as one JSON literal (athena).
 */
void sql_put_prices(struct sqlw *w);
void sql_put_manifest(struct sqlw *w);

/*
 * The query from ledger_fields (a relation the dialect defines first, in the
 * same WITH; its columns are listed in sql_query.c) to one row per counted record:
 * writes "ledger_t1 AS (...), ..., ledger_priced AS (...)" and then the final
 * SELECT of the record columns (no trailing semicolon).
 */
void sql_put_records_query(struct sqlw *w);

/* Which report; its key columns, counters and headers follow bedrock-ledger-formats(5), REPORTS. */
enum sql_report { SQL_APP_DAY, SQL_CALLER, SQL_UNRESOLVED, SQL_REPORTS };
extern const char *const sql_report_files[SQL_REPORTS];

/*
 * The SELECT of one report over the relation `from` (the records): one
 * column per report column, named as in the CSV header, text cells with the
 * formula guard of bedrock-ledger-formats(5), REPORTS applied, costs as text, sorted in byte order
 * of the key columns. With `as_lines`, a single column `line` instead: the CSV line as the binary
 * writes it (RFC 4180 quoting when needed), the header line first.
 */
void sql_put_report(struct sqlw *w, enum sql_report r, const char *from, bool as_lines);

/* The regions of the geography table, comma-separated (athena's region enum). */
void sql_put_regions(struct sqlw *w, const char *sep);

/*
 * The first and last hour folder (YYYY/MM/DD/HH) that can hold a record of
 * the window, with bedrock-ledger-formats(5), WHAT IS READ's slack; "" for an open end.
 */
void sql_hour_bounds(const struct sql_opts *o, char lo[14], char hi[14]);

/* A condition: y-m-d (BIGINT expressions) is a date of the calendar. */
void sql_put_date_ok(struct sqlw *w, const char *y, const char *m, const char *d);

/* The dialects: their lines of the preamble, and the rest of the script for LOCATION loc (ends in
 * '/'). */
extern const char sql_duckdb_notes[], sql_athena_notes[];
void sql_put_duckdb(struct sqlw *w, const char *loc);
void sql_put_athena(struct sqlw *w, const char *loc);

#endif
