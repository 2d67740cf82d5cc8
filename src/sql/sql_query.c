/*
 * sql_query.c - the query of bedrock-ledger(1), SQL from ledger_fields to the reports: one
 * text for both dialects (sql_gen.h's markers spell what differs).
 *
 * ledger_fields, written by the dialect, has one row per JSON line:
 *   rid            a unique id of the line
 *   ts_present     `timestamp` present and not null
 *   ts_s           `timestamp` when a string, else NULL
 *   model_s        `modelId` when a string, else NULL
 *   account_id, caller, region_f, operation, inference_region
 *                  the string fields ('' when absent or not strings)
 *   is_error       errorCode is a non-empty string
 *   tok_ok         every token count absent, null or an integer 0..2^53-1
 *   tin, tout, tcr, tcw  the counts (DECIMAL(16,0), 0 when absent or null)
 *   lat_opt        a performanceConfig.latency of bedrock-ledger-formats(5), PRICING is "optimized"
 *   out_tier, in_tier    the serviceTier.type strings of the bodies, or NULL
 *   h1_v           the 1-hour count of the first bedrock-ledger-formats(5), PRICING path present,
 *                  NULL when none is or its value is not a count
 *   m_0 ...        the requestMetadata values of -g meta: keys ('' when none)
 */
#include "sql_gen.h"

#include <inttypes.h>
#include <string.h>

#include "ledger/price/modelid.h"

/* A timestamp of bedrock-ledger-formats(5), WHAT IS READ: the form, then the calendar (checked in
 * ledger_t2). */
static const char ts_form[] = "'\\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)"
			      "?(Z|[+-][0-9]{2}:[0-9]{2})\\z'";

/* ---- the geography and the routes, from modelid.h ---- */

/* "us|us-gov|eu|...": the prefixes without their dots, as a regex alternation. */
static void put_geo_alternation(struct sqlw *w)
{
	struct modelid_geo g;
	for (size_t i = 0; modelid_geo_at(i, &g); i++) {
		if (i)
			putc('|', w->f);
		/* prefixes are lower-case words and '-': nothing to escape */
		fwrite(g.prefix, 1, strlen(g.prefix) - 1, w->f);
	}
}

/* The geographic prefix word of column col ("" when none): bedrock-ledger-formats(5), ROUTES. */
static void put_geo_word(struct sqlw *w, const char *col)
{
	sqlw_printf(w, "coalesce(regexp_extract(%s, '(?s)\\A(", col);
	put_geo_alternation(w);
	sqlw_put(w, ")\\.[^.]+\\..', 1), '')");
}

static void put_pool_case(struct sqlw *w, const char *word)
{
	struct modelid_geo g;
	sqlw_printf(w, "CASE %s", word);
	for (size_t i = 0; modelid_geo_at(i, &g); i++) {
		sqlw_put(w, " WHEN ");
		sqlw_lit(w, g.prefix, strlen(g.prefix) - 1);
		sqlw_put(w, " THEN ");
		sqlw_cstr(w, g.pool);
	}
	sqlw_put(w, " ELSE 'in-region' END");
}

/* The prefixes that pricing does not strip (global.), as a SQL list. */
static void put_kept_prefixes(struct sqlw *w)
{
	struct modelid_geo g;
	bool any = false;
	sqlw_put(w, "(");
	for (size_t i = 0; modelid_geo_at(i, &g); i++) {
		if (g.strip_to_price)
			continue;
		if (any)
			sqlw_put(w, ", ");
		sqlw_lit(w, g.prefix, strlen(g.prefix) - 1);
		any = true;
	}
	if (!any)
		sqlw_put(w, "''");
	sqlw_put(w, ")");
}

static void put_route_case(struct sqlw *w)
{
	sqlw_put(w, "CASE WHEN NOT is_arn THEN (CASE WHEN geo_raw <> '' THEN ");
	sqlw_cstr(w, route_name(ROUTE_SYSTEM_PROFILE));
	sqlw_put(w, " ELSE ");
	sqlw_cstr(w, route_name(ROUTE_FOUNDATION_MODEL));
	sqlw_put(w, " END)");
	for (enum route r = 0; r < ROUTE_COUNT; r++) {
		const char *type = route_arn_type(r);
		if (!type)
			continue;
		sqlw_put(w, "\n      WHEN arest <> '' AND atype = ");
		sqlw_cstr(w, type);
		sqlw_put(w, " THEN ");
		sqlw_cstr(w, route_name(r));
	}
	sqlw_put(w, "\n      ELSE ");
	sqlw_cstr(w, route_name(ROUTE_OTHER));
	sqlw_put(w, " END");
}

