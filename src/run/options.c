/*
 * options.c - the table of options of both subcommands, and the parser,
 * the --help text and the suggestions made from it.
 */
#include "ledger/run/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ledger/read/inflate.h"
#include "ledger/support/diag.h"
#include "ledger/support/nearest.h"
#include "ledger/support/tz.h"
#include "ledger/support/xalloc.h"
#include "ledger/views/spikes.h"

/* What a setter returns to go on with the next option; else an exit status. */
#define NEXT (-1)

#define RUN  OPTIONS_RUN
#define SQL  OPTIONS_SQL
#define BOTH (OPTIONS_RUN | OPTIONS_SQL)
/* A flag beside the commands: the value is an input table file (or folder), which a walk
 * skips as is-an-option-file (bedrock-ledger(1), INPUTS). */
#define TABLE 0x100

struct option_row {
	const char *name;     /* the long name, without "--" */
	char short_name;      /* 0: none */
	const char *arg;      /* the value's name in --help; NULL: takes no value */
	unsigned flags;	      /* the enum options_command bits that take it; TABLE */
	const char *help;     /* --help text, lines separated by \n */
	const char *sql_help; /* sql --help text when it differs, else NULL */
	const char *hints;    /* words a user may type for this option: "tags tag" */
	int (*set)(struct options *o, const char *arg);
};

