/*
 * json.c - the JSON writer: layout and string escaping.
 */
#include "ledger/support/json.h"

#include <inttypes.h>
#include <string.h>

void json_init(struct json *j, FILE *fp)
{
	memset(j, 0, sizeof *j);
	j->fp = fp;
	j->first[0] = true;
}

static void indent(struct json *j)
{
	fputc('\n', j->fp);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->fp);
}

/* Before a value: a comma and a new line, unless it follows its key. */
static void before_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (!j->first[j->depth])
		fputc(',', j->fp);
	j->first[j->depth] = false;
	indent(j);
}

static void open_level(struct json *j, char c)
{
	before_value(j);
	fputc(c, j->fp);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct json *j, char c)
{
	bool empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->fp);
}

void json_begin_object(struct json *j)
{
	open_level(j, '{');
}

void json_end_object(struct json *j)
{
	close_level(j, '}');
}

void json_begin_array(struct json *j)
{
	open_level(j, '[');
}

void json_end_array(struct json *j)
{
	close_level(j, ']');
}

void json_key(struct json *j, const char *key)
{
	before_value(j);
	json_put_string(j->fp, key, strlen(key));
	fputs(": ", j->fp);
	j->after_key = true;
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t len;
	uint32_t v, min;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

void json_put_string(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', fp);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			fputc('\\', fp);
			fputc(c, fp);
			i++;
		} else if (c == '\n') {
			fputs("\\n", fp), i++;
		} else if (c == '\t') {
			fputs("\\t", fp), i++;
		} else if (c == '\r') {
			fputs("\\r", fp), i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c), i++;
		} else if (c < 0x80) {
			fputc(c, fp), i++;
		} else {
			uint32_t cp;
			size_t len = utf8_len(p + i, n - i, &cp);
			if (!len) {
				fputs("\\ufffd", fp); /* not UTF-8: the replacement character */
				i++;
			} else if (cp == 0x2028 || cp == 0x2029) {
				fprintf(fp, "\\u%04" PRIx32, cp);
				i += len;
			} else {
				fwrite(p + i, 1, len, fp);
				i += len;
			}
		}
	}
	fputc('"', fp);
}

void json_str(struct json *j, struct str s)
{
	before_value(j);
	json_put_string(j->fp, s.p ? s.p : "", s.n);
}

void json_cstr(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	before_value(j);
	json_put_string(j->fp, s, strlen(s));
}

void json_u64(struct json *j, uint64_t v)
{
	before_value(j);
	fprintf(j->fp, "%" PRIu64, v);
}

void json_counts(struct json *j, const struct json_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_key(j, c[i].key);
		json_u64(j, c[i].n);
	}
}

void json_i64(struct json *j, int64_t v)
{
	before_value(j);
	fprintf(j->fp, "%" PRId64, v);
}

void json_bool(struct json *j, bool v)
{
	before_value(j);
	fputs(v ? "true" : "false", j->fp);
}

void json_null(struct json *j)
{
	before_value(j);
	fputs("null", j->fp);
}

void json_money(struct json *j, money_t v)
{
	char buf[48];
	money_format_usd(v, buf);
	json_cstr(j, buf);
}

void json_decimal(struct json *j, struct decimal d)
{
	char buf[DECIMAL_TEXT_MAX];
	decimal_format(d, 6, buf);
	json_cstr(j, buf);
}

void json_ts(struct json *j, struct ts t)
{
	char buf[21];
	ts_format(t, buf);
	json_cstr(j, buf);
}

int json_finish(struct json *j)
{
	fputc('\n', j->fp);
	return ferror(j->fp) ? -1 : 0;
}