/* ledger_t1: the timestamp's parts; missing and malformed timestamps leave. */
static void put_time_parts(struct sqlw *w)
{
	sqlw_put(w, "ledger_t1 AS (\n  SELECT f.*,\n"
		    "    TRY_CAST(substr(ts_s, 1, 4) AS BIGINT) AS ty, TRY_CAST(substr(ts_s, 6, 2) "
		    "AS BIGINT) AS tmo,\n"
		    "    TRY_CAST(substr(ts_s, 9, 2) AS BIGINT) AS td, TRY_CAST(substr(ts_s, 12, "
		    "2) AS BIGINT) AS th,\n"
		    "    TRY_CAST(substr(ts_s, 15, 2) AS BIGINT) AS tmi, TRY_CAST(substr(ts_s, 18, "
		    "2) AS BIGINT) AS tse,\n"
		    "    CASE WHEN substr(ts_s, 20, 1) = '.'\n"
		    "      THEN TRY_CAST(rpad(coalesce(regexp_extract(ts_s, '\\A.{20}([0-9]+)', "
		    "1), ''), 9, '0') AS BIGINT)\n"
		    "      ELSE 0 END AS tns,\n"
		    "    substr(ts_s, length(ts_s), 1) = 'Z' AS tz_utc,\n"
		    "    TRY_CAST(substr(ts_s, length(ts_s) - 4, 2) AS BIGINT) AS toh,\n"
		    "    TRY_CAST(substr(ts_s, length(ts_s) - 1, 2) AS BIGINT) AS tom,\n"
		    "    substr(ts_s, length(ts_s) - 5, 1) AS tos\n"
		    "  FROM ledger_fields f\n"
		    "  WHERE ts_present AND ts_s IS NOT NULL AND @RE(ts_s, ");
	sqlw_put(w, ts_form);
	sqlw_put(w, ")\n),\n");
}

/*
 * ledger_t2, ledger_t3: the calendar check, then seconds since the epoch from the civil date
 * (H. Hinnant's algorithm), shifted by one era to stay positive.
 */
static void put_time_seconds(struct sqlw *w)
{
	sqlw_put(
	    w, "ledger_t2 AS (\n  SELECT t.*,\n"
	       "    (ty - CASE WHEN tmo <= 2 THEN 1 ELSE 0 END + 400) AS cy\n"
	       "  FROM ledger_t1 t\n"
	       "  WHERE tmo BETWEEN 1 AND 12 AND td >= 1 AND th <= 23 AND tmi <= 59 AND tse <= 59\n"
	       "    AND td <= CASE WHEN tmo = 2 THEN (CASE WHEN ty % 4 = 0 AND (ty % 100 <> 0 OR "
	       "ty % 400 = 0)\n"
	       "      THEN 29 ELSE 28 END) WHEN tmo IN (4, 6, 9, 11) THEN 30 ELSE 31 END\n"
	       "    AND (tz_utc OR (toh <= 23 AND tom <= 59))\n"
	       "),\n"
	       "ledger_t3 AS (\n  SELECT t.*,\n"
	       "    ((cy @DIV 400 - 1) * 146097 + (cy - (cy @DIV 400) * 400) * 365\n"
	       "      + (cy - (cy @DIV 400) * 400) @DIV 4 - (cy - (cy @DIV 400) * 400) @DIV 100\n"
	       "      + (153 * ((tmo + 9) % 12) + 2) @DIV 5 + td - 1 - 719468) * 86400\n"
	       "      + th * 3600 + tmi * 60 + tse\n"
	       "      - CASE WHEN tz_utc THEN 0 ELSE (CASE WHEN tos = '-' THEN -1 ELSE 1 END) * "
	       "(toh * 3600 + tom * 60) END\n"
	       "      AS sec\n"
	       "  FROM ledger_t2 t\n"
	       "),\n");
}

/* ledger_t4: the window (bedrock-ledger-formats(5), RECORDS), then the checks that apply inside
 * it only. */
