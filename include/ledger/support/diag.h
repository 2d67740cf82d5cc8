/*
 * diag.h - one way to report a problem (tier 2 of STYLE: an input or output
 * error, a bad table) and one way to print it.
 *
 * Modules never print. A function that can fail returns -1 and fills a
 * struct diag, embedded in its handle (libarchive style) or passed by the
 * caller. A diag is the problem and, where the module knows it, its place,
 * as fields: the file, the line and the column. One formatter, diag_msg,
 * makes of them the message "PLACE: PROBLEM", PLACE being FILE, FILE:LINE or
 * FILE:LINE:COLUMN ("PROBLEM" alone without a file). Only the drivers
 * (main.c, pipeline.c, sql_cli.c) print, through diag_print and diag_warn.
 *
 * A message is safe when it is made: the problem and the file are escaped
 * as they are set, every control byte (below 0x20, and 0x7f) as \xNN, so
 * that a name or value from the inputs can neither drive a terminal nor
 * split one message over two lines, in whatever a message is written to
 * (stderr, sources.csv, the summary). No field or message ever holds a
 * control byte. A cell of the input that a problem quotes goes through
 * DIAG_CELL or DIAG_NAME, which cut it.
 *
 * The fields are read directly and set only through these functions.
 * Ownership: a diag owns its strings; diag_clear frees them. Strings handed
 * out (diag_msg, the fields) live until the diag is next set or cleared.
 *
 *	struct diag d = DIAG_INIT;
 *	if (csvrows_parse_file(path, on_row, &state, &d) != 0)
 *		diag_print(NULL, "%s", diag_msg(&d));   // "prices.csv:2: empty model_id"
 *	diag_clear(&d);
 */
#ifndef LEDGER_DIAG_H
#define LEDGER_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/support/str.h"

struct diag {
	char *file;	 /* the file (or the name the user knows the input by); NULL: no place */
	uint64_t line;	 /* the line in it, from 1; 0: none */
	unsigned column; /* the column (byte) on that line, from 1; 0: none */
	char *text;	 /* the problem; NULL: no problem */
	char *msg;	 /* "PLACE: PROBLEM" when there is a place (diag_msg) */
};

#define DIAG_INIT ((struct diag){ 0 })

/* Sets the problem, with no place (replacing both); returns -1, so `return diag_set(...)` reads
 * well. */
int diag_set(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int diag_setv(struct diag *d, const char *fmt, va_list ap);
/* Sets the problem at FILE[:LINE] (line 0: none; file NULL: no place); returns -1. */
int diag_set_at(struct diag *d, const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Sets the place of the problem (file NULL: none; line, column 0: none); returns -1. */
int diag_place(struct diag *d, const char *file, uint64_t line, unsigned column);
/* Puts "PREFIX: " in front of the problem (or makes it PREFIX when empty); the place stays. Returns
 * -1. */
int diag_prefix(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Moves src's problem and place into dst (src is left empty); returns -1. */
int diag_move(struct diag *dst, struct diag *src);
/* The message, "PLACE: PROBLEM" or "PROBLEM"; "" when there is no problem. */
const char *diag_msg(const struct diag *d);
bool diag_has(const struct diag *d);
void diag_clear(struct diag *d);

/*
 * Writes s (n bytes) to fp with every control byte (below 0x20, and 0x7f)
 * as \xNN: the escaping rule of the diag fields, for text that is no
 * message (the summary's names and values).
 */
void diag_put_escaped(FILE *fp, const char *s, size_t n);

/*
 * A cell of the input, quoted in a problem by the three arguments of
 * "%.*s%s": at most DIAG_CELL_MAX bytes (fewer when the cut would split a
 * UTF-8 character), then "..." when it was cut. DIAG_NAME is the same for a
 * name that the user must see whole to find it (an ARN, a tag), up to
 * DIAG_NAME_MAX bytes.
 *
 *	diag_set(d, "tier \"%.*s%s\" is not a word", DIAG_CELL(tier));
 */
#define DIAG_CELL_MAX 64
#define DIAG_NAME_MAX 256
#define DIAG_CELL(s)  diag_cut_len((s), DIAG_CELL_MAX), (s).p, diag_cut_mark((s), DIAG_CELL_MAX)
#define DIAG_NAME(s)  diag_cut_len((s), DIAG_NAME_MAX), (s).p, diag_cut_mark((s), DIAG_NAME_MAX)
int diag_cut_len(struct str s, size_t max);
const char *diag_cut_mark(struct str s, size_t max);

/*
 * "bedrock-ledger: PLACE: PROBLEM\n" on stderr, the message of a diag made
 * of place (a file name, or NULL: none) and the problem.
 */
void diag_print(const char *place, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* As diag_print, "bedrock-ledger: warning: PLACE: PROBLEM\n"; nothing while warnings are off. */
void diag_warn(const char *place, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* -q: warnings off for the run. Set once by pipeline.c before any thread starts. */
void diag_set_warnings(bool on);

#endif
