/*
 * progress.h - the progress line on stderr (only when it is a terminal).
 *
 * Pipeline: drawn by the main thread while the workers run.
 */
#ifndef LEDGER_PROGRESS_H
#define LEDGER_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct progress_state {
	uint64_t objects_done, objects_total;
	uint64_t bytes_done, bytes_total; /* stored bytes; total 0 when unknown */
	uint64_t records;
	double elapsed; /* seconds */
};

/* Redraws the line: files, records, MB/s, ETA. */
void progress_draw(FILE *fp, const struct progress_state *s);
/* Erases the line. */
void progress_clear(FILE *fp);

#endif