static void put_time_window(struct sqlw *w)
{
	sqlw_put(w, "ledger_t4 AS (\n  SELECT t.*,\n"
		    "    (greatest(least(sec, 253402300799), -62167219200) + 86400000000) AS sq\n"
		    "  FROM ledger_t3 t\n"
		    "  WHERE model_s IS NOT NULL AND model_s <> '' AND tok_ok");
	if (w->o->has_since) {
		sqlw_put(w, "\n    AND CAST(sec AS DECIMAL(38,0)) * 1000000000 + tns >= ");
		sqlw_tsn(w, w->o->since);
	}
	if (w->o->has_until) {
		sqlw_put(w, "\n    AND CAST(sec AS DECIMAL(38,0)) * 1000000000 + tns < ");
		sqlw_tsn(w, w->o->until);
	}
	sqlw_put(w, "\n),\n");
}

/* ledger_t5 ... ledger_t10: the UTC day and second of the day, from days since 1970 (shifted by
 * one era). */
static void put_time_day(struct sqlw *w)
{
	sqlw_put(
	    w,
	    "ledger_t5 AS (\n  SELECT t.*,\n"
	    "    sq % 86400 AS sod,\n"
	    "    sq @DIV 86400 - 1000000 + 719468 + 146097 AS zz\n"
	    "  FROM ledger_t4 t\n"
	    "),\n"
	    "ledger_t6 AS (\n  SELECT t.*, zz @DIV 146097 AS era, zz - (zz @DIV 146097) * 146097 "
	    "AS doe\n"
	    "  FROM ledger_t5 t\n"
	    "),\n"
	    "ledger_t7 AS (\n  SELECT t.*, (doe - doe @DIV 1460 + doe @DIV 36524 - doe @DIV "
	    "146096) @DIV 365 AS yoe\n"
	    "  FROM ledger_t6 t\n"
	    "),\n"
	    "ledger_t8 AS (\n  SELECT t.*, doe - (365 * yoe + yoe @DIV 4 - yoe @DIV 100) AS doy\n"
	    "  FROM ledger_t7 t\n"
	    "),\n"
	    "ledger_t9 AS (\n  SELECT t.*, (5 * doy + 2) @DIV 153 AS mp\n"
	    "  FROM ledger_t8 t\n"
	    "),\n"
	    "ledger_t10 AS (\n  SELECT t.*,\n"
	    "    doy - (153 * mp + 2) @DIV 5 + 1 AS dd,\n"
	    "    CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END AS dm,\n"
	    "    yoe + (era - 1) * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END AS dy\n"
	    "  FROM ledger_t9 t\n"
	    "),\n");
}

/* Stage 1: the timestamp as parts, seconds and a UTC day; missing, malformed and out-of-window
 * timestamps leave. */
static void put_time(struct sqlw *w)
{
	put_time_parts(w);
	put_time_seconds(w);
	put_time_window(w);
	put_time_day(w);
}