static int usage(const struct options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage(const struct options *o, const char *fmt, ...)
{
	bool sql = o->command == OPTIONS_SQL;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fputs(sql ? "bedrock-ledger: sql: " : "bedrock-ledger: ", stderr);
	diag_put_escaped(stderr, msg, strlen(msg));
	fprintf(stderr, "\nTry 'bedrock-ledger%s --help' for more information.\n",
		sql ? " sql" : "");
	return LEDGER_EXIT_USAGE;
}

static int flushed(void)
{
	return fflush(stdout) == 0 ? LEDGER_EXIT_OK : LEDGER_EXIT_IO;
}

static int set_out(struct options *o, const char *arg)
{
	if (!*arg)
		return usage(o, "--out: the directory name is empty");
	o->run.out_dir = arg;
	return NEXT;
}

static int set_manifest(struct options *o, const char *arg)
{
	o->manifest_list[o->run.nmanifests++] = arg;
	return NEXT;
}

static int set_prices(struct options *o, const char *arg)
{
	o->run.prices_path = arg;
	return NEXT;
}

static int print_prices(struct options *o, const char *arg)
{
	(void)o, (void)arg;
	size_t n;
	const char *csv = prices_builtin_csv(&n);
	fwrite(csv, 1, n, stdout);
	return flushed();
}

static int set_bound(struct options *o, const char *name, const char *arg, struct ts *t, bool *has)
{
	if (ts_parse_bound(arg, t) != 0)
		return usage(o, "--%s: '%s' is not YYYY-MM, YYYY-MM-DD or an ISO-8601 time", name,
			     arg);
	*has = true;
	return NEXT;
}

static int set_since(struct options *o, const char *arg)
{
	o->since_arg = arg;
	return set_bound(o, "since", arg, &o->run.since, &o->run.has_since);
}

static int set_until(struct options *o, const char *arg)
{
	o->until_arg = arg;
	return set_bound(o, "until", arg, &o->run.until, &o->run.has_until);
}

static int set_tz(struct options *o, const char *arg)
{
	o->tz_arg = arg;
	return NEXT;
}

/*
 * --tz: loads the zone, and reads --since/--until without an offset as
 * wall-clock times there (bedrock-ledger(1), OPTIONS). NEXT, or the exit
 * status of a usage error.
 */
static int load_zone(struct options *o)
{
	if (!o->tz_arg)
		return NEXT;
	struct diag d = DIAG_INIT;
	struct tz *z = tz_load(o->tz_arg, &d);
	int rc = z ? NEXT : usage(o, "--tz: %s", diag_msg(&d));
	diag_clear(&d);
	if (!z)
		return rc;
	o->run.tz = z;
	if (o->run.has_since && !ts_bound_has_zone(o->since_arg))
		o->run.since.sec = tz_utc_of_local(z, o->run.since.sec);
	if (o->run.has_until && !ts_bound_has_zone(o->until_arg))
		o->run.until.sec = tz_utc_of_local(z, o->run.until.sec);
	return NEXT;
}

static int set_group_by(struct options *o, const char *arg)
{
	struct group_by g;
	struct diag d = DIAG_INIT;
	int rc = group_by_parse(&g, arg, &d) == 0 ? NEXT : usage(o, "--group-by: %s", diag_msg(&d));
	diag_clear(&d);
	if (rc != NEXT)
		return rc;
	group_by_finish(&o->run.group_by); /* the last --group-by wins */
	o->run.group_by = g;
	o->run.group_by_given = true;
	return NEXT;
}

static int set_callers(struct options *o, const char *arg)
{
	if (strcmp(arg, "principal") != 0 && strcmp(arg, "arn") != 0)
		return usage(o, "--callers: '%s' is not arn or principal", arg);
	o->run.callers_principal = strcmp(arg, "principal") == 0;
	return NEXT;
}

static int set_cur(struct options *o, const char *arg)
{
	o->cur_list[o->run.ncur++] = arg;
	return NEXT;
}

static int set_billing_names(struct options *o, const char *arg)
{
	o->run.billing_names = arg;
	return NEXT;
}

static int set_ladder(struct options *o, const char *arg)
{
	o->run.ladder_path = arg;
	return NEXT;
}

static int set_no_html(struct options *o, const char *arg)
{
	(void)arg;
	o->run.no_html = true;
	return NEXT;
}

static int set_state(struct options *o, const char *arg)
{
	if (!*arg)
		return usage(o, "--state: the file name is empty");
	o->run.state_path = arg;
	return NEXT;
}

static int set_focus(struct options *o, const char *arg)
{
	(void)arg;
	o->run.focus = true;
	return NEXT;
}

static int set_focus_account(struct options *o, const char *arg)
{
	if (!*arg)
		return usage(o, "--focus-account: the account ID is empty");
	o->run.focus_account = arg;
	o->run.focus = true; /* an account is for focus.csv */
	return NEXT;
}

static int set_spike_usd(struct options *o, const char *arg)
{
	if (spike_parse_usd(arg, &o->run.spike_usd) != 0)
		return usage(
		    o, "--spike-usd: '%s' is not an amount in USD (a decimal such as 5 or 0.25)",
		    arg);
	return NEXT;
}

static int set_spike_by(struct options *o, const char *arg)
{
	static const char *const by[] = { "principal", "caller", "none" };
	size_t i = 0;
	while (i < 3 && strcmp(arg, by[i]) != 0)
		i++;
	if (i == 3)
		return usage(o, "--spike-by: '%s' is not principal, caller or none", arg);
	o->run.spike_by = (enum spike_by)i;
	return NEXT;
}

static int set_spike_factor(struct options *o, const char *arg)
{
	if (spike_parse_factor(arg, &o->run.spike_factor) != 0)
		return usage(o, "--spike-factor: '%s' is not a factor (a decimal such as 5 or 2.5)",
			     arg);
	return NEXT;
}

static int set_jobs(struct options *o, const char *arg)
{
	char *end;
	errno = 0;
	long j = strtol(arg, &end, 10);
	if (errno || *end || end == arg || j < 1 || j > 1024)
		return usage(o, "--jobs: '%s' is not a number from 1 to 1024", arg);
	o->run.jobs = (unsigned)j;
	return NEXT;
}

static int set_strict(struct options *o, const char *arg)
{
	(void)arg;
	o->run.strict = true;
	return NEXT;
}

static int set_hash(struct options *o, const char *arg)
{
	(void)arg;
	o->run.hash = true;
	return NEXT;
}

static int set_dedupe(struct options *o, const char *arg)
{
	(void)arg;
	o->run.dedupe = true;
	return NEXT;
}

static int set_budget(struct options *o, const char *arg)
{
	o->run.budget_path = arg;
	return NEXT;
}

static int set_format(struct options *o, const char *arg)
{
	if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
		return usage(o, "--format: '%s' is not text or json", arg);
	o->run.format_json = strcmp(arg, "json") == 0;
	return NEXT;
}

static int set_quiet(struct options *o, const char *arg)
{
	(void)arg;
	o->run.quiet = true;
	return NEXT;
}

static int set_dialect(struct options *o, const char *arg)
{
	if (strcmp(arg, "athena") != 0 && strcmp(arg, "duckdb") != 0)
		return usage(o, "--dialect: '%s' is not athena or duckdb", arg);
	o->dialect = strcmp(arg, "duckdb") == 0 ? SQL_DUCKDB : SQL_ATHENA;
	return NEXT;
}

static int print_help(struct options *o, const char *arg);

static int print_version(struct options *o, const char *arg)
{
	(void)o, (void)arg;
	printf("bedrock-ledger %s\n", LEDGER_VERSION);
	printf("inflate: %s\n", inflate_backend());
	struct price_table *t = prices_create();
	prices_load_builtin(t);
	printf("built-in prices: %zu rows, as of %s\n", prices_count(t), prices_builtin_date());
	prices_destroy(t);
	return flushed();
}

/* The options, in the order of --help. A new option is one row and a setter. */
static const struct option_row rows[] = {
	{ "dialect", 0, "D", SQL, "athena (default) or duckdb", NULL, "engine", set_dialect },
	{ "out", 'o', "DIR", BOTH, "write the reports into DIR (default ./ledger)",
	  "duckdb: where the script writes the reports, made now\n(default ./ledger)",
	  "output outdir output-dir dir directory", set_out },
	{ "manifest", 'm', "FILE", BOTH | TABLE,
	  "tag manifest: CSV, or the JSON of aws bedrock\n"
	  "list-inference-profiles / get-inference-profile or aws\n"
	  "resourcegroupstaggingapi get-resources; repeatable",
	  "tag manifest, as for a run; repeatable", "tags tag profiles", set_manifest },
	{ "prices", 'p', "FILE", BOTH | TABLE, "price table CSV (default: the built-in table)",
	  NULL, "price-table pricing rates", set_prices },
	{ "print-prices", 0, NULL, RUN, "print the built-in price table as CSV and exit", NULL,
	  "dump-prices show-prices", print_prices },
	{ "since", 0, "T", BOTH, "keep records with timestamp >= T", NULL, "from start after",
	  set_since },
	{ "until", 0, "T", BOTH,
	  "keep records with timestamp < T\n"
	  "(T: YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]\n"
	  "followed by Z, +hh:mm or nothing: UTC, or --tz's zone)",
	  NULL, "to end before", set_until },
	{ "tz", 0, "ZONE", RUN,
	  "days and hours of app_day.csv, residency.csv,\n"
	  "spikes.csv, coverage.csv and report.html in ZONE, an\n"
	  "IANA name (Europe/Berlin)",
	  NULL, "timezone time-zone zone", set_tz },
	{ "group-by", 'g', "KEYS", BOTH,
	  "grouping columns of app_day.csv, comma-separated\n"
	  "(default app,team): a manifest tag KEY or tag:KEY,\n"
	  "meta:KEY (requestMetadata), or field:NAME, NAME one of\n"
	  "account_id region inference_region caller principal\n"
	  "route operation tier pool",
	  "grouping columns of app_day.csv (default app,team)", "groupby group-by-tag keys",
	  set_group_by },
	{ "callers", 0, "MODE", BOTH,
	  "one caller in caller.csv is: arn (as logged, default)\n"
	  "or principal (assumed-role sessions folded into their\n"
	  "role)",
	  "arn (default) or principal", "caller", set_callers },
	{ "cur", 0, "PATH", RUN | TABLE,
	  "a Cost and Usage Report export (CSV or gzip CSV, CUR 2.0\n"
	  "or classic), or a folder of its part files, to reconcile\n"
	  "with: reconcile.csv (and reconcile_callers.csv when the\n"
	  "CUR names callers); repeatable",
	  NULL, "bill cost-and-usage reconcile", set_cur },
	{ "billing-names", 0, "FILE", RUN | TABLE, "more billing-name,model_id rows for --cur",
	  NULL, "billing-name", set_billing_names },
	{ "ladder", 0, "FILE", RUN | TABLE,
	  "more model families for whatif.csv (family,rank,model_id;\n"
	  "rank 1 the most capable); a family replaces the\n"
	  "built-in one of the same name",
	  NULL, "families model-ladder", set_ladder },
	{ "no-html", 0, NULL, RUN, "do not write report.html", NULL, "nohtml html", set_no_html },
	{ "state", 0, "FILE", RUN,
	  "keep what each object contributed in FILE (SQLite), so\n"
	  "that the next run reads only new or changed objects",
	  NULL, "state-file cache db database", set_state },
	{ "focus", 0, NULL, RUN, "also write focus.csv: app_day.csv's costs in FinOps\nFOCUS 1.2 columns",
	  NULL, "finops", set_focus },
	{ "focus-account", 0, "ID", RUN, "focus.csv's BillingAccountId (the payer); implies --focus",
	  NULL, "billing-account payer", set_focus_account },
	{ "spike-usd", 0, "X", RUN, "spikes.csv: an hour costs at least X USD (default 5)", NULL,
	  "spike", set_spike_usd },
	{ "spike-factor", 0, "F", RUN, "... and F times its key's median other hour (default 5)",
	  NULL, "factor", set_spike_factor },
	{ "spike-by", 0, "KEY", RUN,
	  "a key of spikes.csv is per principal (default), caller\n"
	  "(as logged) or none (-g values and model only)",
	  NULL, "spikes-by", set_spike_by },
	{ "jobs", 'j', "N", RUN, "worker threads (default: the number of online CPUs)", NULL,
	  "threads workers", set_jobs },
	{ "strict", 0, NULL, RUN,
	  "exit 1 if no record was counted, or any was rejected or\n"
	  "any input unreadable",
	  NULL, NULL, set_strict },
	{ "hash", 0, NULL, RUN, "the SHA-256 of every object read, in sources.csv", NULL,
	  "sha256 sha checksum digest", set_hash },
	{ "budget", 0, "FILE", RUN | TABLE,
	  "spending limits (CSV: -g columns, max_usd, per day|run);\nthose exceeded go to"
	  " budgets.csv, and the exit status is 4",
	  NULL, "budgets limit limits", set_budget },
	{ "dedupe", 0, NULL, RUN,
	  "do not count a record whose requestId was counted before\n(listed in rejects.csv as"
	  " duplicate)",
	  NULL, "dedup deduplicate duplicates", set_dedupe },
	{ "format", 0, "FMT", RUN, "the summary on stdout as text (default) or json", NULL,
	  "json output-format", set_format },
	{ "quiet", 'q', NULL, RUN, "no summary, no progress and no warnings", NULL, "silent",
	  set_quiet },
	{ "help", 'h', NULL, BOTH, "show this help and exit", NULL, "usage", print_help },
	{ "version", 0, NULL, RUN, "show the version, inflate backend and price table date", NULL,
	  NULL, print_version },
};

#define NROWS (sizeof rows / sizeof rows[0])
/* getopt_long's val of a long option: its row, above every short option character. */
#define LONG_VAL 256

/* The text of --help around the options, per subcommand. */
static const char run_head[] =
    "Usage: bedrock-ledger [OPTIONS] PATH...\n"
    "       bedrock-ledger sql [--dialect athena|duckdb] [OPTIONS] LOCATION\n"
    "       bedrock-ledger verify DIR\n"
    "Totals of Amazon Bedrock model-invocation logs, by app, team, caller, model and day.\n"
    "\n"
    "PATH is a directory (walked recursively), a log file (.json.gz, .json, NDJSON;\n"
    "gzip or plain), an archive of such files (tar, tar.gz, tar.bz2, tar.xz, tar.zst,\n"
    "zip), or - for standard input.\n";
static const char run_tail[] =
    "Reports (in DIR): app_day.csv caller.csv unresolved.csv residency.csv spikes.csv\n"
    "whatif.csv cache.csv coverage.csv sources.csv rejects.csv summary.json run.json,\n"
    "reconcile.csv with --cur, budgets.csv with --budget, and report.html (one page\n"
    "with all of them)\n"
    "bedrock-ledger verify DIR: re-hashes the reports and inputs run.json lists\n"
    "Exit status: 0 reports written; 1 written, but --strict and nothing counted or\n"
    "something rejected or unreadable; 2 usage error or unusable manifest, price\n"
    "table, billing-name table or CUR file, or such a table given as a PATH;\n"
    "3 an input path does not exist or a report could not be written;\n"
    "4 reports written, but a --budget limit was exceeded.\n"
    "See bedrock-ledger(1) for the details.\n";
static const char sql_head[] =
    "Usage: bedrock-ledger sql [--dialect athena|duckdb] [OPTIONS] LOCATION\n"
    "Print one SQL script that computes app_day.csv, caller.csv and unresolved.csv\n"
    "with the ledger's rules, the manifests and the price table inlined.\n"
    "\n"
    "LOCATION is, for athena (the default), the s3://bucket/prefix/ that holds\n"
    "AWSLogs/ (or that AWSLogs/); for duckdb, a local directory of logs.\n";
static const char sql_tail[] = "See bedrock-ledger(1), section SQL.\n";

/* The column where the help text of an option starts. */
#define HELP_COLUMN 25

static void put_row_help(const struct option_row *r, bool sql)
{
	char head[64];
	int n = snprintf(head, sizeof head, "  %c%c%c --%s%s%s", r->short_name ? '-' : ' ',
			 r->short_name ? r->short_name : ' ', r->short_name ? ',' : ' ', r->name,
			 r->arg ? " " : "", r->arg ? r->arg : "");
	fputs(head, stdout);
	int pad = n < HELP_COLUMN - 2 ? HELP_COLUMN - n : 2;
	const char *text = sql && r->sql_help ? r->sql_help : r->help;
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		printf("%*s%.*s\n", pad, "", (int)len, line);
		line += len + (line[len] == '\n');
		pad = HELP_COLUMN;
	}
}

