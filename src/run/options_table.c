/*
 * options_table.c - the options of both subcommands: one row each, in the
 * order of --help, and the setter that stores its value in struct options
 * (bedrock-ledger(1), OPTIONS). A new option is one row and a setter.
 */
#include "ledger/run/options_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ledger/read/inflate.h"
#include "ledger/support/diag.h"
#include "ledger/views/spikes.h"

#define RUN  OPTIONS_RUN
#define SQL  OPTIONS_SQL
#define BOTH (OPTIONS_RUN | OPTIONS_SQL)

static int set_out(struct options *o, const char *arg)
{
	if (!*arg)
		return options_usage(o, "--out: the directory name is empty");
	o->run.out_dir = arg;
	return OPTIONS_NEXT;
}

static int set_manifest(struct options *o, const char *arg)
{
	o->manifest_list[o->run.nmanifests++] = arg;
	return OPTIONS_NEXT;
}

static int set_prices(struct options *o, const char *arg)
{
	o->run.prices_path = arg;
	return OPTIONS_NEXT;
}

static int print_prices(struct options *o, const char *arg)
{
	(void)o, (void)arg;
	size_t n;
	const char *csv = prices_builtin_csv(&n);
	fwrite(csv, 1, n, stdout);
	return options_flushed();
}

static int set_bound(struct options *o, const char *name, const char *arg, struct ts *t, bool *has)
{
	if (ts_parse_bound(arg, t) != 0)
		return options_usage(o, "--%s: '%s' is not YYYY-MM, YYYY-MM-DD or an ISO-8601 time",
				     name, arg);
	*has = true;
	return OPTIONS_NEXT;
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
	return OPTIONS_NEXT;
}

static int set_group_by(struct options *o, const char *arg)
{
	struct group_by g;
	struct diag d = DIAG_INIT;
	int rc = group_by_parse(&g, arg, &d) == 0
		     ? OPTIONS_NEXT
		     : options_usage(o, "--group-by: %s", diag_msg(&d));
	diag_clear(&d);
	if (rc != OPTIONS_NEXT)
		return rc;
	group_by_finish(&o->run.group_by); /* the last --group-by wins */
	o->run.group_by = g;
	o->run.group_by_given = true;
	return OPTIONS_NEXT;
}

static int set_callers(struct options *o, const char *arg)
{
	if (strcmp(arg, "principal") != 0 && strcmp(arg, "arn") != 0)
		return options_usage(o, "--callers: '%s' is not arn or principal", arg);
	o->run.callers_principal = strcmp(arg, "principal") == 0;
	return OPTIONS_NEXT;
}

static int set_cur(struct options *o, const char *arg)
{
	o->cur_list[o->run.ncur++] = arg;
	return OPTIONS_NEXT;
}

static int set_billing_names(struct options *o, const char *arg)
{
	o->run.billing_names = arg;
	return OPTIONS_NEXT;
}

static int set_ladder(struct options *o, const char *arg)
{
	o->run.ladder_path = arg;
	return OPTIONS_NEXT;
}

static int set_no_html(struct options *o, const char *arg)
{
	(void)arg;
	o->run.no_html = true;
	return OPTIONS_NEXT;
}

static int set_state(struct options *o, const char *arg)
{
	if (!*arg)
		return options_usage(o, "--state: the file name is empty");
	o->run.state_path = arg;
	return OPTIONS_NEXT;
}

static int set_focus(struct options *o, const char *arg)
{
	(void)arg;
	o->run.focus = true;
	return OPTIONS_NEXT;
}

static int set_focus_account(struct options *o, const char *arg)
{
	if (!*arg)
		return options_usage(o, "--focus-account: the account ID is empty");
	o->run.focus_account = arg;
	o->run.focus = true; /* an account is for focus.csv */
	return OPTIONS_NEXT;
}

static int set_spike_usd(struct options *o, const char *arg)
{
	if (spike_parse_usd(arg, &o->run.spike_usd) != 0)
		return options_usage(
		    o, "--spike-usd: '%s' is not an amount in USD (a decimal such as 5 or 0.25)",
		    arg);
	return OPTIONS_NEXT;
}

static int set_spike_by(struct options *o, const char *arg)
{
	static const char *const by[] = { "principal", "caller", "none" };
	size_t i = 0;
	while (i < 3 && strcmp(arg, by[i]) != 0)
		i++;
	if (i == 3)
		return options_usage(o, "--spike-by: '%s' is not principal, caller or none", arg);
	o->run.spike_by = (enum spike_by)i;
	return OPTIONS_NEXT;
}

static int set_spike_factor(struct options *o, const char *arg)
{
	if (spike_parse_factor(arg, &o->run.spike_factor) != 0)
		return options_usage(
		    o, "--spike-factor: '%s' is not a factor (a decimal such as 5 or 2.5)", arg);
	return OPTIONS_NEXT;
}

static int set_jobs(struct options *o, const char *arg)
{
	char *end;
	errno = 0;
	long j = strtol(arg, &end, 10);
	if (errno || *end || end == arg || j < 1 || j > 1024)
		return options_usage(o, "--jobs: '%s' is not a number from 1 to 1024", arg);
	o->run.jobs = (unsigned)j;
	return OPTIONS_NEXT;
}

