/*
 * progress.h - the progress line on stderr (only when it is a terminal).
 *
 * Pipeline: drawn by the main thread while the workers run.
 * The line advances by stored bytes read as well as by objects, so a single
 * archive, a single large file or standard input shows movement; with no
 * known total (standard input) it shows bytes and records without an ETA.
 * It is drawn within the terminal's width, so that a redraw never wraps
 * and leaves a line behind.
 */
#ifndef LEDGER_PROGRESS_H
#define LEDGER_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress_state {
	uint64_t objects_done, objects_total;
	uint64_t objects_from_state;	  /* of those done, taken from --state without reading */
	uint64_t bytes_done, bytes_total; /* stored bytes; total 0 when unknown */
	uint64_t records;
	double elapsed; /* seconds */
};

/*
 * Formats the line for a terminal of `width` columns (at most width - 1
 * characters, so the cursor never wraps) into buf; returns its length.
 */
size_t progress_format(const struct progress_state *s, unsigned width, char *buf, size_t cap);

/* Redraws the line on fp, a terminal of the given width (0: ask the terminal). */
void progress_draw(FILE *fp, const struct progress_state *s, unsigned width);
/* Erases the line. */
void progress_clear(FILE *fp);

#endif
