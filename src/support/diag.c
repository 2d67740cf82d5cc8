/*
 * diag.c - problem messages: kept by modules, printed by the pipeline.
 */
#include "ledger/support/diag.h"

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

int diag_setv(struct diag *d, const char *fmt, va_list ap)
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
	free(d->msg);
	d->msg = escape(m);
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

int diag_prefix(struct diag *d, const char *fmt, ...)
{
	struct diag p = DIAG_INIT;
	va_list ap;
	va_start(ap, fmt);
	diag_setv(&p, fmt, ap);
	va_end(ap);
	if (d->msg && *d->msg)
		diag_set(d, "%s: %s", p.msg, d->msg);
	else
		diag_move(d, &p);
	diag_clear(&p);
	return -1;
}

int diag_move(struct diag *dst, struct diag *src)
{
	if (dst != src) {
		free(dst->msg);
		dst->msg = src->msg;
		src->msg = NULL;
	}
	return -1;
}

const char *diag_msg(const struct diag *d)
{
	return d->msg ? d->msg : "";
}

bool diag_has(const struct diag *d)
{
	return d->msg != NULL;
}

void diag_clear(struct diag *d)
{
	free(d->msg);
	d->msg = NULL;
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
 * two threads cannot interleave. The text is escaped as it is made (diag_setv). */
static void print_line(const char *place, const char *tag, const char *fmt, va_list ap)
{
	struct diag text = DIAG_INIT;
	diag_setv(&text, fmt, ap);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (mem) {
		fputs("bedrock-ledger: ", mem);
		if (place) {
			diag_put_escaped(mem, place, strlen(place));
			fputs(": ", mem);
		}
		fputs(tag, mem);
		fputs(text.msg, mem);
		putc('\n', mem);
		fclose(mem);
	}
	if (buf)
		fwrite(buf, 1, len, stderr);
	else
		fprintf(stderr, "bedrock-ledger: %s\n", text.msg);
	fflush(stderr);
	free(buf);
	diag_clear(&text);
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