static int set_strict(struct options *o, const char *arg)
{
	(void)arg;
	o->run.strict = true;
	return OPTIONS_NEXT;
}

static int set_hash(struct options *o, const char *arg)
{
	(void)arg;
	o->run.hash = true;
	return OPTIONS_NEXT;
}

static int set_dedupe(struct options *o, const char *arg)
{
	(void)arg;
	o->run.dedupe = true;
	return OPTIONS_NEXT;
}

static int set_budget(struct options *o, const char *arg)
{
	o->run.budget_path = arg;
	return OPTIONS_NEXT;
}

static int set_format(struct options *o, const char *arg)
{
	if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
		return options_usage(o, "--format: '%s' is not text or json", arg);
	o->run.format_json = strcmp(arg, "json") == 0;
	return OPTIONS_NEXT;
}

static int set_quiet(struct options *o, const char *arg)
{
	(void)arg;
	o->run.quiet = true;
	return OPTIONS_NEXT;
}

static int set_dialect(struct options *o, const char *arg)
{
	if (strcmp(arg, "athena") != 0 && strcmp(arg, "duckdb") != 0)
		return options_usage(o, "--dialect: '%s' is not athena or duckdb", arg);
	o->dialect = strcmp(arg, "duckdb") == 0 ? SQL_DUCKDB : SQL_ATHENA;
	return OPTIONS_NEXT;
}

static int print_version(struct options *o, const char *arg)
{
	(void)o, (void)arg;
	printf("bedrock-ledger %s\n", LEDGER_VERSION);
	printf("inflate: %s\n", inflate_backend());
	struct price_table *t = prices_create();
	prices_load_builtin(t);
	printf("built-in prices: %zu rows, as of %s\n", prices_count(t), prices_builtin_date());
	prices_destroy(t);
	return options_flushed();
}

/* The options, in the order of --help. A new option is one row and a setter. */
const struct option_row options_rows[] = {
	{ "dialect", 0, "D", SQL, "athena (default) or duckdb", NULL, "engine", set_dialect },
	{ "out", 'o', "DIR", BOTH, "write the reports into DIR (default ./ledger)",
	  "duckdb: where the script writes the reports, made now\n(default ./ledger)",
	  "output outdir output-dir dir directory", set_out },
	{ "manifest", 'm', "FILE", BOTH | OPTIONS_TABLE,
	  "tag manifest: CSV, or the JSON of aws bedrock\n"
	  "list-inference-profiles / get-inference-profile or aws\n"
	  "resourcegroupstaggingapi get-resources; repeatable",
	  "tag manifest, as for a run; repeatable", "tags tag profiles", set_manifest },
	{ "prices", 'p', "FILE", BOTH | OPTIONS_TABLE,
	  "price table CSV (default: the built-in table)", NULL, "price-table pricing rates",
	  set_prices },
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
	{ "cur", 0, "PATH", RUN | OPTIONS_TABLE,
	  "a Cost and Usage Report export (CSV or gzip CSV, CUR 2.0\n"
	  "or classic), or a folder of its part files, to reconcile\n"
	  "with: reconcile.csv (and reconcile_callers.csv when the\n"
	  "CUR names callers); repeatable",
	  NULL, "bill cost-and-usage reconcile", set_cur },
	{ "billing-names", 0, "FILE", RUN | OPTIONS_TABLE,
	  "more billing-name,model_id rows for --cur", NULL, "billing-name", set_billing_names },
	{ "ladder", 0, "FILE", RUN | OPTIONS_TABLE,
	  "more model families for whatif.csv (family,rank,model_id;\n"
	  "rank 1 the most capable); a family replaces the\n"
	  "built-in one of the same name",
	  NULL, "families model-ladder", set_ladder },
	{ "no-html", 0, NULL, RUN, "do not write report.html", NULL, "nohtml html", set_no_html },
	{ "state", 0, "FILE", RUN,
	  "keep what each object contributed in FILE (SQLite), so\n"
	  "that the next run reads only new or changed objects",
	  NULL, "state-file cache db database", set_state },
	{ "focus", 0, NULL, RUN,
	  "also write focus.csv: app_day.csv's costs in FinOps\nFOCUS 1.2 columns", NULL, "finops",
	  set_focus },
	{ "focus-account", 0, "ID", RUN,
	  "focus.csv's BillingAccountId (the payer); implies --focus", NULL,
	  "billing-account payer", set_focus_account },
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
	{ "budget", 0, "FILE", RUN | OPTIONS_TABLE,
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
	{ "help", 'h', NULL, BOTH, "show this help and exit", NULL, "usage", options_print_help },
	{ "version", 0, NULL, RUN, "show the version, inflate backend and price table date", NULL,
	  NULL, print_version },
};

const size_t options_nrows = sizeof options_rows / sizeof options_rows[0];
_Static_assert(sizeof options_rows / sizeof options_rows[0] <= OPTIONS_MAX_ROWS,
	       "options.c's getopt_long tables hold OPTIONS_MAX_ROWS rows");
