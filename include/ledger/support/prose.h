/*
 * prose.h - text for a person to read: lines of a label column and prose
 * wrapped at word boundaries to a width, and numbers with thousands
 * separators. The summary (summary_text.c) is written with it.
 *
 * A paragraph is written into the stream prose_begin returns and laid out
 * by prose_end: the label in a column of PROSE_LABEL characters, the words
 * after it, a new line (indented to the column, plus `extra`) wherever the
 * next word would pass the width. A word wider than the line is not broken.
 * prose_raw writes a line as it is (a table row, a command to copy).
 * Number texts live in a ring of PROSE_RING buffers inside the struct: as
 * many may be used at once (in one printf).
 * Ownership: a prose owns its paragraph buffer; fp is borrowed.
 *
 *   struct prose p;
 *   prose_init(&p, stdout, prose_terminal_width(STDOUT_FILENO));
 *   prose_printf(&p, "objects", "%s read", prose_count(&p, 26110072));
 *   prose_finish(&p);
 */
#ifndef LEDGER_PROSE_H
#define LEDGER_PROSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/support/decimal.h"
#include "ledger/support/money.h"

#define PROSE_LABEL	13 /* the label, and at least one space */
#define PROSE_RING	16
#define PROSE_MIN_WIDTH 40

struct prose {
	FILE *fp;
	size_t width;
	FILE *m; /* the paragraph being written, or NULL */
	char *buf;
	size_t len;
	char ring[PROSE_RING][64];
	unsigned at;
};

/* Lines of at most width columns (at least PROSE_MIN_WIDTH) on fp. */
void prose_init(struct prose *p, FILE *fp, size_t width);
void prose_finish(struct prose *p);

/*
 * The width to write for on fd: $COLUMNS when it is a number, else the
 * terminal's when fd is one, else 80.
 */
size_t prose_terminal_width(int fd);

/* Starts a paragraph; its text goes to the stream returned, until prose_end. */
FILE *prose_begin(struct prose *p);
/* Lays out the paragraph under label; continuation lines are indented `extra` more. */
void prose_end(struct prose *p, const char *label, size_t extra);

/* A whole paragraph. */
void prose_printf(struct prose *p, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A line as it is, after the label column. */
void prose_raw(struct prose *p, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * A shell command to copy, indented two more: broken only between words,
 * each line but the last ended by a backslash, so that it runs as pasted.
 */
void prose_command(struct prose *p, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "26,110,072" */
const char *prose_count(struct prose *p, uint64_t v);
/* A cost, 6 decimals: "0.025118", "2,251,799,813.685257". */
const char *prose_usd(struct prose *p, money_t m);
/* A signed amount, 6 decimals: "-1,234.560000". */
const char *prose_decimal(struct prose *p, struct decimal d);

/* Inserts thousands separators into the integer digits of a number text (in place, cap bytes). */
void prose_group_digits(char *text, size_t cap);

#endif
