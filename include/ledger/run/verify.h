/*
 * verify.h - `bedrock-ledger verify DIR`: are the reports and inputs that
 * DIR/run.json lists still what the run wrote and read?
 *
 * Pipeline: a command of its own, after a run: run.json -> re-hash -> one
 * line per difference on stdout and an exit status.
 * Reports are found next to run.json (DIR may have been moved or copied);
 * tables and, for a --hash run, the objects of sources.csv by the paths the
 * run recorded (relative ones from the current directory). An input no
 * longer at its path is said and not checked. Exit status: 0 everything
 * present matches, 1 something differs or a report is missing, 2 usage or
 * DIR/run.json unusable. See bedrock-ledger(1), AUDIT.
 */
#ifndef LEDGER_VERIFY_H
#define LEDGER_VERIFY_H

/* argv[0] is "verify". Returns the exit status. */
int verify_main(int argc, char **argv);

#endif
