/*
 * sql_athena.c - the athena dialect: an external table over the bucket with
 * partition projection, a view of the records, the three reports (bedrock-ledger(1), SQL).
 *
 * Top-level fields are read by the OpenX JSON SerDe as strings; `input`,
 * `output`, `identity`, `requestMetadata` and `performanceConfig` as the JSON
 * text of their objects, taken apart with Trino's JSON functions, which keep
 * numbers as they are written (a count must be an integer, bedrock-ledger-formats(5), RECORDS).
 */
#include "sql_gen.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

static const char table[] = "bedrock_ledger_logs";
static const char view[] = "bedrock_ledger_records";

/* Column, JSON key: the SerDe is case-sensitive, the keys are mapped. */
static const char *const columns[][2] = {
	{ "timestamp", "timestamp" },
	{ "modelid", "modelId" },
	{ "accountid", "accountId" },
	{ "identity", "identity" },
	{ "region", "region" },
	{ "operation", "operation" },
	{ "inferenceregion", "inferenceRegion" },
	{ "errorcode", "errorCode" },
	{ "input", "input" },
	{ "output", "output" },
	{ "requestmetadata", "requestMetadata" },
	{ "performanceconfig", "performanceConfig" },
};
#define NCOLUMNS (sizeof columns / sizeof *columns)

/* The account IDs of the manifests' profile ARNs, comma-separated: the projection's enum. */
static char *manifest_accounts(const struct manifest *m)
{
	size_t n = m ? manifest_count(m) : 0;
	char *out = xcalloc(n * 13 + 1, 1);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		struct str acct = modelid_arn_field(str_from(manifest_entry_at(m, i)->arn), 4);
		bool digits = acct.n == 12;
		for (size_t k = 0; k < acct.n && digits; k++)
			digits = acct.p[k] >= '0' && acct.p[k] <= '9';
		if (!digits)
			continue;
		bool seen = false;
		for (size_t at = 0; at < len && !seen; at += 13)
			seen = memcmp(out + at, acct.p, 12) == 0;
		if (seen)
			continue;
		if (len)
			out[len - 1] = ',';
		memcpy(out + len, acct.p, 12);
		out[len + 12] = ',';
		len += 13;
	}
	if (len)
		out[len - 1] = '\0';
	return out;
}

static void put_table(struct sqlw *w, const char *loc)
{
	char lo[14], hi[14];
	sql_hour_bounds(w->o, lo, hi);
	char *accounts = manifest_accounts(w->o->manifest);
	sqlw_printf(w, "CREATE EXTERNAL TABLE IF NOT EXISTS %s (\n", table);
	for (size_t i = 0; i < NCOLUMNS; i++)
		sqlw_printf(w, "  `%s` string%s\n", columns[i][0], i + 1 < NCOLUMNS ? "," : "");
	sqlw_put(w, ")\n"
		    "PARTITIONED BY (`account` string, `log_region` string, `day` string)\n"
		    "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
		    "WITH SERDEPROPERTIES (\n"
		    "  'ignore.malformed.json' = 'true',\n"
		    "  'case.insensitive' = 'false'");
	for (size_t i = 0; i < NCOLUMNS; i++)
		sqlw_printf(w, ",\n  'mapping.%s' = '%s'", columns[i][0], columns[i][1]);
	sqlw_put(w, "\n)\nLOCATION ");
	sqlw_lit2(w, loc, "AWSLogs/");
	sqlw_put(w, "\n");
	sqlw_put(
	    w, "TBLPROPERTIES (\n"
	       "  'projection.enabled' = 'true',\n"
	       "  -- EDIT: every account whose logs are under LOCATION (these are the manifests')\n"
	       "  'projection.account.type' = 'enum',\n");
	sqlw_printf(w, "  'projection.account.values' = '%s',\n",
		    *accounts ? accounts : "000000000000");
	free(accounts);
	sqlw_put(w, "  -- EDIT: add any other region your logs come from\n"
		    "  'projection.log_region.type' = 'enum',\n"
		    "  'projection.log_region.values' = '");
	sql_put_regions(w, ",");
	/*
	 * A partition a day, the hour folders below it read with it: a partition
	 * an hour passes, for one account in every region, the million partitions
	 * that one query may project, after 3.7 years of range.
	 */
	sqlw_put(w, "',\n"
		    "  -- a partition a day (the hour folders below it are read with it)\n"
		    "  'projection.day.type' = 'date',\n"
		    "  'projection.day.format' = 'yyyy/MM/dd',\n");
	sqlw_printf(w, "  'projection.day.range' = '%.10s,NOW',\n",
		    lo[0] && strncmp(lo, "2023/01/01", 10) < 0 ? lo : "2023/01/01");
	sqlw_put(w, "  'projection.day.interval' = '1',\n"
		    "  'projection.day.interval.unit' = 'DAYS',\n");
	sqlw_put(w, "  'storage.location.template' = ");
	sqlw_lit2(w, loc, "AWSLogs/${account}/BedrockModelInvocationLogs/${log_region}/${day}/");
	sqlw_put(w, "\n);\n\n");
}

