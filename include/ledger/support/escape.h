/*
 * escape.h - text from the inputs written into HTML (and the SVG inside it)
 * so that it can only ever be text.
 *
 * Pipeline: used by views/html.c and views/svg.c for every value that comes
 * from a log, a manifest or a table (tags, requestMetadata values, caller
 * ARNs, model IDs, paths): bedrock-ledger(1), report.html.
 * One rule serves HTML text, double-quoted attribute values and SVG text:
 * & < > " ' become character references, and every control byte (below
 * 0x20 but tab and newline, and 0x7f) becomes U+FFFD, so that no value can
 * open or close an element or an attribute, whatever bytes it holds.
 * Bytes of 0x80 and above are passed on: the page is UTF-8, and a browser
 * shows an invalid sequence as U+FFFD.
 * Ownership: nothing is kept; the functions write to the caller's stream.
 */
#ifndef LEDGER_ESCAPE_H
#define LEDGER_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "ledger/support/str.h"

/* Writes n bytes at s to fp, escaped as above. */
void escape_html(FILE *fp, const char *s, size_t n);

static inline void escape_html_str(FILE *fp, struct str s)
{
	escape_html(fp, s.p, s.n);
}

static inline void escape_html_cstr(FILE *fp, const char *s)
{
	escape_html(fp, s, s ? strlen(s) : 0);
}

#endif
