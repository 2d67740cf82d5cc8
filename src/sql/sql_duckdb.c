/*
 * sql_duckdb.c - the duckdb dialect: read_json over a local directory, the
 * reports written with COPY (bedrock-ledger(1), SQL).
 */
#include "sql_gen.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

/* The JSON columns read: every top-level field bedrock-ledger-formats(5), WHAT IS READ keeps, typed
 * JSON so nothing is lost. */
static const char *const columns[] = {
	"timestamp", "modelId",	  "accountId",	     "identity",
	"region",    "operation", "inferenceRegion", "errorCode",
	"input",     "output",	  "requestMetadata", "performanceConfig",
};

/* A string field: its value when a JSON string, else ''. */
static void put_str(struct sqlw *w, const char *col, const char *path)
{
	sqlw_printf(w, "CASE WHEN json_type(%s, ", col);
	sqlw_cstr(w, path);
	sqlw_put(w, ") = 'VARCHAR' THEN json_extract_string(");
	sqlw_printf(w, "%s, ", col);
	sqlw_cstr(w, path);
	sqlw_put(w, ") ELSE '' END");
}

/* Is the value at path a JSON integer in 0..2^53-1? */
static void put_is_count(struct sqlw *w, const char *col, const char *path)
{
	sqlw_printf(w,
		    "(json_type(%s, '%s') IN ('UBIGINT', 'BIGINT') AND "
		    "TRY_CAST(json_extract_string(%s, '%s')"
		    " AS HUGEINT) BETWEEN 0 AND 9007199254740991)",
		    col, path, col, path);
}

/* bedrock-ledger-formats(5), RECORDS: a token count absent or null is 0; anything but a count
 * rejects the record. */
static void put_count_ok(struct sqlw *w, const char *col, const char *path)
{
	sqlw_printf(w, "(json_type(%s, '%s') IS NULL OR json_type(%s, '%s') = 'NULL' OR ", col,
		    path, col, path);
	put_is_count(w, col, path);
	sqlw_put(w, ")");
}

static void put_count(struct sqlw *w, const char *col, const char *path, const char *type,
		      const char *name)
{
	sqlw_put(w, "    CASE WHEN ");
	put_is_count(w, col, path);
	sqlw_printf(w, " THEN CAST(json_extract_string(%s, '%s') AS %s) ELSE %s END AS %s", col,
		    path, type,
		    strcmp(type, "DECIMAL(16,0)") == 0 ? "CAST(0 AS DECIMAL(16,0))" : "NULL", name);
}

/* A -g meta: key as a JSON pointer (RFC 6901: ~ is ~0, / is ~1), for a SQL literal. */
static void put_meta(struct sqlw *w, size_t i, const char *key)
{
	size_t n = strlen(key);
	char *ptr = xmalloc(2 * n + 2);
	size_t k = 0;
	ptr[k++] = '/';
	for (size_t j = 0; j < n; j++) {
		if (key[j] == '~' || key[j] == '/') {
			ptr[k++] = '~';
			ptr[k++] = key[j] == '~' ? '0' : '1';
		} else {
			ptr[k++] = key[j];
		}
	}
	ptr[k] = '\0';
	sqlw_put(w, ",\n    ");
	put_str(w, "\"requestMetadata\"", ptr);
	sqlw_printf(w, " AS m_%zu", i);
	free(ptr);
}

/*
 * FROM the lines of the files: read_json, but through query(), because
 * read_json refuses an empty list of files: then no line, in the same columns.
 */
static void put_lines(struct sqlw *w)
{
	char *text = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&text, &n);
	if (!mem)
		abort();
	struct sqlw m = { mem, w->o };
	sqlw_put(&m, "SELECT * FROM read_json(getvariable('ledger_files'), format = "
		     "'newline_delimited', records = true,\n"
		     "    ignore_errors = true, compression = 'auto_detect', maximum_object_size = "
		     "268435456,\n"
		     "    columns = {");
	for (size_t i = 0; i < sizeof columns / sizeof *columns; i++)
		sqlw_printf(&m, "%s'%s': 'JSON'", i ? ", " : "", columns[i]);
	sqlw_put(&m, "})");
	if (fclose(mem) != 0)
		abort();
	sqlw_put(w, "  FROM query(CASE WHEN len(getvariable('ledger_files')) > 0 THEN ");
	sqlw_lit(w, text, n);
	sqlw_put(w, "\n    ELSE 'SELECT ");
	for (size_t i = 0; i < sizeof columns / sizeof *columns; i++)
		sqlw_printf(w, "%sCAST(NULL AS JSON) AS \"%s\"", i ? ", " : "", columns[i]);
	sqlw_put(w, " WHERE false' END)");
	free(text);
}

