/*
 * sql_cli.c - `bedrock-ledger sql`: the tables it inlines, the script on
 * stdout (bedrock-ledger(1), SQL). Its options are parsed by options.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/diag.h"
#include "ledger/run/pipeline.h"
#include "ledger/sql/sql.h"
#include "sql_gen.h"

/* Loads the tables the script inlines; the exit status on failure, else -1. */
static int load(struct manifest *m, const char *const *manifests, size_t n, struct price_table *p,
		const char *prices)
{
	for (size_t i = 0; i < n; i++) {
		if (manifest_load_file(m, manifests[i]) != 0) {
			diag_print(NULL, "%s", manifest_error(m));
			return LEDGER_EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < manifest_warning_count(m); i++)
		diag_warn(NULL, "%s", manifest_warning(m, i));
	if ((prices ? prices_load_file(p, prices) : prices_load_builtin(p)) != 0) {
		diag_print(NULL, "%s", prices_error(p));
		return LEDGER_EXIT_USAGE;
	}
	for (size_t i = 0; i < prices_warning_count(p); i++)
		diag_warn(NULL, "%s", prices_warning(p, i));
	return -1;
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
	int status = load(m, settings->manifests, settings->nmanifests, p, settings->prices_path);
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
	char *loc = sql_dir(o->location);
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
