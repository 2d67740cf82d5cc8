/*
 * sql_cli.c - `bedrock-ledger sql`: its LOCATION and -o checked, the tables
 * it inlines, the script on stdout (bedrock-ledger(1), SQL). Its options are
 * parsed by options.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/diag.h"
#include "ledger/run/pipeline.h"
#include "ledger/price/tables.h"
#include "ledger/sql/sql.h"
#include "sql_gen.h"

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bedrock-ledger: sql: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'bedrock-ledger sql --help' for more information.\n", stderr);
	va_end(ap);
	return LEDGER_EXIT_USAGE;
}

/* LOCATION and -o, checked before the tables are loaded; -1 when fine, else the exit status. */
static int check_paths(const struct sql_opts *o)
{
	struct diag d = DIAG_INIT;
	int rc = sql_check_paths(o, &d);
	if (rc == LEDGER_EXIT_USAGE)
		usage("%s", diag_msg(&d));
	else if (rc)
		diag_print(NULL, "%s", diag_msg(&d));
	diag_clear(&d);
	return rc ? rc : -1;
}

/* Loads the tables the script inlines; the exit status on failure, else -1. */
static int load(struct manifest *m, const char *const *manifests, size_t n, struct price_table *p,
		const char *prices)
{
	return tables_load(p, prices, &m, manifests, n) == 0 ? -1 : LEDGER_EXIT_USAGE;
}

int sql_main(const struct ledger_opts *settings, enum sql_dialect dialect)
{
	struct sql_opts o = {
		.dialect = dialect,
		.location = settings->paths[0],
		.out_dir = settings->out_dir,
		.has_since = settings->has_since,
		.has_until = settings->has_until,
		.since = settings->since,
		.until = settings->until,
		.callers_principal = settings->callers_principal,
	};
	struct diag d = DIAG_INIT;
	struct manifest *m = manifest_create();
	struct price_table *p = prices_create();
	int status = check_paths(&o);
	if (status < 0)
		status =
		    load(m, settings->manifests, settings->nmanifests, p, settings->prices_path);
	if (status < 0) {
		o.manifest = m;
		o.prices = p;
		o.group_by = &settings->group_by;
		status = LEDGER_EXIT_OK;
		if (sql_write(stdout, &o, &d) != 0 || fflush(stdout) != 0) {
			diag_print("stdout", "%s", diag_has(&d) ? diag_msg(&d) : "write error");
			status = LEDGER_EXIT_IO;
		}
	}
	diag_clear(&d);
	manifest_destroy(m);
	prices_destroy(p);
	return status;
}

int sql_write(FILE *out, const struct sql_opts *o, struct diag *d)
{
	struct sqlw w = { out, o };
	char *loc = sql_location_dir(o);
	bool duck = o->dialect == SQL_DUCKDB;
	sql_put_preamble(&w, duck ? sql_duckdb_notes : sql_athena_notes);
	if (duck)
		sql_put_duckdb(&w, loc);
	else
		sql_put_athena(&w, loc);
	free(loc);
	if (ferror(out))
		return diag_set(d, "write error");
	return 0;
}
