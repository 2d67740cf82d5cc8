/*
 * json.c - the byte buffer, the JSON of the state's text columns (written
 * and read back exactly, any byte included), and the checksums.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"
#include "state_int.h"

void sbuf_put(struct sbuf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->n + n + 1 > cap)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void sbuf_ch(struct sbuf *b, char c)
{
	sbuf_put(b, &c, 1);
}

void sbuf_cstr(struct sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void sbuf_u64(struct sbuf *b, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sbuf_put(b, tmp + i, sizeof tmp - i);
}

void sbuf_u64_short(struct sbuf *b, uint64_t v)
{
	unsigned e = 0;
	uint64_t m = v;
	while (m && m % 10 == 0) { /* 3000000000000 as 3e12: the same JSON number */
		m /= 10;
		e++;
	}
	if (e < 3) { /* not shorter */
		sbuf_u64(b, v);
		return;
	}
	sbuf_u64(b, m);
	sbuf_ch(b, 'e');
	sbuf_u64(b, e);
}

void sbuf_i64(struct sbuf *b, int64_t v)
{
	if (v < 0) {
		sbuf_ch(b, '-');
		sbuf_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		sbuf_u64(b, (uint64_t)v);
	}
}

void sbuf_jstr(struct sbuf *b, struct str s)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_ch(b, '"');
	size_t start = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sbuf_put(b, s.p + start, i - start);
		start = i + 1;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			sbuf_put(b, e, 2);
		} else {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sbuf_put(b, e, 6);
		}
	}
	sbuf_put(b, s.p + start, s.n - start);
	sbuf_ch(b, '"');
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* ---- reading ---- */

static void blanks(struct jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

bool jr_is(struct jr *r, char c)
{
	blanks(r);
	return r->p < r->end && *r->p == c;
}

bool jr_ch(struct jr *r, char c)
{
	if (!jr_is(r, c))
		return false;
	r->p++;
	return true;
}

bool jr_u64(struct jr *r, uint64_t *v)
{
	blanks(r);
	const char *s = r->p;
	uint64_t x = 0;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		unsigned d = (unsigned)(*r->p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		r->p++;
	}
	if (r->p == s || (r->p - s > 1 && *s == '0'))
		return false;
	*v = x;
	return true;
}

bool jr_i64(struct jr *r, int64_t *v)
{
	bool neg = jr_ch(r, '-');
	uint64_t x;
	if (!jr_u64(r, &x) || x > (uint64_t)INT64_MAX + neg)
		return false;
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_u4(struct jr *r, unsigned *u)
{
	if (r->end - r->p < 4)
		return false;
	*u = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(r->p[i]);
		if (h < 0)
			return false;
		*u = *u << 4 | (unsigned)h;
	}
	r->p += 4;
	return true;
}

static void put_utf8(struct sbuf *out, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sbuf_put(out, u, n);
}

/* After a backslash: one escape. */
static bool read_escape(struct jr *r, struct sbuf *out)
{
	if (r->p >= r->end)
		return false;
	char c = *r->p++;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = c ? strchr(from, c) : NULL;
	if (k) {
		sbuf_ch(out, to[k - from]);
		return true;
	}
	unsigned cp, lo;
	if (c != 'u' || !read_u4(r, &cp))
		return false;
	if (cp >= 0xd800 && cp < 0xdc00 && r->end - r->p >= 6 && r->p[0] == '\\' &&
	    r->p[1] == 'u') {
		struct jr save = *r;
		r->p += 2;
		if (read_u4(r, &lo) && lo >= 0xdc00 && lo < 0xe000)
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		else
			*r = save;
	}
	put_utf8(out, cp);
	return true;
}

bool jr_str(struct jr *r, struct sbuf *out)
{
	if (!jr_ch(r, '"'))
		return false;
	const char *start = r->p;
	while (r->p < r->end) {
		char c = *r->p;
		if (c == '"') {
			sbuf_put(out, start, (size_t)(r->p - start));
			r->p++;
			return true;
		}
		if (c == '\\') {
			sbuf_put(out, start, (size_t)(r->p - start));
			r->p++;
			if (!read_escape(r, out))
				return false;
			start = r->p;
			continue;
		}
		r->p++;
	}
	return false;
}

bool jr_end(struct jr *r)
{
	blanks(r);
	return r->p == r->end;
}

/* ---- checksums ---- */

uint64_t sum_u64(uint64_t h, uint64_t v)
{
	unsigned char le[8];
	for (int i = 0; i < 8; i++, v >>= 8)
		le[i] = (unsigned char)v;
	return table_hash_add(h, le, 8);
}

uint64_t sum_str(uint64_t h, struct str s)
{
	return table_hash_add(h, s.p, s.n);
}

uint64_t state_block_sum(uint64_t h, uint64_t ord, struct str cells, struct str ids)
{
	return sum_str(sum_str(sum_u64(h, ord), cells), ids);
}
