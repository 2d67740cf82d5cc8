/*
 * pipeline.h - the whole run: settings in, reports and an exit status out.
 *
 * Pipeline: walk -> (worker threads: inflate/archive -> record -> facts ->
 * ledger) -> views -> reports, summary. pipeline.c knows this order and
 * worker.c the part inside a thread. The settings are fixed once from the
 * command line and read-only afterwards.
 */
#ifndef LEDGER_PIPELINE_H
#define LEDGER_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/views/fields.h"
#include "ledger/views/layout.h"
#include "ledger/support/money.h"
#include "ledger/support/timestamp.h"
#include "ledger/support/tz.h"

/* Exit statuses (bedrock-ledger(1), OPTIONS). */
enum ledger_exit {
	LEDGER_EXIT_OK = 0, /* reports written */
	LEDGER_EXIT_STRICT =
	    1, /* reports written, but --strict and something was rejected or unreadable */
	LEDGER_EXIT_USAGE = 2,	/* usage error, or a manifest or price table that cannot be used */
	LEDGER_EXIT_IO = 3,	/* an input path does not exist, or a report could not be written */
	LEDGER_EXIT_BUDGET = 4, /* reports written, a --budget row exceeded (--strict's 1 wins) */
	/* killed by SIGINT, SIGTERM or SIGHUP: 128 + the signal, no report written */
};

struct ledger_opts {
	const char *out_dir;
	const char *const *manifests;
	size_t nmanifests;
	const char *prices_path; /* NULL: the built-in table */
	const char *const *cur;	 /* --cur files (bedrock-ledger-formats(5), RECONCILIATION) */
	size_t ncur;
	const char *billing_names; /* --billing-names FILE, or NULL */
	const char *const *tables; /* every file given with an option that takes a table */
	size_t ntables;		   /* (a walk skips them: is-an-option-file) */
	const char *ladder_path;   /* --ladder FILE, or NULL */
	bool no_html;		   /* --no-html */
	bool focus;		   /* --focus: focus.csv */
	const char *focus_account; /* --focus-account ID, or NULL */
	bool has_since, has_until;
	struct ts since, until;
	struct group_by group_by; /* -g (bedrock-ledger-formats(5), GROUPING) */
	bool group_by_given;	  /* -g was on the command line (not the default) */
	bool callers_principal;	  /* --callers principal */
	enum spike_by spike_by;	  /* --spike-by (default principal) */
	const struct tz *tz;	  /* --tz, or NULL: days and hours in UTC */
	money_t spike_usd;	  /* --spike-usd, in 1e-15 USD */
	uint64_t spike_factor;	  /* --spike-factor, in 1e-9 */
	size_t tally_cells;	  /* hourly cells a worker keeps in memory (BEDROCK_LEDGER_CELLS) */
	const char *state_path;	  /* --state FILE, or NULL */
	size_t state_batch;	  /* objects per state transaction (BEDROCK_LEDGER_STATE_BATCH) */
	unsigned jobs;		  /* worker threads, >= 1 */
	bool strict;
	bool hash;		 /* --hash: the SHA-256 of every object in sources.csv */
	bool format_json;	 /* --format json: the summary on stdout as JSON */
	bool dedupe;		 /* --dedupe: duplicates (same requestId) are not counted */
	const char *budget_path; /* --budget FILE, or NULL */
	const char *const *args; /* the command line after the program name, for run.json */
	size_t nargs;
	bool quiet;    /* no summary, no progress */
	bool progress; /* draw progress on stderr (main decides: a terminal, not quiet) */
	const char *const *paths;
	size_t npaths;
};

/* Runs the job; messages go to stderr, the summary to stdout. */
enum ledger_exit pipeline_run(const struct ledger_opts *o);

#endif