static int print_help(struct options *o, const char *arg)
{
	(void)arg;
	bool sql = o->command == OPTIONS_SQL;
	fputs(sql ? sql_head : run_head, stdout);
	fputs("\nOptions:\n", stdout);
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].flags & o->command)
			put_row_help(&rows[i], sql);
	fputs(sql ? "" : "\n", stdout);
	fputs(sql ? sql_tail : run_tail, stdout);
	return flushed();
}

/* getopt_long's tables for one subcommand, made from rows. */
struct getopt_tables {
	struct option longs[NROWS + 1];
	char shorts[2 * NROWS + 2];
};

static void make_tables(enum options_command command, struct getopt_tables *t)
{
	size_t nl = 0, ns = 0;
	t->shorts[ns++] = ':'; /* a missing value is ':', not '?' */
	for (size_t i = 0; i < NROWS; i++) {
		const struct option_row *r = &rows[i];
		if (!(r->flags & command))
			continue;
		t->longs[nl++] = (struct option){ r->name, r->arg ? required_argument : no_argument,
						  NULL, LONG_VAL + (int)i };
		if (r->short_name) {
			t->shorts[ns++] = r->short_name;
			if (r->arg)
				t->shorts[ns++] = ':';
		}
	}
	t->longs[nl] = (struct option){ NULL, 0, NULL, 0 };
	t->shorts[ns] = '\0';
}