/* ledger_lines: one row per line of the files; ledger_fields: its columns (sql_query.c). */
/* ledger_j and ledger_h: the three paths of 1-hour cache writes (bedrock-ledger-formats(5),
 * PRICING). */
static void put_1h_paths(struct sqlw *w)
{
	sqlw_put(
	    w,
	    "\n),\n"
	    "ledger_j AS (\n"
	    "  SELECT l.*,\n"
	    "    list_filter(json_extract(\"output\", '$.outputBodyJson[*]'),\n"
	    "      lambda e: json_type(e, '$.type') = 'VARCHAR'\n"
	    "      AND json_extract_string(e, '$.type') = 'message_start')[1] AS chunk,\n"
	    "    list_filter(json_extract(\"output\", '$.outputBodyJson.usage.cacheDetails[*]'),\n"
	    "      lambda e: json_type(e, '$.ttl') = 'VARCHAR'\n"
	    "        AND json_extract_string(e, '$.ttl') = '1h'\n"
	    "        AND json_type(e, '$.inputTokens') IS NOT NULL) AS details\n"
	    "  FROM ledger_lines l\n"
	    "),\n"
	    "ledger_h AS (\n  SELECT j.*,\n");
	put_count(w, "\"output\"", "/outputBodyJson/usage/cache_creation/ephemeral_1h_input_tokens",
		  "DECIMAL(38,0)", "v1");
	sqlw_put(w, ",\n");
	put_count(w, "chunk", "/message/usage/cache_creation/ephemeral_1h_input_tokens",
		  "DECIMAL(38,0)", "v2");
	sqlw_put(w, ",\n    coalesce(list_bool_or(list_transform(details, lambda e: NOT ");
	put_is_count(w, "e", "$.inputTokens");
	sqlw_put(
	    w,
	    ")), false) AS v3_bad,\n"
	    "    coalesce(list_sum(list_transform(details,\n"
	    "      lambda e: TRY_CAST(json_extract_string(e, '$.inputTokens') AS HUGEINT))), 0) AS "
	    "v3_sum\n"
	    "  FROM ledger_j j\n"
	    "),\n");
}

/* The record's own fields of ledger_fields: timestamp, modelId, strings, token counts. */
static void put_record_fields(struct sqlw *w)
{
	sqlw_put(
	    w,
	    "ledger_fields AS (\n  SELECT rid,\n"
	    "    \"timestamp\" IS NOT NULL AND json_type(\"timestamp\") <> 'NULL' AS ts_present,\n"
	    "    CASE WHEN json_type(\"timestamp\") = 'VARCHAR' THEN "
	    "json_extract_string(\"timestamp\", '$') END AS ts_s,\n"
	    "    CASE WHEN json_type(\"modelId\") = 'VARCHAR' THEN "
	    "json_extract_string(\"modelId\", '$') END AS model_s,\n"
	    "    CASE WHEN json_type(\"accountId\") = 'VARCHAR' THEN "
	    "json_extract_string(\"accountId\", '$')\n"
	    "      WHEN json_type(\"accountId\") IN ('UBIGINT', 'BIGINT', 'DOUBLE', 'HUGEINT') "
	    "THEN CAST(\"accountId\" AS VARCHAR)\n"
	    "      ELSE '' END AS account_id,\n    ");
	static const char *const str_cols[][3] = {
		{ "\"identity\"", "/arn", " AS caller,\n    " },
		{ "\"region\"", "$", " AS region_f,\n    " },
		{ "\"operation\"", "$", " AS operation,\n    " },
		{ "\"inferenceRegion\"", "$", " AS inference_region,\n    " },
		{ "\"errorCode\"", "$", " <> '' AS is_error,\n    (" },
	};
	for (size_t i = 0; i < sizeof str_cols / sizeof *str_cols; i++) {
		put_str(w, str_cols[i][0], str_cols[i][1]);
		sqlw_put(w, str_cols[i][2]);
	}
	static const char *const tok_cols[] = { "\"input\"", "\"output\"", "\"input\"",
						"\"input\"" };
	static const char *const tok[] = {
		"/inputTokenCount",
		"/outputTokenCount",
		"/cacheReadInputTokenCount",
		"/cacheWriteInputTokenCount",
	};
	static const char *const tok_names[] = { "tin", "tout", "tcr", "tcw" };
	for (size_t i = 0; i < 4; i++) {
		if (i)
			sqlw_put(w, "\n      AND ");
		put_count_ok(w, tok_cols[i], tok[i]);
	}
	sqlw_put(w, ") AS tok_ok");
	for (size_t i = 0; i < 4; i++) {
		sqlw_put(w, ",\n");
		put_count(w, tok_cols[i], tok[i], "DECIMAL(16,0)", tok_names[i]);
	}
}

