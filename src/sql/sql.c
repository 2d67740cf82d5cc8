/*
 * sql.c - the script writer that every part of a script goes through, its
 * literals, the preamble, and the time window as hour folders
 * (bedrock-ledger(1), SQL).
 */
#include "sql_gen.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/window.h"
#include "ledger/support/xalloc.h"

void sqlw_put(struct sqlw *w, const char *text)
{
	bool duck = w->o->dialect == SQL_DUCKDB;
	for (const char *p = text; *p;) {
		const char *at = strchr(p, '@');
		if (!at) {
			fputs(p, w->f);
			return;
		}
		fwrite(p, 1, (size_t)(at - p), w->f);
		if (strncmp(at, "@RE(", 4) == 0) {
			fputs(duck ? "regexp_matches(" : "regexp_like(", w->f);
			p = at + 4;
		} else if (strncmp(at, "@DIV", 4) == 0) {
			fputs(duck ? "//" : "/", w->f);
			p = at + 4;
		} else {
			putc('@', w->f);
			p = at + 1;
		}
	}
}

void sqlw_printf(struct sqlw *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *buf = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sqlw_put(w, buf);
	free(buf);
}

void sqlw_lit(struct sqlw *w, const char *s, size_t n)
{
	putc('\'', w->f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			putc('\'', w->f);
		putc(s[i], w->f);
	}
	putc('\'', w->f);
}

void sqlw_lit2(struct sqlw *w, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = xmalloc(na + nb + 1);
	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	sqlw_lit(w, s, na + nb);
	free(s);
}

void sqlw_cstr(struct sqlw *w, const char *s)
{
	if (s)
		sqlw_lit(w, s, strlen(s));
	else
		fputs("NULL", w->f);
}

void sql_tsn_text(struct ts t, char out[48])
{
	/* sec * 10^9 + nsec, written out exactly: a negative sec borrows a second */
	int64_t sec = t.sec;
	int64_t ns = t.nsec;
	if (sec < 0 && ns > 0) {
		sec += 1;
		ns = 1000000000 - ns;
		snprintf(out, 48, "-%" PRId64 "%09" PRId64, -sec, ns);
	} else if (sec < 0) {
		snprintf(out, 48, "-%" PRId64 "000000000", -sec);
	} else {
		snprintf(out, 48, "%" PRId64 "%09" PRId64, sec, ns);
	}
}

void sqlw_tsn(struct sqlw *w, struct ts t)
{
	char digits[48];
	sql_tsn_text(t, digits);
	fprintf(w->f, "CAST('%s' AS DECIMAL(38,0))", digits);
}

char *sql_dir(const char *path)
{
	/* one '/' at the end: the engines name files below "d//" as "d/..." */
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/' && path[n - 2] == '/')
		n--;
	char *dir = xmalloc(n + 2);
	memcpy(dir, path, n);
	dir[n] = '\0';
	if (!n || dir[n - 1] != '/')
		memcpy(dir + n, "/", 2);
	return dir;
}

void sql_put_preamble(struct sqlw *w, const char *extra)
{
	sqlw_put(w, "-- bedrock-ledger sql: app_day.csv, caller.csv and unresolved.csv of the\n"
		    "-- Bedrock model-invocation logs at LOCATION, with the rules of the program\n"
		    "-- (man bedrock-ledger: sections RECORDS, ATTRIBUTION, PRICES, REPORTS and\n"
		    "-- SQL): the routes, the manifests and the price table below are inlined;\n"
		    "-- costs are exact decimals rounded half up to 6 places once per report row.\n"
		    "--\n"
		    "-- What SQL cannot do as the binary does:\n"
		    "--  * archives (tar, zip, compressed tars) are not read, nor files named\n"
		    "--    other than *.json, *.jsonl, *.json.gz, *.jsonl.gz, *.gz;\n"
		    "--  * gzip is recognised by the name, not by its magic bytes;\n"
		    "--  * line-level rejects: a line that is not one JSON object (invalid-json,\n"
		    "--    too-large, not-an-object) is skipped by the reader, and nothing lists\n"
		    "--    it: there is no rejects.csv; records with a missing or bad timestamp,\n"
		    "--    modelId or token count are left out as the binary leaves them out;\n"
		    "--  * no sources.csv (which objects were read, skipped and why);\n"
		    "--  * JSON documents (records pretty-printed over several lines), CloudWatch\n"
		    "--    export prefixes and permission lines, and get-log-events /\n"
		    "--    filter-log-events pages are not taken apart;\n"
		    "--  * a key repeated in one object: the binary keeps the last value, the\n"
		    "--    engine's JSON functions may take the first;\n"
		    "--  * residency.csv, spikes.csv, reconcile.csv and the summary.\n");
	if (extra)
		sqlw_put(w, extra);
	sqlw_put(w, "\n");
}

/* ---- the time window as hour folders (bedrock-ledger-formats(5), WHAT IS READ) ---- */

static void hour_folder(int64_t sec, char out[14])
{
	char full[21];
	ts_format((struct ts){ sec, 0 }, full);
	/* YYYY-MM-DDTHH:MM:SSZ -> YYYY/MM/DD/HH */
	memcpy(out, full, 4);
	out[4] = '/';
	memcpy(out + 5, full + 5, 2);
	out[7] = '/';
	memcpy(out + 8, full + 8, 2);
	out[10] = '/';
	memcpy(out + 11, full + 11, 2);
	out[13] = '\0';
}

void sql_hour_bounds(const struct sql_opts *o, char lo[14], char hi[14])
{
	struct window w = { o->has_since, o->has_until, o->since, o->until };
	bool has_first, has_last;
	struct ts first, last;
	window_hours(&w, &has_first, &first, &has_last, &last);
	lo[0] = hi[0] = '\0';
	if (has_first)
		hour_folder(first.sec, lo);
	if (has_last)
		hour_folder(last.sec, hi);
}

void sql_put_date_ok(struct sqlw *w, const char *y, const char *m, const char *d)
{
	sqlw_printf(
	    w,
	    "(%s BETWEEN 1 AND 12 AND %s >= 1 AND %s <= CASE WHEN %s = 2 THEN (CASE WHEN %s %% 4 = "
	    "0"
	    " AND (%s %% 100 <> 0 OR %s %% 400 = 0) THEN 29 ELSE 28 END) WHEN %s IN (4, 6, 9, 11)"
	    " THEN 30 ELSE 31 END)",
	    m, d, d, m, y, y, y, m);
}