/* The text of a JSON value at path of column col when a string, else ''. */
static void put_str(struct sqlw *w, const char *col, const char *path)
{
	sqlw_printf(w, "CASE WHEN substr(json_format(json_extract(%s, ", col);
	sqlw_cstr(w, path);
	sqlw_printf(w, ")), 1, 1) = '\"' THEN json_extract_scalar(%s, ", col);
	sqlw_cstr(w, path);
	sqlw_put(w, ") ELSE '' END");
}

/* Is the JSON text t an integer in 0..2^53-1? */
static void put_is_count(struct sqlw *w, const char *t)
{
	sqlw_printf(w,
		    "(regexp_like(%s, '\\A-?[0-9]{1,16}\\z') AND TRY_CAST(%s AS DECIMAL(38,0))"
		    " BETWEEN 0 AND 9007199254740991)",
		    t, t);
}

static void put_count(struct sqlw *w, const char *t, const char *type, const char *dflt,
		      const char *name)
{
	sqlw_put(w, "    CASE WHEN ");
	put_is_count(w, t);
	sqlw_printf(w, " THEN CAST(%s AS %s) ELSE %s END AS %s", t, type, dflt, name);
}

/* requestMetadata.KEY as a JSON path: $["KEY"], with " and \ escaped. */
static void put_meta(struct sqlw *w, size_t i, const char *key)
{
	size_t n = strlen(key);
	char *path = xmalloc(2 * n + 8);
	size_t k = 0;
	memcpy(path, "$[\"", 3);
	k = 3;
	for (size_t j = 0; j < n; j++) {
		if (key[j] == '"' || key[j] == '\\')
			path[k++] = '\\';
		path[k++] = key[j];
	}
	memcpy(path + k, "\"]", 3);
	sqlw_put(w, ",\n    ");
	put_str(w, "requestmetadata", path);
	sqlw_printf(w, " AS m_%zu", i);
	free(path);
}

/* "$path"'s hour folder, .../YYYY/MM/DD/HH/name: group 1 YYYY/MM/DD/HH, 2 to 5 its parts */
#define HOUR_RE	     "'(?s)(?:\\A|/)(([0-9]{4})/([0-9]{2})/([0-9]{2})/([0-9]{2}))/[^/]*\\z'"
#define HOUR_PART(k) "TRY_CAST(regexp_extract(\"$path\", " HOUR_RE ", " #k ") AS BIGINT)"

static void put_where(struct sqlw *w, const char *loc)
{
	char lo[14], hi[14];
	sql_hour_bounds(w->o, lo, hi);
	sqlw_printf(w, "  FROM %s\n  WHERE ", table);
	/* the window as partition bounds, with bedrock-ledger-formats(5), WHAT IS READ's slack */
	if (lo[0])
		sqlw_printf(w, "\"day\" >= '%.10s' AND ", lo);
	if (hi[0])
		sqlw_printf(w, "\"day\" <= '%.10s' AND ", hi);
	if (lo[0] || hi[0]) {
		/* bedrock-ledger-formats(5), WHAT IS READ: an hour folder that cannot hold a record
		 * of the window is not read */
		sqlw_put(w, "NOT coalesce(" HOUR_PART(5) " <= 23\n      AND ");
		sql_put_date_ok(w, HOUR_PART(2), HOUR_PART(3), HOUR_PART(4));
		sqlw_put(w, "\n      AND (");
		if (lo[0])
			sqlw_printf(w, "regexp_extract(\"$path\", " HOUR_RE ", 1) < '%s'", lo);
		if (hi[0])
			sqlw_printf(w, "%sregexp_extract(\"$path\", " HOUR_RE ", 1) > '%s'",
				    lo[0] ? " OR " : "", hi);
		sqlw_put(w, "), false)\n    AND ");
	}
	/* bedrock-ledger-formats(5), WHAT IS READ: log names only; a data folder below the last
	 * AWSLogs holds bodies, not logs */
	sqlw_put(w, "regexp_like(\"$path\", '(?s)/[^/]+\\.(jsonl|json|gz)\\z') AND NOT "
		    "regexp_like(\"$path\", '\\.tar\\.gz\\z')\n"
		    "    AND NOT regexp_like(\"$path\", '/\\.(json|jsonl)\\.gz\\z')\n"
		    "    AND strpos(coalesce(regexp_extract('/' || substr(\"$path\", ");
	sqlw_printf(w, "%zu", strlen(loc) + 1);
	sqlw_put(w, "), '(?s)\\A.*/AWSLogs(/.*)\\z', 1), ''), '/data/') = 0\n");
}

