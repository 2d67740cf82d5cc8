/*
 * escape.c - HTML escaping: one byte at a time, runs of plain bytes at once.
 */
#include "ledger/support/escape.h"

static const char *replacement(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	case '\t':
	case '\n':
		return NULL;
	default:
		return c < 0x20 || c == 0x7f ? "&#xFFFD;" : NULL;
	}
}

void escape_html(FILE *fp, const char *s, size_t n)
{
	size_t plain = 0;
	for (size_t i = 0; i < n; i++) {
		const char *r = replacement((unsigned char)s[i]);
		if (!r)
			continue;
		fwrite(s + plain, 1, i - plain, fp);
		fputs(r, fp);
		plain = i + 1;
	}
	fwrite(s + plain, 1, n - plain, fp);
}
