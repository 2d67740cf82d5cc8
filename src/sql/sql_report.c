/*
 * sql_report.c - the SELECT of each report over the counted records, its
 * columns those of layout.h (the one home of the schema), its cells guarded
 * and quoted as the binary writes them (bedrock-ledger-formats(5), REPORTS).
 */
#include "sql_gen.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/views/layout.h"
#include "ledger/support/xalloc.h"

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
			char col[24];
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
		char col[24];
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
