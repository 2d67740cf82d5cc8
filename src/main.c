/*
 * main.c - argv -> const struct ledger_opts; run; map the result to an exit
 * status.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ledger/support/diag.h"
#include "ledger/read/inflate.h"
#include "ledger/run/pipeline.h"
#include "ledger/run/verify.h"
#include "ledger/price/prices.h"
#include "ledger/views/spikes.h"
#include "ledger/sql/sql.h"
#include "ledger/support/xalloc.h"

static const char usage_text[] =
    "Usage: bedrock-ledger [OPTIONS] PATH...\n"
    "       bedrock-ledger sql [--dialect athena|duckdb] [OPTIONS] LOCATION\n"
    "       bedrock-ledger verify DIR\n"
    "Totals of Amazon Bedrock model-invocation logs, by app, team, caller, model and day.\n"
    "\n"
    "PATH is a directory (walked recursively), a log file (.json.gz, .json, NDJSON;\n"
    "gzip or plain), an archive of such files (tar, tar.gz, tar.bz2, tar.xz, tar.zst,\n"
    "zip), or - for standard input.\n"
    "\n"
    "Options:\n"
    "  -o, --out DIR          write the reports into DIR (default ./ledger)\n"
    "  -m, --manifest FILE    tag manifest: CSV, or the JSON of aws bedrock\n"
    "                         list-inference-profiles / get-inference-profile or aws\n"
    "                         resourcegroupstaggingapi get-resources; repeatable\n"
    "  -p, --prices FILE      price table CSV (default: the built-in table)\n"
    "      --print-prices     print the built-in price table as CSV and exit\n"
    "      --since T          keep records with timestamp >= T\n"
    "      --until T          keep records with timestamp < T\n"
    "                         (T: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm])\n"
    "  -g, --group-by KEYS    grouping columns of app_day.csv, comma-separated\n"
    "                         (default app,team): a manifest tag KEY or tag:KEY,\n"
    "                         meta:KEY (requestMetadata), or field:NAME, NAME one of\n"
    "                         account_id region inference_region caller principal\n"
    "                         route operation tier pool\n"
    "      --callers MODE     one caller in caller.csv and spikes.csv is: arn (as\n"
    "                         logged, default) or principal (assumed-role sessions\n"
    "                         folded into their role)\n"
    "      --cur FILE         a Cost and Usage Report export (CSV or gzip CSV, CUR 2.0\n"
    "                         or classic) to reconcile with: reconcile.csv; repeatable\n"
    "      --billing-names FILE  more billing-name,model_id rows for --cur\n"
    "      --ladder FILE      more model families for whatif.csv (family,rank,model_id;\n"
    "                         rank 1 the most capable); a family replaces the\n"
    "                         built-in one of the same name\n"
    "      --no-html          do not write report.html\n"
    "      --spike-usd X      spikes.csv: an hour costs at least X USD (default 5)\n"
    "      --spike-factor F   ... and F times its key's median other hour (default 5)\n"
    "  -j, --jobs N           worker threads (default: the number of online CPUs)\n"
    "      --strict           exit 1 if any record was rejected or any input unreadable\n"
    "      --hash             the SHA-256 of every object read, in sources.csv\n"
    "      --budget FILE      spending limits (CSV: -g columns, max_usd, per day|run);\n"
    "                         those exceeded go to budgets.csv, and the exit status is 4\n"
    "      --format FMT       the summary on stdout as text (default) or json\n"
    "      --dedupe           do not count a record whose requestId was counted before\n"
    "                         (listed in rejects.csv as duplicate)\n"
    "  -q, --quiet            no summary, no progress and no warnings\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version, inflate backend and price table date\n"
    "\n"
    "Reports (in DIR): app_day.csv caller.csv unresolved.csv residency.csv spikes.csv\n"
    "whatif.csv cache.csv coverage.csv sources.csv rejects.csv summary.json run.json,\n"
    "reconcile.csv with --cur, budgets.csv with --budget, and report.html (one page\n"
    "with all of them)\n"
    "bedrock-ledger verify DIR: re-hashes the reports and inputs run.json lists\n"    "Exit status: 0 reports written; 1 written, but --strict and something was\n"
    "rejected or unreadable; 2 usage error or unusable manifest, price table,\n"
    "billing-name table or CUR file;\n"
    "3 an input path does not exist or a report could not be written;\n"
    "4 reports written, but a --budget limit was exceeded.\n"
    "See bedrock-ledger(1) for the details.\n";

enum {
	OPT_SINCE = 1000,
	OPT_UNTIL,
	OPT_STRICT,
	OPT_VERSION,
	OPT_PRINT_PRICES,
	OPT_CALLERS,
	OPT_SPIKE_USD,
	OPT_SPIKE_FACTOR,
	OPT_CUR,
	OPT_BILLING_NAMES,
	OPT_LADDER,
	OPT_NO_HTML,
	OPT_HASH,
	OPT_FORMAT,
	OPT_BUDGET,
	OPT_DEDUPE,
};

static const struct option long_options[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "manifest", required_argument, NULL, 'm' },
	{ "prices", required_argument, NULL, 'p' },
	{ "print-prices", no_argument, NULL, OPT_PRINT_PRICES },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "group-by", required_argument, NULL, 'g' },
	{ "callers", required_argument, NULL, OPT_CALLERS },
	{ "spike-usd", required_argument, NULL, OPT_SPIKE_USD },
	{ "cur", required_argument, NULL, OPT_CUR },
	{ "billing-names", required_argument, NULL, OPT_BILLING_NAMES },
	{ "ladder", required_argument, NULL, OPT_LADDER },
	{ "no-html", no_argument, NULL, OPT_NO_HTML },
	{ "spike-factor", required_argument, NULL, OPT_SPIKE_FACTOR },
	{ "jobs", required_argument, NULL, 'j' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "hash", no_argument, NULL, OPT_HASH },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "dedupe", no_argument, NULL, OPT_DEDUPE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("bedrock-ledger: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'bedrock-ledger --help' for more information.\n", stderr);
	return LEDGER_EXIT_USAGE;
}

static void print_version(void)
{
	printf("bedrock-ledger %s\n", LEDGER_VERSION);
	printf("inflate: %s\n", inflate_backend());
	struct price_table *t = prices_create();
	prices_load_builtin(t);
	printf("built-in prices: %zu rows, as of %s\n", prices_count(t), prices_builtin_date());
	prices_destroy(t);
}

/*
 * Fixes the settings from argv. Returns -1 when they are complete, or the
 * exit status to leave with at once (help, version, usage errors).
 */