/* What decides the price, read from the bodies: latency, the tiers, the 1-hour count. */
static void put_price_fields(struct sqlw *w)
{
	sqlw_put(
	    w,
	    ",\n    (json_extract_string(\"performanceConfig\", '/latency') = 'optimized'\n"
	    "      AND json_type(\"performanceConfig\", '/latency') = 'VARCHAR')\n"
	    "      OR (json_extract_string(\"input\", '/inputBodyJson/performanceConfig/latency') "
	    "= 'optimized'\n"
	    "      AND json_type(\"input\", '/inputBodyJson/performanceConfig/latency') = "
	    "'VARCHAR') AS lat_opt,\n"
	    "    CASE WHEN json_type(\"output\", '/outputBodyJson/serviceTier/type') = 'VARCHAR'\n"
	    "      THEN json_extract_string(\"output\", '/outputBodyJson/serviceTier/type') END AS "
	    "out_tier,\n"
	    "    CASE WHEN json_type(\"input\", '/inputBodyJson/serviceTier/type') = 'VARCHAR'\n"
	    "      THEN json_extract_string(\"input\", '/inputBodyJson/serviceTier/type') END AS "
	    "in_tier,\n"
	    "    CASE WHEN json_type(\"output\", "
	    "'/outputBodyJson/usage/cache_creation/ephemeral_1h_input_tokens') IS NOT NULL THEN "
	    "v1\n"
	    "      WHEN json_type(chunk, "
	    "'/message/usage/cache_creation/ephemeral_1h_input_tokens') IS NOT NULL THEN v2\n"
	    "      WHEN json_type(\"output\", '/outputBodyJson/usage/cacheDetails') = 'ARRAY'\n"
	    "        THEN CASE WHEN v3_bad OR v3_sum > 9007199254740991 THEN NULL ELSE CAST(v3_sum "
	    "AS DECIMAL(38,0)) END\n"
	    "      END AS h1_v");
}

static void put_fields(struct sqlw *w)
{
	const struct group_by *g = w->o->group_by;
	sqlw_put(w, "WITH ledger_lines AS (\n"
		    "  SELECT row_number() OVER () AS rid, *\n");
	put_lines(w);
	put_1h_paths(w);
	put_record_fields(w);
	put_price_fields(w);
	for (size_t i = 0; i < g->nmeta; i++)
		put_meta(w, i, g->metas[i]);
	sqlw_put(w, "\n  FROM ledger_h\n)");
}

/*
 * The files a run reads in a directory (bedrock-ledger(1), INPUTS), less,
 * in a tree that holds the Bedrock layout, the *.json files outside it
 * (summaries, manifests: a pretty-printed one stops read_json).
 */
