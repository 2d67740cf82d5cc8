/*
 * options.h - the command line of both subcommands, `bedrock-ledger PATH...`
 * and `bedrock-ledger sql LOCATION`: one table of options, from which the
 * getopt_long table, the --help text and the "did you mean" of a mistyped
 * option are all made (bedrock-ledger(1), OPTIONS). An option is added by one
 * row of that table (options_table.c) and its setter.
 *
 * Pipeline: main.c -> [options] -> pipeline_run, or sql_main.
 * Ownership: the settings borrow argv (paths, file names); the lists of
 * manifests and CUR files and the group-by keys belong to struct options and
 * are freed by options_finish.
 */
#ifndef LEDGER_OPTIONS_H
#define LEDGER_OPTIONS_H

#include "ledger/run/pipeline.h"
#include "ledger/sql/sql.h"

/* The subcommands, as bits: an option row names those that take it. */
enum options_command {
	OPTIONS_RUN = 1, /* bedrock-ledger [OPTIONS] PATH... */
	OPTIONS_SQL = 2, /* bedrock-ledger sql [OPTIONS] LOCATION */
};

struct options {
	enum options_command command;
	struct ledger_opts run;	  /* the settings; sql reads those it shares (sql.h) */
	enum sql_dialect dialect; /* sql --dialect, default athena */
	const char **manifest_list, **cur_list,
	    **table_list;      /* behind run.manifests, .cur, .tables */
	const char **arg_list; /* behind run.args */
	const char *tz_arg, *since_arg, *until_arg; /* --tz, and the bounds as typed */
};

/*
 * Fixes o from argv; argv[1] "sql" selects that subcommand. Returns -1 when
 * the settings are complete, else the exit status to leave with at once: 0
 * after --help, --version or --print-prices (their output on stdout), 2 after
 * a usage error (its message on stderr), 3 when stdout cannot be written.
 * Call options_finish afterwards in every case.
 */
int options_parse(struct options *o, int argc, char **argv);

/* Frees what options_parse allocated. */
void options_finish(struct options *o);

/*
 * How a user types the option of long name `name`: "-m/--manifest", "--cur".
 * Written into out (cut to cap).
 */
void options_spell(const char *name, char *out, size_t cap);

/*
 * The option of command closest to a mistyped long option, word without its
 * dashes and without any "=VALUE" ("manifests", "output"): a word that names
 * it (a "tags" means --manifest), an option name that word begins with, or
 * the name nearest by edit distance when it is near enough. Returns the long
 * name (static), or NULL when no option is close.
 */
const char *options_closest(enum options_command command, const char *word);

#endif
