/*
 * options.c - the parser of both subcommands' command lines: getopt_long's
 * tables made from options_table.c's rows, the usage errors of unknown,
 * ambiguous and incomplete options, the defaults, and the checks across
 * options once all are read.
 */
#include "ledger/run/options_table.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/support/diag.h"
#include "ledger/support/tz.h"
#include "ledger/support/xalloc.h"
#include "ledger/views/spikes.h"

int options_usage(const struct options *o, const char *fmt, ...)
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

/*
 * --tz: loads the zone, and reads --since/--until without an offset as
 * wall-clock times there (bedrock-ledger(1), OPTIONS). OPTIONS_NEXT, or the exit
 * status of a usage error.
 */
static int load_zone(struct options *o)
{
	if (!o->tz_arg)
		return OPTIONS_NEXT;
	struct diag d = DIAG_INIT;
	struct tz *z = tz_load(o->tz_arg, &d);
	int rc = z ? OPTIONS_NEXT : options_usage(o, "--tz: %s", diag_msg(&d));
	diag_clear(&d);
	if (!z)
		return rc;
	o->run.tz = z;
	if (o->run.has_since && !ts_bound_has_zone(o->since_arg))
		o->run.since.sec = tz_utc_of_local(z, o->run.since.sec);
	if (o->run.has_until && !ts_bound_has_zone(o->until_arg))
		o->run.until.sec = tz_utc_of_local(z, o->run.until.sec);
	return OPTIONS_NEXT;
}

/* getopt_long's val of a long option: its row, above every short option character. */
#define LONG_VAL 256

/* getopt_long's tables for one subcommand, made from rows. */
struct getopt_tables {
	struct option longs[OPTIONS_MAX_ROWS + 1];
	char shorts[2 * OPTIONS_MAX_ROWS + 2];
};

static void make_tables(enum options_command command, struct getopt_tables *t)
{
	size_t nl = 0, ns = 0;
	t->shorts[ns++] = ':'; /* a missing value is ':', not '?' */
	for (size_t i = 0; i < options_nrows; i++) {
		const struct option_row *r = &options_rows[i];
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
	if (c >= LONG_VAL && c < LONG_VAL + (int)options_nrows)
		return &options_rows[c - LONG_VAL];
	for (size_t i = 0; i < options_nrows; i++)
		if (options_rows[i].short_name && options_rows[i].short_name == c)
			return &options_rows[i];
	return NULL;
}

/* The usage error of an unknown long option, typed as arg ("--manifests=x"). */
static int unknown_long(const struct options *o, const char *arg)
{
	char word[64], list[256] = "";
	snprintf(word, sizeof word, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
	size_t n = strlen(word), matches = 0, used = 0;
	for (size_t i = 0; i < options_nrows; i++) {
		const struct option_row *r = &options_rows[i];
		if (r->flags & o->command && strncmp(r->name, word, n) == 0 && used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s--%s",
						 matches++ ? ", " : "", r->name);
		else if (strcmp(r->name, word) == 0)
			return options_usage(o,
					     o->command == OPTIONS_SQL
						 ? "--%s: not an option of bedrock-ledger sql"
						 : "--%s: an option of bedrock-ledger sql only",
					     word);
	}
	if (matches > 1 && n > 0)
		return options_usage(o, "--%s: ambiguous option (%s): give more of its name", word,
				     list);
	const char *near = options_closest(o->command, word);
	if (near)
		return options_usage(o, "--%s: unknown option; did you mean --%s?", word, near);
	return options_usage(o, "--%s: unknown option", word);
}

/* The usage error of getopt_long's answer c ('?' or ':') for the option at argv[optind - 1]. */
static int option_error(const struct options *o, int c, char *const *argv)
{
	const char *typed = argv[optind - 1];
	const struct option_row *r = row_of(optopt);
	bool is_long = strncmp(typed, "--", 2) == 0;
	if (c == ':' && r)
		return is_long ? options_usage(o, "--%s: needs a value", r->name)
			       : options_usage(o, "-%c: needs a value", r->short_name);
	if (r && optopt >= LONG_VAL)
		return options_usage(o, "--%s: takes no value", r->name);
	if (optopt == 0 && is_long)
		return unknown_long(o, typed);
	if (optopt > ' ' && optopt < 127)
		return options_usage(o, "-%c: unknown option", optopt);
	return options_usage(o, "%s: unknown option", typed);
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
		if (rc != OPTIONS_NEXT)
			return rc;
		if (r->flags & OPTIONS_TABLE)
			o->table_list[o->run.ntables++] = optarg;
	}
	return OPTIONS_NEXT;
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
	if (rc != OPTIONS_NEXT)
		return rc;
	if (o->command == OPTIONS_SQL && optind != argc - 1)
		return options_usage(o, optind >= argc ? "no LOCATION given" : "one LOCATION only");
	if (optind >= argc)
		return options_usage(
		    o, "no PATH given: name a directory, a log file, an archive or -");
	if ((rc = load_zone(o)) != OPTIONS_NEXT)
		return rc;
	/* a duplicate is known only once every object's requestIds are read */
	if ((o->run.dedupe || o->run.hash) && o->run.state_path)
		return options_usage(o, "%s needs every object read: run it without --state",
				     o->run.dedupe ? "--dedupe" : "--hash");
	/* FOCUS periods are UTC days; app_day.csv's are local with --tz */
	if (o->run.focus && o->run.tz)
		return options_usage(
		    o, "--focus writes UTC days (FOCUS periods are UTC): run it without --tz");
	if (o->run.has_since && o->run.has_until && ts_cmp(o->run.since, o->run.until) >= 0)
		return options_usage(o, "--since must be before --until");
	o->run.paths = (const char *const *)argv + optind;
	o->run.npaths = (size_t)(argc - optind);
	o->run.progress = !o->run.quiet && isatty(STDERR_FILENO);
	return OPTIONS_NEXT;
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
