/*
 * sql_cli.c - `bedrock-ledger sql`: its options, the tables it inlines, the
 * script on stdout (SPEC §9).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/diag.h"
#include "ledger/run/pipeline.h"
#include "ledger/price/tables.h"
#include "ledger/sql/sql.h"
#include "ledger/support/xalloc.h"
#include "sql_gen.h"

static const char sql_usage[] =
    "Usage: bedrock-ledger sql [--dialect athena|duckdb] [OPTIONS] LOCATION\n"
    "Print one SQL script that computes app_day.csv, caller.csv and unresolved.csv\n"
    "with the ledger's rules, the manifests and the price table inlined.\n"
    "\n"
    "LOCATION is, for athena (the default), the s3://bucket/prefix/ that holds\n"
    "AWSLogs/ (or that AWSLogs/); for duckdb, a local directory of logs.\n"
    "\n"
    "Options:\n"
    "      --dialect D        athena (default) or duckdb\n"
    "  -o, --out DIR          duckdb: where the script writes the reports, made now\n"
    "                         (default ./ledger)\n"
    "  -m, --manifest FILE    tag manifest, as for a run; repeatable\n"
    "  -p, --prices FILE      price table CSV (default: the built-in table)\n"
    "      --since T          keep records with timestamp >= T\n"
    "      --until T          keep records with timestamp < T\n"
    "  -g, --group-by KEYS    grouping columns of app_day.csv (default app,team)\n"
    "      --callers MODE     arn (default) or principal\n"
    "  -h, --help             show this help and exit\n"
    "See bedrock-ledger(1), section SQL.\n";

enum { OPT_DIALECT = 1000, OPT_SINCE, OPT_UNTIL, OPT_CALLERS };

static const struct option sql_options[] = {
	{ "dialect", required_argument, NULL, OPT_DIALECT },
	{ "out", required_argument, NULL, 'o' },
	{ "manifest", required_argument, NULL, 'm' },
	{ "prices", required_argument, NULL, 'p' },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "group-by", required_argument, NULL, 'g' },
	{ "callers", required_argument, NULL, OPT_CALLERS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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

/* --since or --until: 0, or the exit status of the usage error. */
static int bound(const char *name, const char *arg, struct ts *t, bool *has)
{
	*has = true;
	if (ts_parse_bound(arg, t) == 0)
		return 0;
	return usage("%s: '%s' is not YYYY-MM-DD or an ISO-8601 time", name, arg);
}

/* Which of two words arg is: 0 or 1, or -1 for neither. */
static int one_of(const char *arg, const char *zero, const char *one)
{
	return strcmp(arg, zero) == 0 ? 0 : strcmp(arg, one) == 0 ? 1 : -1;
}

/* Parses argv into o; -1 when the options are complete, else the exit status. */
static int parse(int argc, char **argv, struct sql_opts *o, struct group_by *g,
		 const char **manifests, size_t *nmanifests, const char **prices)
{
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:m:p:g:h", sql_options, NULL)) != -1) {
		switch (c) {
		case OPT_DIALECT: {
			int d = one_of(optarg, "athena", "duckdb");
			if (d < 0)
				return usage("--dialect: '%s' is not athena or duckdb", optarg);
			o->dialect = d ? SQL_DUCKDB : SQL_ATHENA;
			break;
		}
		case 'o':
			if (!*optarg)
				return usage("--out: the directory name is empty");
			o->out_dir = optarg;
			break;
		case 'm':
			manifests[(*nmanifests)++] = optarg;
			break;
		case 'p':
			*prices = optarg;
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			if (bound(c == OPT_SINCE ? "--since" : "--until", optarg,
				  c == OPT_SINCE ? &o->since : &o->until,
				  c == OPT_SINCE ? &o->has_since : &o->has_until) != 0)
				return LEDGER_EXIT_USAGE;
			break;
		case 'g': {
			struct group_by n;
			struct diag d = DIAG_INIT;
			int rc = group_by_parse(&n, optarg, &d) == 0
				     ? 0
				     : usage("--group-by: %s", diag_msg(&d));
			diag_clear(&d);
			if (rc)
				return rc;
			group_by_finish(g); /* the last -g wins */
			*g = n;
			break;
		}
		case OPT_CALLERS: {
			int p = one_of(optarg, "arn", "principal");
			if (p < 0)
				return usage("--callers: '%s' is not arn or principal", optarg);
			o->callers_principal = p == 1;
			break;
		}
		case 'h':
			fputs(sql_usage, stdout);
			return fflush(stdout) == 0 ? LEDGER_EXIT_OK : LEDGER_EXIT_IO;
		case ':':
		default: {
			char opt[3] = { '-', (char)optopt, '\0' };
			const char *name = optopt > ' ' && optopt < 127 ? opt : argv[optind - 1];
			return usage(c == ':' ? "%s: needs a value" : "%s: unknown option", name);
		}
		}
	}
	if (optind != argc - 1)
		return usage(optind >= argc ? "no LOCATION given" : "one LOCATION only");
	if (o->has_since && o->has_until && ts_cmp(o->since, o->until) >= 0)
		return usage("--since must be before --until");
	o->location = argv[optind];
	return -1;
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
static int load(struct manifest *m, const char **manifests, size_t n, struct price_table *p,
		const char *prices)
{
	return tables_load(p, prices, &m, manifests, n) == 0 ? -1 : LEDGER_EXIT_USAGE;
}

int sql_main(int argc, char **argv)
{
	struct sql_opts o = { .dialect = SQL_ATHENA, .out_dir = "ledger" };
	struct group_by g;
	struct diag d = DIAG_INIT;
	group_by_parse(&g, "app,team", &d); /* the default: cannot fail */
	const char **manifests = xcalloc((size_t)argc + 1, sizeof *manifests);
	size_t nmanifests = 0;
	const char *prices = NULL;
	struct manifest *m = manifest_create();
	struct price_table *p = prices_create();
	int status = parse(argc, argv, &o, &g, manifests, &nmanifests, &prices);
	if (status < 0)
		status = check_paths(&o);
	if (status < 0)
		status = load(m, manifests, nmanifests, p, prices);
	if (status < 0) {
		o.manifest = m;
		o.prices = p;
		o.group_by = &g;
		status = LEDGER_EXIT_OK;
		if (sql_write(stdout, &o, &d) != 0 || fflush(stdout) != 0) {
			diag_print("stdout", "%s", diag_has(&d) ? diag_msg(&d) : "write error");
			status = LEDGER_EXIT_IO;
		}
	}
	diag_clear(&d);
	manifest_destroy(m);
	prices_destroy(p);
	group_by_finish(&g);
	free(manifests);
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
