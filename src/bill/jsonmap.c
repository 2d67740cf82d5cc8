/*
 * jsonmap.c - a small strict JSON reader for map cells: validates the whole
 * object and decodes one string. yajl would do, but a handle per cell (or
 * its reset) costs more than the cell; these cells are short and flat.
 */
#include "ledger/bill/jsonmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ledger/support/xalloc.h"

#define MAX_DEPTH 64

struct parser {
	const char *p, *end;
	int depth;
};

static void skip_ws(struct parser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int read_hex4(struct parser *j, unsigned *out)
{
	if (j->end - j->p < 4)
		return -1;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hex(j->p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (unsigned)h;
	}
	j->p += 4;
	*out = v;
	return 0;
}

static size_t put_utf8(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* After a backslash: one escape; its bytes go to out (when not NULL). */
static int read_escape(struct parser *j, char *out, size_t *n)
{
	if (j->p == j->end)
		return -1;
	char c = *j->p++;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = memchr(from, c, sizeof from - 1);
	if (k) {
		if (out)
			out[*n] = to[k - from];
		++*n;
		return 0;
	}
	if (c != 'u')
		return -1;
	unsigned cp;
	if (read_hex4(j, &cp))
		return -1;
	if (cp >= 0xd800 && cp < 0xdc00 && j->end - j->p >= 6 && j->p[0] == '\\' &&
	    j->p[1] == 'u') {
		struct parser save = *j;
		unsigned lo;
		j->p += 2;
		if (read_hex4(j, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000)
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		else
			*j = save;
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd; /* a lone surrogate */
	char tmp[4];
	size_t k2 = put_utf8(cp, out ? out + *n : tmp);
	*n += k2;
	return 0;
}

/*
 * A string at j->p (its opening quote); decoded into out when not NULL (the
 * caller gives room for the raw length: decoding never grows a string).
 */
static int read_string(struct parser *j, char *out, size_t *len)
{
	if (j->p == j->end || *j->p != '"')
		return -1;
	j->p++;
	size_t n = 0;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"') {
			*len = n;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (read_escape(j, out, &n))
				return -1;
			continue;
		}
		if (out)
			out[n] = (char)c;
		n++;
	}
	return -1;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int read_digits(struct parser *j)
{
	const char *start = j->p;
	while (j->p < j->end && is_digit(*j->p))
		j->p++;
	return j->p > start ? 0 : -1;
}

static int read_number(struct parser *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (read_digits(j))
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (read_digits(j))
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (read_digits(j))
			return -1;
	}
	return 0;
}

static int read_word(struct parser *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int read_value(struct parser *j);

/* An object or array at j->p; `close` is '}' or ']'. */
static int read_container(struct parser *j, char close)
{
	if (++j->depth > MAX_DEPTH)
		return -1;
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			size_t n;
			if (read_string(j, NULL, &n))
				return -1;
			skip_ws(j);
			if (j->p == j->end || *j->p++ != ':')
				return -1;
		}
		if (read_value(j))
			return -1;
		skip_ws(j);
		if (j->p == j->end)
			return -1;
		char c = *j->p++;
		if (c == close) {
			j->depth--;
			return 0;
		}
		if (c != ',')
			return -1;
		skip_ws(j);
	}
}

static int read_value(struct parser *j)
{
	skip_ws(j);
	if (j->p == j->end)
		return -1;
	switch (*j->p) {
	case '"': {
		size_t n;
		return read_string(j, NULL, &n);
	}
	case '{':
		return read_container(j, '}');
	case '[':
		return read_container(j, ']');
	case 't':
		return read_word(j, "true");
	case 'f':
		return read_word(j, "false");
	case 'n':
		return read_word(j, "null");
	default:
		return read_number(j);
	}
}

/* Does the key string at j->p decode to `key`? Reads it either way. */
static int key_matches(struct parser *j, const char *key, bool *match)
{
	size_t want = strlen(key);
	const char *start = j->p;
	size_t n;
	if (read_string(j, NULL, &n))
		return -1;
	*match = false;
	if (n != want)
		return 0;
	/* decode again into a buffer of the raw length */
	size_t raw = (size_t)(j->p - start);
	char small[128];
	if (raw > sizeof small)
		return 0; /* a key this long cannot be one we look for after decoding to want bytes
			   */
	struct parser again = { start, j->p, 0 };
	read_string(&again, small, &n);
	*match = memcmp(small, key, want) == 0;
	return 0;
}

enum jsonmap_result jsonmap_get(struct str cell, const char *key, struct jsonmap_buf *buf,
				struct str *value)
{
	struct parser j = { cell.p, cell.p + cell.n, 1 };
	skip_ws(&j);
	if (j.p == j.end)
		return JSONMAP_ABSENT;
	if (*j.p != '{')
		return JSONMAP_INVALID;
	j.p++;
	bool found = false;
	const char *found_at = NULL;
	skip_ws(&j);
	if (j.p < j.end && *j.p == '}') {
		j.p++;
	} else {
		for (;;) {
			bool match;
			if (key_matches(&j, key, &match))
				return JSONMAP_INVALID;
			skip_ws(&j);
			if (j.p == j.end || *j.p++ != ':')
				return JSONMAP_INVALID;
			skip_ws(&j);
			if (match && !found) {
				found = true;
				found_at = j.p;
			}
			if (read_value(&j))
				return JSONMAP_INVALID;
			skip_ws(&j);
			if (j.p == j.end)
				return JSONMAP_INVALID;
			char c = *j.p++;
			if (c == '}')
				break;
			if (c != ',')
				return JSONMAP_INVALID;
			skip_ws(&j);
		}
	}
	skip_ws(&j);
	if (j.p != j.end)
		return JSONMAP_INVALID;
	if (!found || *found_at != '"')
		return JSONMAP_ABSENT;
	struct parser v = { found_at, cell.p + cell.n, 0 };
	size_t need = cell.n;
	if (buf->cap < need) {
		buf->cap = need < 64 ? 64 : 2 * need;
		buf->p = xrealloc(buf->p, buf->cap);
	}
	size_t n;
	read_string(&v, buf->p, &n);
	*value = (struct str){ buf->p, n };
	return JSONMAP_FOUND;
}
