/*
 * sql_tables.c - the tables a script inlines (bedrock-ledger(1), SQL): the
 * price table and the manifests as the CTEs ledger_prices and
 * ledger_manifest, and the regions of the geography table.
 */
#include "sql_gen.h"

#include <inttypes.h>
#include <string.h>

#include "ledger/price/modelid.h"

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