static void put_file_list(struct sqlw *w, const char *loc)
{
	char lo[14], hi[14];
	sql_hour_bounds(w->o, lo, hi);
	sqlw_put(w, "SET VARIABLE ledger_files = (\n"
		    "  SELECT coalesce(list(filename ORDER BY filename), [])\n"
		    "  FROM (\n"
		    "    SELECT filename, name, hf, in_layout, bool_or(in_layout) OVER () AS "
		    "tree_layout\n"
		    "    FROM (\n"
		    "      SELECT filename, size, substr(filename, ");
	sqlw_printf(w, "%zu", strlen(loc) + 1);
	sqlw_put(w,
		 ") AS rel,\n"
		 "        regexp_extract(filename, '[^/]*\\z') AS name,\n"
		 "        regexp_extract(filename, "
		 "'(?s)(\\A|/)([^/]{4})/([^/]{2})/([^/]{2})/([^/]{2})/[^/]*\\z',\n"
		 "          ['s', 'y', 'm', 'd', 'h']) AS hf,\n"
		 /* the Bedrock layout, wherever LOCATION lies in or above it */
		 "        @RE('/' || filename, '(?s)/AWSLogs/(o-[^/]+/)?[0-9]{12}/"
		 "BedrockModelInvocationLogs/[^/]+/[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{2}/[^/]+\\z')\n"
		 "          AS in_layout\n"
		 "      FROM read_blob(");
	sqlw_lit2(w, loc, "**");
	sqlw_put(
	    w,
	    ")\n    ) AS f\n"
	    "    WHERE size > 0\n"
	    /* log names; archives are not read */
	    "      AND @RE(name, '(?s)\\A.+\\.(jsonl|json|gz)\\z') AND NOT @RE(name, "
	    "'\\.tar\\.gz\\z')\n"
	    "      AND name NOT IN ('.json.gz', '.jsonl.gz')\n"
	    "      AND name NOT IN ('amazon-bedrock-logs-permission-check', "
	    "'aws-logs-write-test')\n"
	    /* data-object: a data folder with no AWSLogs folder below it */
	    "      AND strpos(CASE WHEN strpos('/' || rel, '/AWSLogs/') > 0\n"
	    "        THEN regexp_extract('/' || rel, '(?s)\\A.*/AWSLogs(/.*)\\z', 1) ELSE '/' || "
	    "rel END, '/data/') = 0\n"
	    /* not-bedrock-logs: AWSLogs/[o-ORG/]ACCOUNT/SERVICE/ of another service */
	    "      AND regexp_extract('/' || rel, '(?s)/AWSLogs/(o-[^/]+/)?[0-9]{12}/([^/]+)/', "
	    "2)\n"
	    "        IN ('', 'BedrockModelInvocationLogs')\n"
	    "  ) AS g\n"
	    "  WHERE (in_layout OR NOT tree_layout OR NOT @RE(name, '\\.json\\z'))");
	if (lo[0] || hi[0]) {
		/* outside-window: an hour folder that cannot hold a record of the window */
		sqlw_put(w, "\n    AND NOT coalesce(hf.s IS NOT NULL AND hf.y <> '' AND @RE(hf.y "
			    "|| hf.m || hf.d || hf.h, '\\A[0-9]{10}\\z')\n"
			    "      AND TRY_CAST(hf.h AS BIGINT) <= 23 AND ");
		sql_put_date_ok(w, "TRY_CAST(hf.y AS BIGINT)", "TRY_CAST(hf.m AS BIGINT)",
				"TRY_CAST(hf.d AS BIGINT)");
		sqlw_put(w, "\n      AND (");
		if (lo[0]) {
			sqlw_put(w, "hf.y || '/' || hf.m || '/' || hf.d || '/' || hf.h < ");
			sqlw_cstr(w, lo);
		}
		if (hi[0]) {
			sqlw_put(w, lo[0] ? " OR " : "");
			sqlw_put(w, "hf.y || '/' || hf.m || '/' || hf.d || '/' || hf.h > ");
			sqlw_cstr(w, hi);
		}
		sqlw_put(w, "), false)");
	}
	sqlw_put(w, "\n);\n\n");
}

const char sql_duckdb_notes[] =
    "--\n"
    "-- DuckDB: reads the directory below and writes the three reports into the\n"
    "-- output directory, which bedrock-ledger sql made. Run with\n"
    "-- `duckdb < script.sql` or any DuckDB client (bedrock-ledger(1), SQL). In a\n"
    "-- tree that holds the Bedrock layout (AWSLogs/ACCOUNT/\n"
    "-- BedrockModelInvocationLogs/REGION/YYYY/MM/DD/HH/), *.json files outside it\n"
    "-- are not read; any other pretty-printed JSON document among the files\n"
    "-- stops DuckDB (\"Malformed JSON\"): move it out.\n";

void sql_put_duckdb(struct sqlw *w, const char *loc)
{
	const struct sql_opts *o = w->o;
	/* bedrock-ledger-formats(5), REPORTS: rows in byte order, written in the order sorted,
	 * whatever the settings say */
	sqlw_put(w, "SET default_collation = 'binary';\nSET preserve_insertion_order = true;\n\n");
	put_file_list(w, loc);
	sqlw_put(w, "CREATE OR REPLACE TEMP TABLE ledger_records AS\n");
	put_fields(w);
	sql_put_records_query(w);
	sqlw_put(w, ";\n");
	for (int r = 0; r < SQL_REPORTS; r++) {
		sqlw_put(w, "\nCOPY (\n");
		sql_put_report(w, (enum sql_report)r, "ledger_records", true);
		char *dir = sql_local_dir(o->out_dir);
		sqlw_put(w, "\n) TO ");
		sqlw_lit2(w, dir, sql_report_files[r]);
		free(dir);
		sqlw_put(w, " (FORMAT CSV, HEADER false, QUOTE '', ESCAPE '', DELIMITER '|');\n");
	}
}
