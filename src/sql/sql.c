/*
 * sql.c - the script writer, the inlined tables and the query that both
 * dialects run (bedrock-ledger(1), SQL).
 */
#include "sql_gen.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/window.h"
#include "ledger/views/layout.h"
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

/* ---- the inlined tables ---- */

/*
 * DuckDB reads them from VALUES rows. Trino's planner rewrites every cell of
 * a VALUES again and again (the built-in price table, a few hundred rows,
 * took it past its three-minute limit), so athena reads them from one JSON
 * string literal, an array of rows of strings and nulls, cast to
 * ARRAY(ARRAY(VARCHAR)) and unnested: column k is r[k] there, ck here.
 */
static bool json_rows(const struct sqlw *w)
{
	return w->o->dialect == SQL_ATHENA;
}

static void put_col(struct sqlw *w, size_t k)
{
	fprintf(w->f, json_rows(w) ? "r[%zu]" : "c%zu", k);
}

static void put_rows_begin(struct sqlw *w)
{
	sqlw_put(w, json_rows(w) ? "  FROM UNNEST(CAST(json_parse('[\n" : "  FROM (VALUES\n");
}

static void put_row_begin(struct sqlw *w, bool first)
{
	fprintf(w->f, "    %s%c", first ? " " : ",", json_rows(w) ? '[' : '(');
}

static void put_row_end(struct sqlw *w)
{
	fputs(json_rows(w) ? "]\n" : ")\n", w->f);
}

static void put_rows_end(struct sqlw *w, size_t ncols)
{
	if (json_rows(w)) {
		sqlw_put(w, "  ]') AS ARRAY(ARRAY(VARCHAR)))) AS v(r)");
		return;
	}
	sqlw_put(w, "  ) AS v(");
	for (size_t k = 1; k <= ncols; k++)
		fprintf(w->f, "%sc%zu", k > 1 ? ", " : "", k);
	sqlw_put(w, ")");
}

/* A text cell (s NULL: null). As JSON, in the SQL literal: ' doubled. */
static void put_text(struct sqlw *w, bool first, const char *s, size_t n)
{
	if (!first)
		fputs(", ", w->f);
	if (!s) {
		fputs(json_rows(w) ? "null" : "NULL", w->f);
		return;
	}
	if (!json_rows(w)) {
		sqlw_lit(w, s, n);
		return;
	}
	putc('"', w->f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(w->f, "\\%c", c);
		else if (c < 0x20)
			fprintf(w->f, "\\u%04x", c);
		else if (c == '\'')
			fputs("''", w->f);
		else
			putc(c, w->f);
	}
	putc('"', w->f);
}

/* A number cell: bare in VALUES, a string in JSON (cast exactly by the SELECT). */
static void put_num(struct sqlw *w, bool first, bool has, const char *digits)
{
	if (!first)
		fputs(", ", w->f);
	if (!has)
		fputs(json_rows(w) ? "null" : "NULL", w->f);
	else
		fprintf(w->f, json_rows(w) ? "\"%s\"" : "%s", digits);
}

static void put_u64(struct sqlw *w, bool first, bool has, uint64_t v)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%" PRIu64, v);
	put_num(w, first, has, digits);
}

/* An instant as a cell: nanoseconds since the epoch (a DECIMAL(38,0) in VALUES). */
static void put_tsn(struct sqlw *w, bool has, struct ts t)
{
	if (!has || json_rows(w)) {
		char digits[48] = "";
		if (has)
			sql_tsn_text(t, digits);
		put_num(w, false, has, digits);
		return;
	}
	fputs(", ", w->f);
	sqlw_tsn(w, t);
}