/* Stage 2: the record as counted: day, tier, 1-hour writes, route, region, principal. */
static void put_record(struct sqlw *w)
{
	sqlw_put(w, "ledger_rec AS (\n  SELECT t.*,\n"
		    "    CAST(sec AS DECIMAL(38,0)) * 1000000000 + tns AS tsn,\n"
		    "    lpad(CAST(dy AS VARCHAR), 4, '0') || '-' || lpad(CAST(dm AS VARCHAR), 2, "
		    "'0') || '-'\n"
		    "      || lpad(CAST(dd AS VARCHAR), 2, '0') AS day,\n"
		    "    lpad(CAST(dy AS VARCHAR), 4, '0') || '-' || lpad(CAST(dm AS VARCHAR), 2, "
		    "'0') || '-'\n"
		    "      || lpad(CAST(dd AS VARCHAR), 2, '0') || 'T' || lpad(CAST(sod @DIV 3600 "
		    "AS VARCHAR), 2, '0')\n"
		    "      || ':' || lpad(CAST((sod @DIV 60) % 60 AS VARCHAR), 2, '0') || ':'\n"
		    "      || lpad(CAST(sod % 60 AS VARCHAR), 2, '0') || 'Z' AS ts_str,\n"
		    /* bedrock-ledger-formats(5), PRICING: latency first, then the output body's
		       tier, then the input's */
		    "    CASE WHEN lat_opt THEN 'latency-optimized'\n"
		    "      ELSE coalesce(nullif(CASE WHEN out_tier IS NOT NULL AND @RE(out_tier, "
		    "'\\A[a-z0-9_-]{1,32}\\z') THEN out_tier\n"
		    "        WHEN in_tier IS NOT NULL AND @RE(in_tier, '\\A[a-z0-9_-]{1,32}\\z') "
		    "THEN in_tier END, 'default'), 'standard')\n"
		    "      END AS tier,\n"
		    "    CASE WHEN h1_v IS NOT NULL AND h1_v <= tcw THEN CAST(h1_v AS "
		    "DECIMAL(16,0)) ELSE CAST(0 AS DECIMAL(16,0)) END AS h1,\n"
		    "    substr(model_s, 1, 4) = 'arn:' AS is_arn,\n"
		    "    coalesce(regexp_extract(model_s, "
		    "'(?s)\\Aarn:aws[^:]*:bedrock:[^:]*:[^:]*:([^/]*)/.', 1), '') AS atype,\n"
		    "    coalesce(regexp_extract(model_s, "
		    "'(?s)\\Aarn:aws[^:]*:bedrock:[^:]*:[^:]*:[^/]*/(.+)\\z', 1), '') AS arest,\n"
		    "    ");
	put_geo_word(w, "model_s");
	sqlw_put(
	    w,
	    " AS geo_raw,\n"
	    "    CASE WHEN region_f <> '' THEN region_f\n"
	    "      ELSE coalesce(regexp_extract(model_s, '(?s)\\Aarn:[^:]*:[^:]*:([^:]*):', 1), "
	    "'') END AS src_region,\n"
	    "    CASE WHEN @RE(caller, '(?s)\\Aarn:([^:]*):sts::([^:]*):assumed-role/([^/]+)/')\n"
	    "      THEN 'arn:' || regexp_extract(caller, '(?s)\\Aarn:([^:]*):sts::', 1) || "
	    "':iam::'\n"
	    "        || regexp_extract(caller, '(?s)\\Aarn:[^:]*:sts::([^:]*):', 1) || ':role/'\n"
	    "        || regexp_extract(caller, "
	    "'(?s)\\Aarn:[^:]*:sts::[^:]*:assumed-role/([^/]+)/', 1)\n"
	    "      ELSE '' END AS principal_m\n"
	    "  FROM ledger_t10 t\n"
	    "),\n"
	    "ledger_r2 AS (\n  SELECT r.*,\n      ");
	put_route_case(w);
	sqlw_put(w, " AS route\n  FROM ledger_rec r\n),\n");
}

/* Stage 3: the manifest (bedrock-ledger-formats(5), ROUTES), the problems that need no price, the
 * pool. */
static void put_attribution(struct sqlw *w)
{
	const struct group_by *g = w->o->group_by;
	sqlw_put(w, "ledger_a1 AS (\n  SELECT r.*, m.arn AS m_arn, m.model_id AS m_model");
	for (size_t k = 0; k < g->ntags; k++)
		sqlw_printf(w, ", coalesce(m.t_%zu, '') AS t_%zu", k, k);
	sqlw_put(
	    w, ",\n    CASE WHEN r.route = 'application-profile' AND m.arn IS NULL THEN "
	       "'not-in-manifest'\n"
	       "      WHEN r.route = 'application-profile' AND m.model_id IS NULL THEN 'no-model'\n"
	       "      WHEN r.route = 'other' THEN 'not-token-priced' ELSE '' END AS problem0\n"
	       "  FROM ledger_r2 r LEFT JOIN ledger_manifest m\n"
	       "    ON r.route = 'application-profile' AND m.arn = r.model_s\n"
	       "),\n"
	       "ledger_a2 AS (\n  SELECT a.*,\n"
	       "    CASE WHEN problem0 <> '' THEN model_s WHEN route = 'application-profile' THEN "
	       "m_model\n"
	       "      WHEN is_arn THEN arest ELSE model_s END AS model\n"
	       "  FROM ledger_a1 a\n"
	       "),\n"
	       "ledger_a3 AS (\n  SELECT a.*, ");
	put_geo_word(w, "model");
	sqlw_put(w, " AS mgeo,\n    tin + tcr + tcw AS ctx\n  FROM ledger_a2 a\n),\n"
		    "ledger_a4 AS (\n  SELECT a.*,\n"
		    "    CASE WHEN mgeo <> '' AND mgeo NOT IN ");
	put_kept_prefixes(w);
	sqlw_put(w, " THEN substr(model, length(mgeo) + 2) END AS stripped,\n"
		    "    CASE WHEN route = 'other' OR problem0 IN ('not-in-manifest', 'no-model') "
		    "THEN 'unknown'\n      ELSE ");
	put_pool_case(w, "mgeo");
	sqlw_put(w, " END AS pool\n  FROM ledger_a3 a\n),\n");
}