static int parse_args(int argc, char **argv, struct ledger_opts *o, const char **manifests)
{
	int c;
	opterr = 0; /* our own messages, in our own format */
	while ((c = getopt_long(argc, argv, ":o:m:p:g:j:qh", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!*optarg)
				return usage_error("--out: the directory name is empty%s", "");
			o->out_dir = optarg;
			break;
		case 'm':
			manifests[o->nmanifests++] = optarg;
			break;
		case 'p':
			o->prices_path = optarg;
			break;
		case OPT_PRINT_PRICES: {
			size_t n;
			const char *csv = prices_builtin_csv(&n);
			fwrite(csv, 1, n, stdout);
			return fflush(stdout) == 0 ? 0 : LEDGER_EXIT_IO;
		}
		case OPT_SINCE:
			if (ts_parse_bound(optarg, &o->since) != 0)
				return usage_error(
				    "--since: '%s' is not YYYY-MM-DD or an ISO-8601 time", optarg);
			o->has_since = true;
			break;
		case OPT_UNTIL:
			if (ts_parse_bound(optarg, &o->until) != 0)
				return usage_error(
				    "--until: '%s' is not YYYY-MM-DD or an ISO-8601 time", optarg);
			o->has_until = true;
			break;
		case 'g': {
			struct group_by g;
			struct diag d = DIAG_INIT;
			if (group_by_parse(&g, optarg, &d) != 0) {
				int rc = usage_error("--group-by: %s", diag_msg(&d));
				diag_clear(&d);
				return rc;
			}
			group_by_finish(&o->group_by); /* the last --group-by wins */
			o->group_by = g;
			o->group_by_given = true;
			break;
		}
		case OPT_CUR:
			((const char **)o->cur)[o->ncur++] = optarg;
			break;
		case OPT_BILLING_NAMES:
			o->billing_names = optarg;
			break;
		case OPT_LADDER:
			o->ladder_path = optarg;
			break;
		case OPT_NO_HTML:
			o->no_html = true;
			break;
		case OPT_SPIKE_USD:
			if (spike_parse_usd(optarg, &o->spike_usd) != 0)
				return usage_error(
				    "--spike-usd: '%s' is not an amount in USD (a decimal"
				    " such as 5 or 0.25)",
				    optarg);
			break;
		case OPT_SPIKE_FACTOR:
			if (spike_parse_factor(optarg, &o->spike_factor) != 0)
				return usage_error(
				    "--spike-factor: '%s' is not a factor (a decimal such as"
				    " 5 or 2.5)",
				    optarg);
			break;
		case OPT_CALLERS:
			if (strcmp(optarg, "principal") == 0)
				o->callers_principal = true;
			else if (strcmp(optarg, "arn") == 0)
				o->callers_principal = false;
			else
				return usage_error("--callers: '%s' is not arn or principal",
						   optarg);
			break;
		case 'j': {
			char *end;
			errno = 0;
			long j = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || j < 1 || j > 1024)
				return usage_error("--jobs: '%s' is not a number from 1 to 1024",
						   optarg);
			o->jobs = (unsigned)j;
			break;
		}
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_HASH:
			o->hash = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return usage_error("--format: '%s' is not text or json", optarg);
			o->format_json = strcmp(optarg, "json") == 0;
			break;
		case OPT_BUDGET:
			o->budget_path = optarg;
			break;
		case OPT_DEDUPE:
			o->dedupe = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case OPT_VERSION:
			print_version();
			return 0;
		case ':':
		default: {
			char opt[3] = { '-', (char)optopt, '\0' };
			const char *name = optopt > ' ' && optopt < 127 ? opt : argv[optind - 1];
			return usage_error(c == ':' ? "%s: needs a value" : "%s: unknown option",
					   name);
		}
		}
	}
	if (optind >= argc)
		return usage_error("no PATH given: name a directory, a log file, an archive or -%s",
				   "");
	if (o->has_since && o->has_until && ts_cmp(o->since, o->until) >= 0)
		return usage_error("--since must be before --until%s", "");
	o->paths = (const char *const *)argv + optind;
	o->npaths = (size_t)(argc - optind);
	o->progress = !o->quiet && isatty(STDERR_FILENO);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "sql") == 0)
		return sql_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "verify") == 0)
		return verify_main(argc - 1, argv + 1);
	struct ledger_opts o = { .out_dir = "ledger" };
	const char **manifests = xcalloc((size_t)argc, sizeof *manifests);
	struct diag d = DIAG_INIT;
	group_by_parse(&o.group_by, "app,team", &d); /* the default: cannot fail */
	spike_parse_usd("5", &o.spike_usd);
	spike_parse_factor("5", &o.spike_factor);
	/* a tuning knob for tests and huge runs, not an option users need */
	const char *cells = getenv("BEDROCK_LEDGER_CELLS");
	o.tally_cells = cells ? (size_t)strtoull(cells, NULL, 10) : 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o.jobs = cpus > 0 ? (unsigned)cpus : 1;
	o.manifests = manifests;
	const char **curs = xcalloc((size_t)argc, sizeof *curs);
	o.cur = curs;

	const char **args = xcalloc((size_t)argc, sizeof *args); /* as given: getopt reorders argv */
	memcpy(args, argv + 1, (size_t)(argc - 1) * sizeof *args);
	o.args = args;
	o.nargs = (size_t)(argc - 1);

	int status = parse_args(argc, argv, &o, manifests);
	if (status < 0) {
		status = (int)pipeline_run(&o);
		if (fflush(stdout) != 0 && status == LEDGER_EXIT_OK)
			status = LEDGER_EXIT_IO;
	}
	group_by_finish(&o.group_by);
	free(manifests);
	free(curs);
	free(args);
	return status;
}