void sql_put_prices(struct sqlw *w)
{
	static const char *const select[] = {
		"  SELECT CAST(",
		" AS BIGINT) AS pid, CAST(",
		" AS VARCHAR) AS model_id,\n    CAST(",
		" AS VARCHAR) AS region, CAST(",
		" AS VARCHAR) AS tier,\n    CAST(",
		" AS DECIMAL(20,0)) AS context_over,\n    CAST(",
		" AS DECIMAL(38,0)) AS valid_from, CAST(",
		" AS DECIMAL(38,0)) AS valid_to,\n    CAST(",
		" AS DECIMAL(20,0)) AS p_in, CAST(",
		" AS DECIMAL(20,0)) AS p_out,\n    CAST(",
		" AS DECIMAL(20,0)) AS p_cr, CAST(",
		" AS DECIMAL(20,0)) AS p_cw,\n    CAST(",
		" AS DECIMAL(20,0)) AS p_1h\n",
	};
	const struct price_table *t = w->o->prices;
	size_t n = prices_count(t);
	sqlw_put(w, "ledger_prices AS (\n");
	for (size_t k = 0; k < 12; k++) {
		sqlw_put(w, select[k]);
		put_col(w, k + 1);
	}
	sqlw_put(w, select[12]);
	put_rows_begin(w);
	/* prices are nano-USD per million tokens: tokens x price is in 1e-15 USD */
	for (size_t i = 0; i < n || (i == 0 && !json_rows(w)); i++) {
		const struct price_row *r = n ? prices_row_at(t, i) : NULL;
		put_row_begin(w, i == 0);
		put_u64(w, true, true, i);
		if (!r) { /* VALUES has a row, taken out below */
			for (int k = 0; k < 11; k++)
				put_num(w, false, false, NULL);
			put_row_end(w);
			break;
		}
		put_text(w, false, r->model.p, r->model.n);
		put_text(w, false, r->region.p, r->region.n);
		put_text(w, false, r->tier.p, r->tier.n);
		put_u64(w, false, true, r->context_over);
		put_tsn(w, r->has_from, r->valid_from);
		put_tsn(w, r->has_to, r->valid_to);
		for (int k = 0; k < TOKEN_KINDS; k++)
			put_u64(w, false, r->price.has[k], r->price.nanos[k]);
		put_row_end(w);
	}
	put_rows_end(w, 12);
	if (!n && !json_rows(w))
		sqlw_put(w, "\n  WHERE c1 IS NULL AND c1 IS NOT NULL");
	sqlw_put(w, "\n)");
}

void sql_put_manifest(struct sqlw *w)
{
	const struct manifest *m = w->o->manifest;
	const struct group_by *g = w->o->group_by;
	size_t n = m ? manifest_count(m) : 0;
	sqlw_put(w, "ledger_manifest AS (\n  SELECT CAST(");
	put_col(w, 1);
	sqlw_put(w, " AS VARCHAR) AS arn, CAST(");
	put_col(w, 2);
	sqlw_put(w, " AS VARCHAR) AS model_id");
	for (size_t k = 0; k < g->ntags; k++) {
		sqlw_put(w, ",\n    CAST(");
		put_col(w, k + 3);
		sqlw_printf(w, " AS VARCHAR) AS t_%zu", k);
	}
	sqlw_put(w, "\n");
	put_rows_begin(w);
	for (size_t i = 0; i < n || (i == 0 && !json_rows(w)); i++) {
		const struct manifest_entry *e = n ? manifest_entry_at(m, i) : NULL;
		const char *model = e && e->model_id && *e->model_id ? e->model_id : NULL;
		put_row_begin(w, i == 0);
		put_text(w, true, e ? e->arn : NULL, e ? strlen(e->arn) : 0);
		put_text(w, false, model, model ? strlen(model) : 0);
		for (size_t k = 0; k < g->ntags; k++) {
			const char *tag = e ? manifest_tag(m, e, g->tags[k]) : NULL;
			put_text(w, false, tag, tag ? strlen(tag) : 0);
		}
		put_row_end(w);
	}
	put_rows_end(w, 2 + g->ntags);
	if (!n && !json_rows(w))
		sqlw_put(w, "\n  WHERE c1 IS NOT NULL");
	sqlw_put(w, "\n)");
}

