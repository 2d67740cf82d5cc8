/*
 * diag.h - one way to report a problem (tier 2 of STYLE: an input or output
 * error, a bad table) and one way to print it.
 *
 * Modules never print. A function that can fail returns -1 and fills a
 * struct diag, embedded in its handle (libarchive style) or passed by the
 * caller; the message is "PLACE: PROBLEM" where the module knows the place
 * (a file name, "file:line"), else just "PROBLEM". Only pipeline.c and
 * main.c print, through diag_print and diag_warn.
 *
 * A message is safe when it is made: diag_set escapes every control byte
 * (below 0x20, and 0x7f) as \xNN, so that a name or value from the inputs
 * can neither drive a terminal nor split one message over two lines, in
 * whatever a message is written to (stderr, sources.csv, the summary). A
 * message never holds a control byte. A cell of the input that a message
 * quotes goes through DIAG_CELL or DIAG_NAME, which cut it.
 *
 * Ownership: a diag owns its message; diag_clear frees it. Messages handed
 * out by diag_msg live until the next diag_set or diag_clear.
 *
 *	struct diag d = DIAG_INIT;
 *	if (manifest_load_file(m, path, &d) != 0)
 *		diag_print(NULL, "%s", diag_msg(&d));
 *	diag_clear(&d);
 */
#ifndef LEDGER_DIAG_H
#define LEDGER_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ledger/support/str.h"

struct diag {
	char *msg; /* NULL: no problem */
};

#define DIAG_INIT ((struct diag){ NULL })

/* Sets the message (replacing any); returns -1, so `return diag_set(...)` reads well. */
int diag_set(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int diag_setv(struct diag *d, const char *fmt, va_list ap);
/* Puts "PREFIX: " in front of the message (or sets it to PREFIX when empty); returns -1. */
int diag_prefix(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Moves src's message into dst (src is left empty); returns -1. */
int diag_move(struct diag *dst, struct diag *src);
/* The message, "" when none. */
const char *diag_msg(const struct diag *d);
bool diag_has(const struct diag *d);
void diag_clear(struct diag *d);

/*
 * Writes s (n bytes) to fp with every control byte (below 0x20, and 0x7f)
 * as \xNN: the escaping rule of diag_set, for text that is no message
 * (the summary's names and values).
 */
void diag_put_escaped(FILE *fp, const char *s, size_t n);

/*
 * A cell of the input, quoted in a message by the three arguments of
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

/* "bedrock-ledger: PLACE: PROBLEM\n" on stderr (no "PLACE: " when place is NULL). */
void diag_print(const char *place, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* As diag_print with "warning: " before the problem; nothing while warnings are off. */
void diag_warn(const char *place, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* -q: warnings off for the run. Set once by pipeline.c before any thread starts. */
void diag_set_warnings(bool on);

#endif