/*
 * The lookup keys of the price rows: each row serves its model_id (steps 0
 * and 1 of bedrock-ledger-formats(5), PRICING) and, for each geographic prefix that pricing strips,
 * the prefixed model_id (steps 2 and 3), so that records find their
 * candidate rows by an equi-join on the model as logged.
 */
static void put_price_keys(struct sqlw *w)
{
	struct modelid_geo g;
	sqlw_put(w,
		 "ledger_cand AS (\n"
		 "  SELECT p.*, p.model_id AS k_model, false AS k_stripped FROM ledger_prices p");
	for (size_t i = 0; modelid_geo_at(i, &g); i++) {
		if (!g.strip_to_price)
			continue;
		sqlw_put(w, "\n  UNION ALL SELECT p.*, ");
		sqlw_cstr(w, g.prefix);
		sqlw_put(w, " || p.model_id, true FROM ledger_prices p");
	}
	sqlw_put(w, "\n),\n");
}

/* Stage 4: the lookup chain of bedrock-ledger-formats(5), PRICING and the cost. */
static void put_pricing(struct sqlw *w)
{
	put_price_keys(w);
	sqlw_put(
	    w, "ledger_p1 AS (\n"
	       "  SELECT a.*, c.pid, c.context_over, c.model_id AS p_model, c.region AS p_region,\n"
	       "    c.tier AS p_tier, c.p_in, c.p_out, c.p_cr, c.p_cw, c.p_1h,\n"
	       "    CASE WHEN c.k_stripped THEN 2 ELSE 0 END + CASE WHEN c.region = a.src_region "
	       "THEN 0 ELSE 1 END AS step,\n"
	       "    coalesce(c.tier = a.tier, false) AS of_tier,\n"
	       "    (c.tier = a.tier AND (c.valid_from IS NULL OR c.valid_from <= a.tsn)\n"
	       "      AND (c.valid_to IS NULL OR a.tsn < c.valid_to)) AS in_force\n"
	       "  FROM ledger_a4 a LEFT JOIN ledger_cand c\n"
	       "    ON a.problem0 = '' AND c.k_model = a.model AND (c.region = a.src_region OR "
	       "c.region = '*')\n"
	       "    AND (NOT c.k_stripped OR a.stripped IS NOT NULL)\n"
	       "),\n"
	       "ledger_p2 AS (\n"
	       "  SELECT p.*, coalesce(in_force AND (context_over = 0 OR context_over < ctx), "
	       "false) AS eligible\n"
	       "  FROM ledger_p1 p\n"
	       "),\n"
	       "ledger_p3 AS (\n"
	       "  SELECT p.*,\n"
	       "    row_number() OVER (PARTITION BY rid ORDER BY CASE WHEN eligible THEN 0 ELSE 1 "
	       "END, step,\n"
	       "      context_over DESC) AS rn,\n"
	       "    coalesce(bool_or(in_force) OVER (PARTITION BY rid), false) AS any_in_force,\n"
	       "    sum(CASE WHEN of_tier THEN 1 ELSE 0 END) OVER (PARTITION BY rid) AS n_tier,\n"
	       "    count(pid) OVER (PARTITION BY rid) > 0 AS any_row\n"
	       "  FROM ledger_p2 p\n"
	       "),\n"
	       /* bedrock-ledger-formats(5), PRICING: cache writes less the 1-hour ones at the
		  cache-write price */
	       "ledger_p4 AS (\n"
	       "  SELECT p.*, coalesce(eligible, false) AS found,\n"
	       "    CASE WHEN NOT coalesce(eligible, false) THEN NULL\n"
	       "      WHEN tin > 0 AND p_in IS NULL THEN 'input_per_mtok'\n"
	       "      WHEN tout > 0 AND p_out IS NULL THEN 'output_per_mtok'\n"
	       "      WHEN tcr > 0 AND p_cr IS NULL THEN 'cache_read_per_mtok'\n"
	       "      WHEN tcw - h1 > 0 AND p_cw IS NULL THEN 'cache_write_per_mtok'\n"
	       "      WHEN h1 > 0 AND p_1h IS NULL THEN 'cache_write_1h_per_mtok' END AS missing\n"
	       "  FROM ledger_p3 p WHERE rn = 1\n"
	       "),\n"
	       "ledger_p5 AS (\n"
	       "  SELECT p.*,\n"
	       "    (problem0 <> '' OR NOT found OR missing IS NOT NULL) AS unpriced\n"
	       "  FROM ledger_p4 p\n"
	       "),\n");
}