void sql_put_regions(struct sqlw *w, const char *sep)
{
	/* each region once, in table order */
	struct modelid_geo g, h;
	bool first = true;
	for (size_t i = 0; modelid_geo_at(i, &g); i++) {
		for (size_t r = 0; g.regions[r]; r++) {
			bool seen = false;
			for (size_t j = 0; j <= i && !seen && modelid_geo_at(j, &h); j++)
				for (size_t s = 0; h.regions[s] && !seen; s++)
					seen = (j < i || s < r) &&
					       strcmp(h.regions[s], g.regions[r]) == 0;
			if (seen)
				continue;
			sqlw_printf(w, "%s%s", first ? "" : sep, g.regions[r]);
			first = false;
		}
	}
}

/* ---- the reports ---- */

const char *const sql_report_files[SQL_REPORTS] = {
	[SQL_APP_DAY] = "app_day.csv",
	[SQL_CALLER] = "caller.csv",
	[SQL_UNRESOLVED] = "unresolved.csv",
};

/*
 * How the script computes each value column of the reports; which columns a
 * report has, and in which order, is layout.h's (the one home of the
 * schema).
 */
static const struct value_column {
	const char *header;
	const char *column; /* of ledger_v */
	bool number;	    /* text in a line only after a CAST */
} value_columns[] = {
	{ "invocations", "n_inv", true },
	{ "errors", "n_err", true },
	{ "input_tokens", "s_in", true },
	{ "output_tokens", "s_out", true },
	{ "cache_read_tokens", "s_cr", true },
	{ "cache_write_tokens", "s_cw", true },
	{ "cache_write_1h_tokens", "s_1h", true },
	{ "cost_usd", "cost_usd", false },
	{ "unpriced", "n_unp", true },
	{ "first_seen", "first_seen", false },
	{ "last_seen", "last_seen", false },
};

static const enum layout_id report_layout[SQL_REPORTS] = {
	[SQL_APP_DAY] = LAYOUT_APP_DAY,
	[SQL_CALLER] = LAYOUT_CALLER,
	[SQL_UNRESOLVED] = LAYOUT_UNRESOLVED,
};

/* The columns of a report: its keys as expressions over the records, then its values. */
struct report_keys {
	const char *expr[64];
	const char *header[64];
	size_t n;
	const struct value_column *values[LAYOUT_VALUES_MAX];
	size_t nvalues;
};

/* The records' column that a key field is, in the view of the counted records. */
static const char *key_expr(enum field_id f)
{
	switch (f) {
	case FIELD_DAY:
		return "day";
	case FIELD_MODEL:
		return "model";
	case FIELD_CALLER_KEY:
		return "caller_key";
	case FIELD_ACCOUNT_ID:
		return "account_id";
	case FIELD_ROUTE:
		return "route";
	case FIELD_PROBLEM_MODEL:
		return "problem_model";
	case FIELD_PROBLEM:
		return "problem";
	case FIELD_DETAIL:
		return "detail";
	default:
		abort(); /* a report keyed by a field the script does not compute */
	}
}

static const struct value_column *value_column_of(const char *header)
{
	for (size_t v = 0; v < sizeof value_columns / sizeof *value_columns; v++)
		if (strcmp(value_columns[v].header, header) == 0)
			return &value_columns[v];
	abort(); /* a report column the script does not compute */
}

