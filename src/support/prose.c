/*
 * prose.c - labelled paragraphs wrapped at word boundaries, and numbers with
 * thousands separators.
 */
#include "ledger/support/prose.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void prose_init(struct prose *p, FILE *fp, size_t width)
{
	memset(p, 0, sizeof *p);
	p->fp = fp;
	p->width = width < PROSE_MIN_WIDTH ? PROSE_MIN_WIDTH : width;
}

void prose_finish(struct prose *p)
{
	if (p->m)
		fclose(p->m);
	free(p->buf);
	p->m = NULL;
	p->buf = NULL;
}

size_t prose_terminal_width(int fd)
{
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *end;
		unsigned long n = strtoul(c, &end, 10);
		if (!*end && n > 0 && n < 100000)
			return (size_t)n;
	}
	struct winsize ws;
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

FILE *prose_begin(struct prose *p)
{
	if (p->m)
		fclose(p->m);
	free(p->buf);
	p->buf = NULL;
	p->len = 0;
	p->m = open_memstream(&p->buf, &p->len);
	if (!p->m) {
		fputs("bedrock-ledger: out of memory\n", stderr);
		abort();
	}
	return p->m;
}

static void put_label(struct prose *p, const char *label, size_t *used)
{
	fprintf(p->fp, "%-*s ", PROSE_LABEL - 1, label);
	size_t n = strlen(label) + 1;
	*used = n > PROSE_LABEL ? n - PROSE_LABEL : 0; /* a long label eats into the line */
}

/* Words of text[0, n) after the label, a new line where the next would pass the width. */
static void wrap(struct prose *p, const char *label, size_t extra, const char *text, size_t n)
{
	size_t indent = PROSE_LABEL + extra;
	if (indent + 20 > p->width)
		indent = PROSE_LABEL;
	size_t avail = p->width - PROSE_LABEL, used;
	put_label(p, label, &used);
	bool line_start = true;
	for (size_t i = 0; i < n;) {
		if (text[i] == ' ') {
			i++;
			continue;
		}
		bool asked = text[i] == '\n'; /* a break the paragraph asks for */
		size_t w = i;
		while (w < n && text[w] != ' ' && text[w] != '\n')
			w++;
		size_t len = w - i;
		if (asked || (!line_start && used + 1 + len > avail)) {
			fprintf(p->fp, "\n%*s", (int)indent, "");
			avail = p->width - indent;
			used = 0;
			line_start = true;
			if (asked) {
				i++;
				continue;
			}
		} else if (!line_start) {
			putc(' ', p->fp);
			used++;
		}
		fwrite(text + i, 1, len, p->fp);
		used += len;
		line_start = false;
		i = w;
	}
	putc('\n', p->fp);
}

void prose_end(struct prose *p, const char *label, size_t extra)
{
	if (!p->m)
		return;
	fclose(p->m);
	p->m = NULL;
	size_t n = p->len;
	while (n && (p->buf[n - 1] == '\n' || p->buf[n - 1] == ' '))
		n--;
	wrap(p, label, extra, p->buf, n);
}

void prose_printf(struct prose *p, const char *label, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(prose_begin(p), fmt, ap);
	va_end(ap);
	prose_end(p, label, 0);
}

void prose_raw(struct prose *p, const char *label, const char *fmt, ...)
{
	va_list ap;
	fprintf(p->fp, "%-*s ", PROSE_LABEL - 1, label);
	va_start(ap, fmt);
	vfprintf(p->fp, fmt, ap);
	va_end(ap);
	putc('\n', p->fp);
}

void prose_command(struct prose *p, const char *label, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(prose_begin(p), fmt, ap);
	va_end(ap);
	fclose(p->m);
	p->m = NULL;
	size_t used, indent = PROSE_LABEL + 4;
	put_label(p, label, &used);
	fputs("  ", p->fp);
	used += 2;
	size_t avail = p->width - PROSE_LABEL;
	bool line_start = true;
	for (size_t i = 0; i < p->len;) {
		if (p->buf[i] == ' ') {
			i++;
			continue;
		}
		size_t w = i;
		while (w < p->len && p->buf[w] != ' ')
			w++;
		size_t len = w - i;
		/* room for the word and " \" after it */
		if (!line_start && used + 1 + len + 2 > avail) {
			fprintf(p->fp, " \\\n%*s", (int)indent, "");
			avail = p->width - indent;
			used = 0;
		} else if (!line_start) {
			putc(' ', p->fp);
			used++;
		}
		fwrite(p->buf + i, 1, len, p->fp);
		used += len;
		line_start = false;
		i = w;
	}
	putc('\n', p->fp);
}

void prose_group_digits(char *text, size_t cap)
{
	char *d = text + (*text == '-');
	size_t digits = strspn(d, "0123456789");
	size_t commas = digits ? (digits - 1) / 3 : 0;
	size_t len = strlen(text);
	if (!commas || len + commas + 1 > cap)
		return;
	/* from the end: the tail after the digits moves by `commas`, then each group of 3 */
	char *end = text + len;
	memmove(d + digits + commas, d + digits, (size_t)(end - (d + digits)) + 1);
	char *from = d + digits, *to = d + digits + commas;
	for (size_t k = 0; k < digits; k++) {
		*--to = *--from;
		if (k % 3 == 2 && k + 1 < digits)
			*--to = ',';
	}
}

static char *next(struct prose *p)
{
	char *b = p->ring[p->at];
	p->at = (p->at + 1) % PROSE_RING;
	return b;
}

const char *prose_count(struct prose *p, uint64_t v)
{
	char *b = next(p);
	snprintf(b, sizeof p->ring[0], "%llu", (unsigned long long)v);
	prose_group_digits(b, sizeof p->ring[0]);
	return b;
}

const char *prose_usd(struct prose *p, money_t m)
{
	char *b = next(p);
	money_format_usd(m, b);
	prose_group_digits(b, sizeof p->ring[0]);
	return b;
}

const char *prose_decimal(struct prose *p, struct decimal d)
{
	char *b = next(p);
	char text[DECIMAL_TEXT_MAX];
	decimal_format(d, 6, text);
	snprintf(b, sizeof p->ring[0], "%s", text);
	prose_group_digits(b, sizeof p->ring[0]);
	return b;
}