/* The principal of bedrock-ledger-formats(5), GROUPING: the role of an assumed-role session, else
 * the caller. */
static const char principal[] = "CASE WHEN principal_m <> '' THEN principal_m ELSE caller END";

/* The value of a -g item, a column of ledger_priced. */
static void put_group_value(struct sqlw *w, const struct group_item *it)
{
	static const char *const columns[FIELD_COUNT] = {
		[FIELD_ACCOUNT_ID] = "account_id",
		[FIELD_REGION] = "src_region",
		[FIELD_INFERENCE_REGION] = "inference_region",
		[FIELD_CALLER] = "caller",
		[FIELD_PRINCIPAL] = principal,
		[FIELD_ROUTE] = "route",
		[FIELD_OPERATION] = "operation",
		[FIELD_TIER] = "tier",
		[FIELD_POOL] = "pool",
	};
	if (it->ref.id == FIELD_TAG || it->ref.id == FIELD_META)
		sqlw_printf(w, "%s_%u", it->ref.id == FIELD_TAG ? "t" : "m", it->ref.arg);
	else
		sqlw_put(w, (unsigned)it->ref.id < FIELD_COUNT && columns[it->ref.id]
				? columns[it->ref.id]
				: "''");
}

void sql_put_records_query(struct sqlw *w)
{
	const struct group_by *g = w->o->group_by;
	sqlw_put(w, ",\n");
	sql_put_prices(w);
	sqlw_put(w, ",\n");
	sql_put_manifest(w);
	sqlw_put(w, ",\n");
	put_time(w);
	put_record(w);
	put_attribution(w);
	put_pricing(w);
	sqlw_put(w, "ledger_priced AS (\n  SELECT day");
	for (size_t i = 0; i < g->n; i++) {
		sqlw_put(w, ",\n    ");
		put_group_value(w, &g->items[i]);
		sqlw_printf(w, " AS g_%zu", i);
	}
	sqlw_put(w, ",\n    model, ");
	sqlw_put(w, w->o->callers_principal ? principal : "caller");
	sqlw_put(
	    w, " AS caller_key, account_id, route,\n"
	       "    CASE WHEN problem0 <> '' THEN problem0 WHEN unpriced THEN 'no-price' ELSE '' "
	       "END AS problem,\n"
	       "    model AS problem_model,\n"
	       "    CASE WHEN problem0 <> '' OR NOT unpriced THEN ''\n"
	       "      WHEN found THEN 'empty ' || missing || ' in the row for ' || p_model || ',' "
	       "|| p_region\n"
	       "        || CASE WHEN p_tier <> 'standard' THEN ',' || p_tier ELSE '' END\n"
	       "        || CASE WHEN context_over > 0 THEN ',context over ' || CAST(context_over "
	       "AS VARCHAR) ELSE '' END\n"
	       "      WHEN n_tier > 0 AND NOT any_in_force THEN 'no row in force'\n"
	       "      WHEN n_tier = 0 AND coalesce(any_row, false) THEN 'no ' || tier || ' row'\n"
	       "      ELSE 'no row' END AS detail,\n"
	       "    is_error, tin, tout, tcr, tcw, h1, unpriced,\n"
	       "    CAST(CASE WHEN unpriced THEN 0 ELSE\n"
	       "      CASE WHEN tin > 0 THEN tin * p_in ELSE 0 END + CASE WHEN tout > 0 THEN tout "
	       "* p_out ELSE 0 END\n"
	       "      + CASE WHEN tcr > 0 THEN tcr * p_cr ELSE 0 END + CASE WHEN tcw - h1 > 0 THEN "
	       "(tcw - h1) * p_cw ELSE 0 END\n"
	       "      + CASE WHEN h1 > 0 THEN h1 * p_1h ELSE 0 END END AS DECIMAL(38,0)) AS cost,\n"
	       "    ts_str\n"
	       "  FROM ledger_p5\n"
	       ")\n"
	       "SELECT * FROM ledger_priced");
}