static void report_keys(const struct sqlw *w, enum sql_report r, struct report_keys *k,
			char names[][16])
{
	struct layout_plan *plan = layout_plan_create(w->o->group_by, false);
	const struct plan_report *pr = &plan->reports[report_layout[r]];
	k->n = 0;
	for (size_t i = 0; i < pr->ncols && k->n < 64; i++, k->n++) {
		const struct plan_column *c = &pr->cols[i];
		if (c->group)
			snprintf(names[k->n], 16, "g_%zu", c->group_index);
		k->expr[k->n] = c->group ? names[k->n] : key_expr(c->ref.id);
		k->header[k->n] = c->header; /* borrowed from the -g items or layout.c's table */
	}
	const char *values[LAYOUT_VALUES_MAX];
	k->nvalues = layout_value_headers(pr, values);
	for (size_t v = 0; v < k->nvalues; v++)
		k->values[v] = value_column_of(values[v]);
	layout_plan_destroy(plan);
}

/* bedrock-ledger-formats(5), REPORTS's formula guard on column col. */
static void put_guard(struct sqlw *w, const char *col)
{
	sqlw_printf(w,
		    "CASE WHEN substr(%s, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' "
		    "|| %s ELSE %s END",
		    col, col, col);
}

/* RFC 4180 quoting of the guarded cell, only when needed (as libcsv writes it). */
static void put_cell(struct sqlw *w, const char *col)
{
	sqlw_printf(
	    w,
	    "CASE WHEN strpos(%s, ',') > 0 OR strpos(%s, '\"') > 0 OR strpos(%s, chr(10)) > 0"
	    " OR strpos(%s, chr(13)) > 0 THEN '\"' || replace(",
	    col, col, col, col);
	put_guard(w, col);
	sqlw_put(w, ", '\"', '\"\"') || '\"' ELSE ");
	put_guard(w, col);
	sqlw_put(w, " END");
}

/* Appends header h to line[*n], escaped as the binary escapes its cells. */
static void add_header_cell(char *line, size_t *n, const char *h)
{
	if (*n)
		line[(*n)++] = ',';
	bool quote = strpbrk(h, ",\"\n\r") != NULL;
	if (quote)
		line[(*n)++] = '"';
	if (h[0] && strchr("=+-@\t\r", h[0]))
		line[(*n)++] = '\'';
	for (const char *p = h; *p; p++) {
		if (*p == '"')
			line[(*n)++] = '"';
		line[(*n)++] = *p;
	}
	if (quote)
		line[(*n)++] = '"';
}

/* The header line as the binary writes it. */
static void put_header_line(struct sqlw *w, const struct report_keys *k)
{
	size_t cap = 256, n = 0;
	for (size_t i = 0; i < k->n; i++)
		cap += 3 * strlen(k->header[i]) + 4;
	char *line = xmalloc(cap);
	for (size_t i = 0; i < k->n; i++)
		add_header_cell(line, &n, k->header[i]);
	for (size_t v = 0; v < k->nvalues; v++)
		add_header_cell(line, &n, k->values[v]->header);
	sqlw_lit(w, line, n);
	free(line);
}

/* Quotes a header as an SQL identifier. */
static void put_ident(struct sqlw *w, const char *h)
{
	putc('"', w->f);
	for (const char *p = h; *p; p++) {
		if (*p == '"')
			putc('"', w->f);
		putc(*p, w->f);
	}
	putc('"', w->f);
}