/*
 * ledger_j and ledger_h: the token counts as JSON text, and the 1-hour cache writes at the
 * paths of bedrock-ledger-formats(5), PRICING, from the lines under loc.
 */
static void put_json(struct sqlw *w, const char *loc)
{
	sqlw_put(w,
		 "WITH ledger_j AS (\n"
		 "  SELECT uuid() AS rid, *,\n"
		 "    json_format(json_extract(input, '$.inputTokenCount')) AS j_in,\n"
		 "    json_format(json_extract(output, '$.outputTokenCount')) AS j_out,\n"
		 "    json_format(json_extract(input, '$.cacheReadInputTokenCount')) AS j_cr,\n"
		 "    json_format(json_extract(input, '$.cacheWriteInputTokenCount')) AS j_cw,\n"
		 "    json_format(json_extract(output, "
		 "'$.outputBodyJson.usage.cache_creation.ephemeral_1h_input_tokens')) AS j_1h1,\n"
		 "    element_at(filter(TRY_CAST(json_extract(output, '$.outputBodyJson') AS "
		 "ARRAY(JSON)),\n"
		 "      e -> json_extract_scalar(e, '$.type') = 'message_start'\n"
		 "        AND substr(json_format(json_extract(e, '$.type')), 1, 1) = '\"'), 1) AS "
		 "chunk,\n"
		 "    filter(TRY_CAST(json_extract(output, '$.outputBodyJson.usage.cacheDetails') "
		 "AS ARRAY(JSON)),\n"
		 "      e -> json_extract_scalar(e, '$.ttl') = '1h' AND "
		 "substr(json_format(json_extract(e, '$.ttl')), 1, 1) = '\"'\n"
		 "        AND json_extract(e, '$.inputTokens') IS NOT NULL) AS details,\n"
		 "    TRY_CAST(json_extract(output, '$.outputBodyJson.usage.cacheDetails') AS "
		 "ARRAY(JSON)) IS NOT NULL AS has_details\n");
	put_where(w, loc);
	sqlw_put(w, "),\nledger_h AS (\n  SELECT j.*,\n"
		    "    json_format(json_extract(chunk, "
		    "'$.message.usage.cache_creation.ephemeral_1h_input_tokens')) AS j_1h2,\n"
		    "    any_match(details, e -> NOT ");
	put_is_count(w, "json_format(json_extract(e, '$.inputTokens'))");
	sqlw_put(w, ") AS v3_bad,\n"
		    "    reduce(details, CAST(0 AS DECIMAL(38,0)), (s, e) -> s + "
		    "coalesce(TRY_CAST(json_format(json_extract(e,\n"
		    "      '$.inputTokens')) AS DECIMAL(38,0)), 0), s -> s) AS v3_sum\n"
		    "  FROM ledger_j j\n"
		    "),\n");
}