/* The row of getopt_long's answer c (a short option character or a long val). */
static const struct option_row *row_of(int c)
{
	if (c >= LONG_VAL && c < LONG_VAL + (int)NROWS)
		return &rows[c - LONG_VAL];
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].short_name && rows[i].short_name == c)
			return &rows[i];
	return NULL;
}

void options_spell(const char *name, char *out, size_t cap)
{
	for (size_t i = 0; i < NROWS; i++) {
		if (strcmp(rows[i].name, name) != 0)
			continue;
		if (rows[i].short_name)
			snprintf(out, cap, "-%c/--%s", rows[i].short_name, name);
		else
			snprintf(out, cap, "--%s", name);
		return;
	}
	snprintf(out, cap, "--%s", name);
}

/* Whether word is one of the space-separated words of list. */
static bool is_hint(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && memcmp(p, word, n) == 0)
			return true;
		p += len + (p[len] == ' ');
	}
	return false;
}

const char *options_closest(enum options_command command, const char *word)
{
	const char *prefix = NULL; /* "manifests", "output": the longest option they begin with */
	struct nearest near;
	nearest_init(&near, word);
	for (size_t i = 0; i < NROWS; i++) {
		const struct option_row *r = &rows[i];
		if (!(r->flags & command))
			continue;
		if (is_hint(r->hints, word))
			return r->name;
		size_t n = strlen(r->name);
		if (strncmp(word, r->name, n) == 0 && (!prefix || n > strlen(prefix)))
			prefix = r->name;
		nearest_offer(&near, r->name);
	}
	return prefix ? prefix : near.best;
}