static void put_aggregate(struct sqlw *w, enum sql_report r, const struct report_keys *k,
			  const char *from)
{
	sqlw_put(w, "    SELECT ");
	for (size_t i = 0; i < k->n; i++)
		sqlw_printf(w, "%s AS k_%zu, ", k->expr[i], i);
	sqlw_put(
	    w, "count(*) AS n_inv, sum(CASE WHEN is_error THEN 1 ELSE 0 END) AS n_err,\n"
	       "      sum(tin) AS s_in, sum(tout) AS s_out, sum(tcr) AS s_cr, sum(tcw) AS "
	       "s_cw, sum(h1) AS s_1h,\n"
	       "      sum(CASE WHEN unpriced THEN 1 ELSE 0 END) AS n_unp, sum(cost) + 500000000 AS "
	       "s_cost,\n"
	       "      min(ts_str) AS first_seen, max(ts_str) AS last_seen\n");
	sqlw_printf(w, "    FROM %s\n", from);
	if (r == SQL_UNRESOLVED)
		sqlw_put(w, "    WHERE problem <> ''\n");
	sqlw_put(w, "    GROUP BY ");
	for (size_t i = 0; i < k->n; i++)
		sqlw_printf(w, "%s%s", i ? ", " : "", k->expr[i]);
	/*
	 * costs: femto-USD, rounded half up to micro-USD once per row
	 * (bedrock-ledger-formats(5), MONEY), by cutting digits off the exact sum + 5e8: no
	 * division, which Trino would round and DuckDB would do in DOUBLE
	 */
	sqlw_put(w, "\n  ), ledger_u AS (\n"
		    "    SELECT a.*, CASE WHEN length(CAST(s_cost AS VARCHAR)) < 16 THEN "
		    "lpad(CAST(s_cost AS VARCHAR), 16, '0')\n"
		    "      ELSE CAST(s_cost AS VARCHAR) END AS c_txt\n"
		    "    FROM ledger_a a\n"
		    "  ), ledger_v AS (\n"
		    "    SELECT u.*,\n"
		    "      CASE WHEN n_unp = n_inv THEN '' ELSE\n"
		    "        CAST(CAST(substr(c_txt, 1, length(c_txt) - 15) AS DECIMAL(38,0)) AS "
		    "VARCHAR) || '.'\n"
		    "        || substr(c_txt, length(c_txt) - 14, 6) END AS cost_usd\n"
		    "    FROM ledger_u u\n  )\n");
}

void sql_put_report(struct sqlw *w, enum sql_report r, const char *from, bool as_lines)
{
	char names[64][16];
	struct report_keys k;
	report_keys(w, r, &k, names);
	sqlw_put(w, "WITH ledger_a AS (\n");
	put_aggregate(w, r, &k, from);
	if (as_lines) {
		sqlw_put(w, "SELECT line FROM (\n  SELECT 0 AS o, ");
		put_header_line(w, &k);
		sqlw_put(w, " AS line");
		for (size_t i = 0; i < k.n; i++)
			sqlw_printf(w, ", CAST(NULL AS VARCHAR) AS k_%zu", i);
		sqlw_put(w, "\n  UNION ALL\n  SELECT 1 AS o,\n    ");
		for (size_t i = 0; i < k.n; i++) {
			char col[16];
			snprintf(col, sizeof col, "k_%zu", i);
			if (i)
				sqlw_put(w, " || ',' ||\n    ");
			put_cell(w, col);
		}
		for (size_t v = 0; v < k.nvalues; v++)
			sqlw_printf(w,
				    k.values[v]->number ? "\n    || ',' || CAST(%s AS VARCHAR)"
							: "\n    || ',' || %s",
				    k.values[v]->column);
		sqlw_put(w, " AS line");
		for (size_t i = 0; i < k.n; i++)
			sqlw_printf(w, ", k_%zu", i);
		sqlw_put(w, "\n  FROM ledger_v\n) AS lines\nORDER BY o");
		for (size_t i = 0; i < k.n; i++)
			sqlw_printf(w, ", k_%zu", i);
		return;
	}
	sqlw_put(w, "SELECT\n");
	for (size_t i = 0; i < k.n; i++) {
		char col[16];
		snprintf(col, sizeof col, "k_%zu", i);
		sqlw_put(w, i ? ",\n  " : "  ");
		put_guard(w, col);
		sqlw_put(w, " AS ");
		put_ident(w, k.header[i]);
	}
	for (size_t v = 0; v < k.nvalues; v++) {
		sqlw_printf(w, ",\n  %s AS ", k.values[v]->column);
		put_ident(w, k.values[v]->header);
	}
	sqlw_put(w, "\nFROM ledger_v\nORDER BY ");
	for (size_t i = 0; i < k.n; i++)
		sqlw_printf(w, "%sk_%zu", i ? ", " : "", i);
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