/* tok_ok and the four token counts of ledger_fields (sql_query.c lists its columns). */
static void put_tokens(struct sqlw *w)
{
	static const char *const tok[] = { "j_in", "j_out", "j_cr", "j_cw" };
	static const char *const names[] = { "tin", "tout", "tcr", "tcw" };
	sqlw_put(w, "    (");
	for (size_t i = 0; i < 4; i++) {
		sqlw_printf(w, "%s(%s IS NULL OR %s = 'null' OR ", i ? "\n      AND " : "", tok[i],
			    tok[i]);
		put_is_count(w, tok[i]);
		sqlw_put(w, ")");
	}
	sqlw_put(w, ") AS tok_ok");
	for (size_t i = 0; i < 4; i++) {
		sqlw_put(w, ",\n");
		put_count(w, tok[i], "DECIMAL(16,0)", "CAST(0 AS DECIMAL(16,0))", names[i]);
	}
}

/* The WITH up to ledger_fields, one row per JSON line under loc, which sql_query.c reads. */
static void put_fields(struct sqlw *w, const char *loc)
{
	const struct group_by *g = w->o->group_by;
	put_json(w, loc);
	sqlw_put(w, "ledger_fields AS (\n  SELECT rid,\n"
		    "    (\"timestamp\" IS NOT NULL) AS ts_present, \"timestamp\" AS ts_s, modelid "
		    "AS model_s,\n"
		    "    coalesce(accountid, '') AS account_id,\n    ");
	put_str(w, "identity", "$.arn");
	sqlw_put(w, " AS caller,\n"
		    "    coalesce(region, '') AS region_f, coalesce(operation, '') AS operation,\n"
		    "    coalesce(inferenceregion, '') AS inference_region, coalesce(errorcode, "
		    "'') <> '' AS is_error,\n");
	put_tokens(w);
	sqlw_put(
	    w, ",\n    coalesce(json_extract_scalar(performanceconfig, '$.latency') = 'optimized'\n"
	       "      OR json_extract_scalar(input, '$.inputBodyJson.performanceConfig.latency') = "
	       "'optimized', false) AS lat_opt,\n"
	       "    nullif(");
	put_str(w, "output", "$.outputBodyJson.serviceTier.type");
	sqlw_put(w, ", '') AS out_tier,\n    nullif(");
	put_str(w, "input", "$.inputBodyJson.serviceTier.type");
	sqlw_put(w, ", '') AS in_tier,\n"
		    "    CASE WHEN j_1h1 IS NOT NULL THEN (CASE WHEN ");
	put_is_count(w, "j_1h1");
	sqlw_put(w, " THEN CAST(j_1h1 AS DECIMAL(38,0)) END)\n"
		    "      WHEN j_1h2 IS NOT NULL THEN (CASE WHEN ");
	put_is_count(w, "j_1h2");
	sqlw_put(w, " THEN CAST(j_1h2 AS DECIMAL(38,0)) END)\n"
		    "      WHEN has_details THEN (CASE WHEN v3_bad OR v3_sum > 9007199254740991 "
		    "THEN NULL ELSE v3_sum END)\n"
		    "      END AS h1_v");
	for (size_t i = 0; i < g->nmeta; i++)
		put_meta(w, i, g->metas[i]);
	sqlw_put(w, "\n  FROM ledger_h\n)");
}

const char sql_athena_notes[] =
    "--\n"
    "-- Athena (Trino): five statements, to run one after the other (the\n"
    "-- console's Run, or aws athena start-query-execution for each): the table,\n"
    "-- the view of the counted records, then app_day, caller and unresolved.\n"
    "-- Each report's result CSV holds the binary's cells (Athena quotes them all).\n"
    "-- The account and region lists of the partition projection must name\n"
    "-- every folder under AWSLogs/ (see EDIT below): others are not read.\n"
    "-- A partition is a day folder, read with the hour folders below it (an\n"
    "-- hour a partition would pass the million partitions a query may project):\n"
    "-- a window reads the days it touches, and leaves out the rows of the hour\n"
    "-- folders that the binary would not open.\n"
    "-- Top-level fields are read as strings: a number where the binary wants a\n"
    "-- string (a modelId of 5) counts as that string here.\n";

void sql_put_athena(struct sqlw *w, const char *loc)
{
	put_table(w, loc);
	sqlw_printf(w, "CREATE OR REPLACE VIEW %s AS\n", view);
	put_fields(w, loc);
	sql_put_records_query(w);
	sqlw_put(w, ";\n");
	for (int r = 0; r < SQL_REPORTS; r++) {
		sqlw_printf(w, "\n-- %s\n", sql_report_files[r]);
		sql_put_report(w, (enum sql_report)r, view, false);
		sqlw_put(w, ";\n");
	}
}
