/*
 * options_help.c - what the table of options says to a user: the --help
 * text of each subcommand, how an option is typed, and the option a
 * mistyped one is closest to (bedrock-ledger(1), OPTIONS).
 */
#include "ledger/run/options_table.h"

#include <stdio.h>
#include <string.h>

#include "ledger/support/nearest.h"

int options_flushed(void)
{
	return fflush(stdout) == 0 ? LEDGER_EXIT_OK : LEDGER_EXIT_IO;
}

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

int options_print_help(struct options *o, const char *arg)
{
	(void)arg;
	bool sql = o->command == OPTIONS_SQL;
	fputs(sql ? sql_head : run_head, stdout);
	fputs("\nOptions:\n", stdout);
	for (size_t i = 0; i < options_nrows; i++)
		if (options_rows[i].flags & o->command)
			put_row_help(&options_rows[i], sql);
	fputs(sql ? "" : "\n", stdout);
	fputs(sql ? sql_tail : run_tail, stdout);
	return options_flushed();
}

void options_spell(const char *name, char *out, size_t cap)
{
	for (size_t i = 0; i < options_nrows; i++) {
		if (strcmp(options_rows[i].name, name) != 0)
			continue;
		if (options_rows[i].short_name)
			snprintf(out, cap, "-%c/--%s", options_rows[i].short_name, name);
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
	for (size_t i = 0; i < options_nrows; i++) {
		const struct option_row *r = &options_rows[i];
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
