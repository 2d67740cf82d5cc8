/*
 * diag.c - problems and their places: kept by modules, printed by the drivers.
 */
#include "ledger/support/diag.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

static bool warnings_on = true;

/* The one escaping rule: a control byte becomes \xNN (4 bytes). */
static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static void put_hex(char out[4], unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
}

/* s with its control bytes escaped, in place of s (which is freed) when it has any. */
static char *escape(char *s)
{
	size_t n = 0, k = 0;
	for (; s[n]; n++)
		k += is_control((unsigned char)s[n]);
	if (!k)
		return s;
	char *e = xmalloc(n + 3 * k + 1), *o = e;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_control(c)) {
			put_hex(o, c);
			o += 4;
		} else {
			*o++ = (char)c;
		}
	}
	*o = '\0';
	free(s);
	return e;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *m = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	if (n > 0)
		vsnprintf(m, (size_t)n + 1, fmt, ap);
	else
		m[0] = '\0';
	return escape(m);
}

/* The one formatter: "FILE[:LINE[:COLUMN]]: PROBLEM", made when a field changes. */
static void format(struct diag *d)
{
	free(d->msg);
	d->msg = NULL;
	if (!d->text || !d->file)
		return;
	char line[48] = "";
	if (d->line && d->column)
		snprintf(line, sizeof line, ":%" PRIu64 ":%u", d->line, d->column);
	else if (d->line)
		snprintf(line, sizeof line, ":%" PRIu64, d->line);
	size_t n = strlen(d->file) + strlen(line) + 2 + strlen(d->text) + 1;
	d->msg = xmalloc(n);
	snprintf(d->msg, n, "%s%s: %s", d->file, line, d->text);
}

static void set_text(struct diag *d, char *text)
{
	free(d->text);
	d->text = text;
	format(d);
}

int diag_setv(struct diag *d, const char *fmt, va_list ap)
{
	char *text = vformat(fmt, ap);
	diag_place(d, NULL, 0, 0);
	set_text(d, text);
	return -1;
}

int diag_set(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_setv(d, fmt, ap);
	va_end(ap);
	return -1;
}

int diag_set_at(struct diag *d, const char *file, uint64_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_setv(d, fmt, ap);
	va_end(ap);
	return diag_place(d, file, line, 0);
}

int diag_place(struct diag *d, const char *file, uint64_t line, unsigned column)
{
	char *copy = file ? escape(xstrdup(file)) : NULL;
	free(d->file);
	d->file = copy;
	d->line = line;
	d->column = column;
	format(d);
	return -1;
}

int diag_prefix(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *prefix = vformat(fmt, ap);
	va_end(ap);
	if (!d->text || !*d->text) {
		set_text(d, prefix);
		return -1;
	}
	size_t n = strlen(prefix) + 2 + strlen(d->text) + 1;
	char *text = xmalloc(n);
	snprintf(text, n, "%s: %s", prefix, d->text);
	free(prefix);
	set_text(d, text);
	return -1;
}

int diag_move(struct diag *dst, struct diag *src)
{
	if (dst != src) {
		diag_clear(dst);
		*dst = *src;
		*src = DIAG_INIT;
	}
	return -1;
}

const char *diag_msg(const struct diag *d)
{
	return d->msg ? d->msg : d->text ? d->text : "";
}

bool diag_has(const struct diag *d)
{
	return d->text != NULL;
}

void diag_clear(struct diag *d)
{
	free(d->file);
	free(d->text);
	free(d->msg);
	*d = DIAG_INIT;
}

void diag_put_escaped(FILE *fp, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4];
		if (is_control(c)) {
			put_hex(e, c);
			fwrite(e, 1, sizeof e, fp);
		} else {
			putc(c, fp);
		}
	}
}

int diag_cut_len(struct str s, size_t max)
{
	if (s.n <= max)
		return (int)s.n;
	size_t n = max;
	/* back to the start of a UTF-8 character: never more than 3 continuation bytes */
	for (int k = 0; k < 3 && n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80; k++)
		n--;
	return (int)n;
}

const char *diag_cut_mark(struct str s, size_t max)
{
	return s.n > max ? "..." : "";
}

/* One message, built whole and written with one call so that lines from
 * two threads cannot interleave. */
static void print_line(const char *place, const char *tag, const char *fmt, va_list ap)
{
	struct diag d = DIAG_INIT;
	diag_setv(&d, fmt, ap);
	diag_place(&d, place, 0, 0);
	const char *msg = diag_msg(&d);
	size_t n = strlen("bedrock-ledger: ") + strlen(tag) + strlen(msg) + 2;
	char *line = xmalloc(n);
	snprintf(line, n, "bedrock-ledger: %s%s\n", tag, msg);
	fwrite(line, 1, n - 1, stderr);
	fflush(stderr);
	free(line);
	diag_clear(&d);
}

void diag_print(const char *place, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	print_line(place, "", fmt, ap);
	va_end(ap);
}

void diag_warn(const char *place, const char *fmt, ...)
{
	if (!warnings_on)
		return;
	va_list ap;
	va_start(ap, fmt);
	print_line(place, "warning: ", fmt, ap);
	va_end(ap);
}

void diag_set_warnings(bool on)
{
	warnings_on = on;
}
