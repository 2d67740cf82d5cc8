/*
 * run_json.h - run.json, the record of a run that an auditor keeps with its
 * reports: the program, its arguments, the tables read and their SHA-256,
 * the books and totals, what came from a --state, and every report file
 * with its size and SHA-256.
 *
 * Pipeline: the reports are complete -> [run_json] -> commit (run.json is
 * the last file renamed into place). `bedrock-ledger verify` (verify.h)
 * reads it back. The schema is documented in bedrock-ledger(1), AUDIT.
 * Ownership: nothing is kept; everything is borrowed for the call.
 */
#ifndef LEDGER_RUN_JSON_H
#define LEDGER_RUN_JSON_H

#include "ledger/run/pipeline.h"
#include "ledger/state/state.h"
#include "ledger/views/report.h"
#include "ledger/views/summary.h"

#define RUN_JSON_NAME	 "run.json"
#define RUN_JSON_VERSION 1

/*
 * Writes run.json into the set, after sealing every report opened before
 * it (their sizes and digests are in it). `state` is what --state gave and
 * took (NULL without it); `status` is the exit status the run ends with.
 * Returns 0, or -1 with the set's error.
 */
int run_json_write(struct report_set *set, const struct ledger_opts *o, const struct summary *t,
		   const struct state_stats *state, int status);

/*
 * Reads dir/run.json of an earlier run, if there is one, and has the set
 * remove at commit each report it lists that this run does not write (a
 * plain file name only: nothing outside dir, never run.json itself).
 */
void run_json_mark_stale(struct report_set *set, const char *dir);

#endif