/* The usage error of an unknown long option, typed as arg ("--manifests=x"). */
static int unknown_long(const struct options *o, const char *arg)
{
	char word[64], list[256] = "";
	snprintf(word, sizeof word, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
	size_t n = strlen(word), matches = 0, used = 0;
	for (size_t i = 0; i < NROWS; i++) {
		const struct option_row *r = &rows[i];
		if (r->flags & o->command && strncmp(r->name, word, n) == 0 && used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s--%s",
						 matches++ ? ", " : "", r->name);
		else if (strcmp(r->name, word) == 0)
			return usage(o,
				     o->command == OPTIONS_SQL
					 ? "--%s: not an option of bedrock-ledger sql"
					 : "--%s: an option of bedrock-ledger sql only",
				     word);
	}
	if (matches > 1 && n > 0)
		return usage(o, "--%s: ambiguous option (%s): give more of its name", word, list);
	const char *near = options_closest(o->command, word);
	if (near)
		return usage(o, "--%s: unknown option; did you mean --%s?", word, near);
	return usage(o, "--%s: unknown option", word);
}

/* The usage error of getopt_long's answer c ('?' or ':') for the option at argv[optind - 1]. */
static int option_error(const struct options *o, int c, char *const *argv)
{
	const char *typed = argv[optind - 1];
	const struct option_row *r = row_of(optopt);
	bool is_long = strncmp(typed, "--", 2) == 0;
	if (c == ':' && r)
		return is_long ? usage(o, "--%s: needs a value", r->name)
			       : usage(o, "-%c: needs a value", r->short_name);
	if (r && optopt >= LONG_VAL)
		return usage(o, "--%s: takes no value", r->name);
	if (optopt == 0 && is_long)
		return unknown_long(o, typed);
	if (optopt > ' ' && optopt < 127)
		return usage(o, "-%c: unknown option", optopt);
	return usage(o, "%s: unknown option", typed);
}

/* Reads the options of argv; -1 when all were set, else the exit status. */
static int read_options(struct options *o, int argc, char **argv)
{
	struct getopt_tables t;
	make_tables(o->command, &t);
	int c;
	opterr = 0; /* our own messages, in our own format */
	optind = 0; /* 0, not 1: glibc starts afresh (the unit tests parse more than once) */
	while ((c = getopt_long(argc, argv, t.shorts, t.longs, NULL)) != -1) {
		const struct option_row *r = c == '?' || c == ':' ? NULL : row_of(c);
		int rc = r ? r->set(o, optarg) : option_error(o, c, argv);
		if (rc != NEXT)
			return rc;
		if (r->flags & TABLE)
			o->table_list[o->run.ntables++] = optarg;
	}
	return NEXT;
}

/* The defaults of a run, before any option. */
static void set_defaults(struct options *o, int argc)
{
	memset(o, 0, sizeof *o);
	o->run.out_dir = "ledger";
	o->dialect = SQL_ATHENA;
	struct diag d = DIAG_INIT;
	group_by_parse(&o->run.group_by, "app,team", &d); /* the default: cannot fail */
	spike_parse_usd("5", &o->run.spike_usd);
	spike_parse_factor("5", &o->run.spike_factor);
	/* a tuning knob for tests and huge runs, not an option users need */
	const char *cells = getenv("BEDROCK_LEDGER_CELLS");
	o->run.tally_cells = cells ? (size_t)strtoull(cells, NULL, 10) : 0;
	const char *batch = getenv("BEDROCK_LEDGER_STATE_BATCH"); /* for the kill tests */
	o->run.state_batch = batch ? (size_t)strtoull(batch, NULL, 10) : 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->run.jobs = cpus > 0 ? (unsigned)cpus : 1;
	o->manifest_list = xcalloc((size_t)argc + 1, sizeof *o->manifest_list);
	o->cur_list = xcalloc((size_t)argc + 1, sizeof *o->cur_list);
	o->table_list = xcalloc((size_t)argc + 1, sizeof *o->table_list);
	o->run.manifests = o->manifest_list;
	o->run.cur = o->cur_list;
	o->run.tables = o->table_list;
}

int options_parse(struct options *o, int argc, char **argv)
{
	set_defaults(o, argc);
	o->command = argc > 1 && strcmp(argv[1], "sql") == 0 ? OPTIONS_SQL : OPTIONS_RUN;
	if (o->command == OPTIONS_SQL)
		argc--, argv++;
	/* run.json records the arguments as given: getopt reorders argv */
	o->arg_list = xcalloc((size_t)argc, sizeof *o->arg_list);
	memcpy(o->arg_list, argv + 1, (size_t)(argc - 1) * sizeof *o->arg_list);
	o->run.args = o->arg_list;
	o->run.nargs = (size_t)(argc - 1);
	int rc = read_options(o, argc, argv);
	if (rc != NEXT)
		return rc;
	if (o->command == OPTIONS_SQL && optind != argc - 1)
		return usage(o, optind >= argc ? "no LOCATION given" : "one LOCATION only");
	if (optind >= argc)
		return usage(o, "no PATH given: name a directory, a log file, an archive or -");
	if ((rc = load_zone(o)) != NEXT)
		return rc;
	/* a duplicate is known only once every object's requestIds are read */
	if ((o->run.dedupe || o->run.hash) && o->run.state_path)
		return usage(o, "%s needs every object read: run it without --state",
			     o->run.dedupe ? "--dedupe" : "--hash");
	/* FOCUS periods are UTC days; app_day.csv's are local with --tz */
	if (o->run.focus && o->run.tz)
		return usage(o, "--focus writes UTC days (FOCUS periods are UTC): run it without --tz");
	if (o->run.has_since && o->run.has_until && ts_cmp(o->run.since, o->run.until) >= 0)
		return usage(o, "--since must be before --until");
	o->run.paths = (const char *const *)argv + optind;
	o->run.npaths = (size_t)(argc - optind);
	o->run.progress = !o->run.quiet && isatty(STDERR_FILENO);
	return NEXT;
}

void options_finish(struct options *o)
{
	group_by_finish(&o->run.group_by);
	tz_free((struct tz *)o->run.tz);
	o->run.tz = NULL;
	free(o->manifest_list);
	free(o->cur_list);
	free(o->table_list);
	free(o->arg_list);
	o->manifest_list = o->cur_list = o->table_list = o->arg_list = NULL;
}
