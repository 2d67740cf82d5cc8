/*
 * csvrows.h - the one reader of the user's CSV tables: bytes in, rows out,
 * each with the physical line it starts on.
 *
 * Pipeline: used by manifest, prices, billing_names and the CUR reader.
 * On top of libcsv, strict RFC 4180: cells are taken byte for byte (no
 * trimming), quoted cells may hold delimiters, quotes and line breaks; LF,
 * CRLF and a lone CR all end a line, and blank lines are skipped. A UTF-8 BOM
 * at the start is skipped. A NUL byte, a quote inside an unquoted cell, text
 * after a closing quote and an unclosed quote are errors, all worded
 * "malformed CSV: ..." at NAME:LINE.
 * It streams: bytes may come in chunks of any size, and memory is bounded by
 * the longest row, not the input.
 * Ownership: the reader borrows name (which must outlive it) and owns the
 * row it hands to the callback; the fields of a row are valid during the
 * callback only.
 *
 *	struct csvrows *r = csvrows_create(path, on_row, &state);
 *	while ((n = read_some(buf)) > 0 && csvrows_feed(r, buf, n) == 0)
 *		;
 *	if (csvrows_finish(r) != 0)
 *		diag_move(d, csvrows_diag(r));
 *	csvrows_destroy(r);
 */
#ifndef LEDGER_CSVROWS_H
#define LEDGER_CSVROWS_H

#include <stddef.h>

#include "ledger/support/diag.h"
#include "ledger/support/str.h"

struct csvrows_row {
	const struct str *field; /* nfields slices (never a NULL p) */
	size_t nfields;		 /* at least 1 */
	unsigned long line;	 /* the physical line the row starts on, from 1 */
};

struct csvrows;

/*
 * Starts a reader. name is used in messages. on_row is called once per row,
 * in order, with ctx; it returns 0 to go on, or -1 to stop reading, having
 * said why with csvrows_fail (else the problem is "invalid row" at NAME:LINE).
 * Never NULL: OOM aborts.
 */
struct csvrows *csvrows_create(const char *name,
			       int (*on_row)(void *ctx, struct csvrows *r,
					     const struct csvrows_row *row),
			       void *ctx);
void csvrows_destroy(struct csvrows *r); /* NULL is a no-op */

/*
 * Reads n more bytes. Returns 0, or -1 with the message in csvrows_diag (a
 * syntax error, or a row the callback refused); once it has failed, every
 * later call returns -1 at once.
 */
int csvrows_feed(struct csvrows *r, const void *buf, size_t n);

/* The end of the input: delivers a last row without a line end. 0 or -1, as csvrows_feed. */
int csvrows_finish(struct csvrows *r);

/*
 * The reader's problem, at the place NAME:LINE (d->file, d->line); empty
 * while there is none. Owned by the reader.
 */
struct diag *csvrows_diag(struct csvrows *r);

/*
 * For the callback: sets the problem, at NAME:LINE (NAME alone when line
 * is 0). Returns -1.
 */
int csvrows_fail(struct csvrows *r, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * A whole buffer: create, feed, finish, destroy. Returns 0, or -1 with the
 * message moved into *d.
 */
int csvrows_parse(const char *name, const void *buf, size_t n,
		  int (*on_row)(void *ctx, struct csvrows *r, const struct csvrows_row *row),
		  void *ctx, struct diag *d);

/*
 * A whole file, read in chunks, named by its path: as csvrows_parse. A file
 * that cannot be opened or read is -1 with "cannot read: REASON" at PATH.
 */
int csvrows_parse_file(const char *path,
		       int (*on_row)(void *ctx, struct csvrows *r, const struct csvrows_row *row),
		       void *ctx, struct diag *d);

#endif
