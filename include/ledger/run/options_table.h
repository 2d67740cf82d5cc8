/*
 * options_table.h - private to src/run/options*.c: the table of options of
 * both subcommands (options_table.c), one row per option with its setter;
 * options.c makes getopt_long's tables from it and reads argv, and
 * options_help.c writes --help, the spelling of an option and the "did you
 * mean" of a mistyped one from it.
 */
#ifndef LEDGER_OPTIONS_TABLE_H
#define LEDGER_OPTIONS_TABLE_H

#include <stddef.h>

#include "ledger/run/options.h"

/* What a setter returns to go on with the next option; else an exit status. */
#define OPTIONS_NEXT (-1)

/* A flag beside the commands: the value is an input table file (or folder), which a walk
 * skips as is-an-option-file (bedrock-ledger(1), INPUTS). */
#define OPTIONS_TABLE 0x100

/* At least the number of rows: the size of options.c's getopt_long tables. */
#define OPTIONS_MAX_ROWS 64

struct option_row {
	const char *name;     /* the long name, without "--" */
	char short_name;      /* 0: none */
	const char *arg;      /* the value's name in --help; NULL: takes no value */
	unsigned flags;	      /* the enum options_command bits that take it; OPTIONS_TABLE */
	const char *help;     /* --help text, lines separated by \n */
	const char *sql_help; /* sql --help text when it differs, else NULL */
	const char *hints;    /* words a user may type for this option: "tags tag" */
	int (*set)(struct options *o, const char *arg);
};

/* The options, in the order of --help; options_nrows of them. */
extern const struct option_row options_rows[];
extern const size_t options_nrows;

/* Prints the usage error fmt to stderr, with the pointer to --help; returns its exit status. */
int options_usage(const struct options *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Flushes stdout: the exit status of an option that printed and is done (--help). */
int options_flushed(void);

/* The setter of --help: prints the help of o->command to stdout; the exit status. */
int options_print_help(struct options *o, const char *arg);

#endif
