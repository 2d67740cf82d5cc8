/*
 * test_options.c - the option table: "did you mean" (options_closest and the
 * edit distance under it) and the settings parsed for each subcommand.
 */
#include "ledger/run/options.h"

#include <getopt.h>
#include <string.h>

#include "ledger/support/nearest.h"
#include "tap.h"

static void test_distance(void)
{
	is_int(nearest_distance("", ""), 0, "distance: empty");
	is_int(nearest_distance("abc", "abc"), 0, "distance: equal");
	is_int(nearest_distance("quite", "quiet"), 1, "distance: a swap is one edit");
	is_int(nearest_distance("us-east1", "us-east-1"), 1, "distance: an insertion");
	is_int(nearest_distance("bogus", "jobs"), 3, "distance: three edits");
	char big[80];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	is_int(nearest_distance(big, "a"), 99, "distance: a word over 64 bytes is far");

	struct nearest n;
	nearest_init(&n, "eu-wset-1");
	nearest_offer(&n, "us-east-1");
	nearest_offer(&n, "eu-west-1");
	nearest_offer(&n, "eu-west-2");
	is_str(n.best, "eu-west-1", "nearest: the fewest edits, the first offered on a tie");
	nearest_init(&n, "abcd");
	nearest_offer(&n, "abxy");
	ok(n.best == NULL, "nearest: 2 edits are too many for a 4-byte word");
	nearest_init(&n, "same");
	nearest_offer(&n, "same");
	ok(n.best == NULL, "nearest: the word itself is no suggestion");
}

static void test_closest(void)
{
	is_str(options_closest(OPTIONS_RUN, "manifests"), "manifest", "closest: a plural");
	is_str(options_closest(OPTIONS_RUN, "output"), "out", "closest: begins with an option");
	is_str(options_closest(OPTIONS_RUN, "tags"), "manifest", "closest: a word for it");
	is_str(options_closest(OPTIONS_RUN, "quite"), "quiet", "closest: a swap");
	is_str(options_closest(OPTIONS_RUN, "sinse"), "since", "closest: a typo");
	is_str(options_closest(OPTIONS_RUN, "groupby"), "group-by", "closest: no dash");
	is_str(options_closest(OPTIONS_RUN, "threads"), "jobs", "closest: a word for -j");
	ok(options_closest(OPTIONS_RUN, "bogus") == NULL, "closest: nothing near");
	ok(options_closest(OPTIONS_RUN, "dialect") == NULL, "closest: sql's options not for a run");
	is_str(options_closest(OPTIONS_SQL, "dialet"), "dialect", "closest: sql's own");
	ok(options_closest(OPTIONS_SQL, "jobs") == NULL, "closest: a run's options not for sql");
}

/* Parses a NULL-terminated argv; the status. */
static int parse(struct options *o, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	return options_parse(o, argc, argv);
}

static void test_parse(void)
{
	struct options o;
	char *run[] = { "bedrock-ledger", "logs",  "-m",   "a.csv", "--manifest=b.csv",
			"--cur",	  "c.csv", "-j",   "3",	    "--since",
			"2026-10",	  "-q",	   "more", NULL };
	is_int(parse(&o, run), -1, "parse: a run's options are complete");
	ok(o.command == OPTIONS_RUN, "parse: a run");
	is_int(o.run.nmanifests, 2, "parse: two manifests");
	is_str(o.run.manifests[1], "b.csv", "parse: --manifest=FILE");
	is_int(o.run.ncur, 1, "parse: one CUR file");
	is_int(o.run.jobs, 3, "parse: -j");
	ok(o.run.quiet && !o.run.progress, "parse: -q, and so no progress");
	ok(o.run.has_since && !o.run.has_until, "parse: --since only");
	is_int(o.run.since.sec, 1790812800, "parse: --since YYYY-MM, the first of the month");
	is_int(o.run.npaths, 2, "parse: paths before and after the options");
	is_str(o.run.paths[1], "more", "parse: the second path");
	options_finish(&o);

	char *sql[] = {
		"bedrock-ledger", "sql", "--dialect", "duckdb", "-o", "out", "corpus", NULL
	};
	is_int(parse(&o, sql), -1, "parse: sql's options are complete");
	ok(o.command == OPTIONS_SQL && o.dialect == SQL_DUCKDB, "parse: sql --dialect duckdb");
	is_str(o.run.out_dir, "out", "parse: sql -o");
	is_str(o.run.paths[0], "corpus", "parse: LOCATION");
	options_finish(&o);

	fflush(stdout);
	FILE *saved = stderr;
	stderr = fopen("/dev/null", "w");
	char *bad[] = { "bedrock-ledger", "--jobs", "0", "x", NULL };
	int rc = parse(&o, bad);
	options_finish(&o);
	char *sql_jobs[] = { "bedrock-ledger", "sql", "-j", "2", "x", NULL };
	int rc2 = parse(&o, sql_jobs);
	options_finish(&o);
	fclose(stderr);
	stderr = saved;
	is_int(rc, LEDGER_EXIT_USAGE, "parse: a bad value is a usage error");
	is_int(rc2, LEDGER_EXIT_USAGE, "parse: a run's option given to sql");
}

int main(void)
{
	test_distance();
	test_closest();
	test_parse();
	return tap_done();
}
