-- bedrock-ledger sql: app_day.csv, caller.csv and unresolved.csv of the
-- Bedrock model-invocation logs at LOCATION, with the rules of the binary
-- (SPEC sections 2.1, 3, 5 and 6): the routes, the manifests and the price
-- table below are inlined; costs are exact decimals rounded half up to 6
-- places once per report row.
--
-- What SQL cannot do as the binary does:
--  * archives (tar, zip, compressed tars) are not read, nor files named
--    other than *.json, *.jsonl, *.json.gz, *.jsonl.gz, *.gz;
--  * gzip is recognised by the name, not by its magic bytes;
--  * line-level rejects: a line that is not one JSON object (invalid-json,
--    too-large, not-an-object) is skipped by the reader, and nothing lists
--    it: there is no rejects.csv; records with a missing or bad timestamp,
--    modelId or token count are left out as the binary leaves them out;
--  * no sources.csv (which objects were read, skipped and why);
--  * JSON documents (records pretty-printed over several lines), CloudWatch
--    export prefixes and permission lines, and get-log-events /
--    filter-log-events pages are not taken apart;
--  * a key repeated in one object: the binary keeps the last value, the
--    engine's JSON functions may take the first;
--  * residency.csv, spikes.csv, reconcile.csv and the summary.
--
-- Athena (Trino): five statements, to run one after the other (the
-- console's Run, or aws athena start-query-execution for each): the table,
-- the view of the counted records, then app_day, caller and unresolved.
-- Each report's result CSV holds the binary's cells (Athena quotes them all).
-- The account and region lists of the partition projection must name
-- every folder under AWSLogs/ (see EDIT below): others are not read.
-- Top-level fields are read as strings: a number where the binary wants a
-- string (a modelId of 5) counts as that string here.

CREATE EXTERNAL TABLE IF NOT EXISTS bedrock_ledger_logs (
  `timestamp` string,
  `modelid` string,
  `accountid` string,
  `identity` string,
  `region` string,
  `operation` string,
  `inferenceregion` string,
  `errorcode` string,
  `input` string,
  `output` string,
  `requestmetadata` string,
  `performanceconfig` string
)
PARTITIONED BY (`account` string, `log_region` string, `hour` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES (
  'ignore.malformed.json' = 'true',
  'case.insensitive' = 'false',
  'mapping.timestamp' = 'timestamp',
  'mapping.modelid' = 'modelId',
  'mapping.accountid' = 'accountId',
  'mapping.identity' = 'identity',
  'mapping.region' = 'region',
  'mapping.operation' = 'operation',
  'mapping.inferenceregion' = 'inferenceRegion',
  'mapping.errorcode' = 'errorCode',
  'mapping.input' = 'input',
  'mapping.output' = 'output',
  'mapping.requestmetadata' = 'requestMetadata',
  'mapping.performanceconfig' = 'performanceConfig'
)
LOCATION 's3://example-bucket/logs/AWSLogs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  -- EDIT: every account whose logs are under LOCATION (these are the manifests')
  'projection.account.type' = 'enum',
  'projection.account.values' = '111122223333',
  -- EDIT: add any other region your logs come from
  'projection.log_region.type' = 'enum',
  'projection.log_region.values' = 'ap-northeast-1,ap-northeast-3,ap-southeast-2,ap-southeast-4,ap-southeast-6,ca-central-1,ca-west-1,us-gov-east-1,us-gov-west-1,us-east-1,us-east-2,us-west-1,us-west-2,eu-central-1,eu-central-2,eu-west-1,eu-west-2,eu-west-3,eu-north-1,eu-south-1,eu-south-2,ap-northeast-2,ap-south-1,ap-south-2,ap-southeast-1,ap-southeast-3,ap-southeast-5,ap-southeast-7,ap-east-2,me-central-1,sa-east-1',
  'projection.hour.type' = 'date',
  'projection.hour.format' = 'yyyy/MM/dd/HH',
  'projection.hour.range' = '2023/01/01/00,NOW',
  'projection.hour.interval' = '1',
  'projection.hour.interval.unit' = 'HOURS',
  'storage.location.template' = 's3://example-bucket/logs/AWSLogs/${account}/BedrockModelInvocationLogs/${log_region}/${hour}/'
);

CREATE OR REPLACE VIEW bedrock_ledger_records AS
WITH ledger_j AS (
  SELECT uuid() AS rid, *,
    json_format(json_extract(input, '$.inputTokenCount')) AS j_in,
    json_format(json_extract(output, '$.outputTokenCount')) AS j_out,
    json_format(json_extract(input, '$.cacheReadInputTokenCount')) AS j_cr,
    json_format(json_extract(input, '$.cacheWriteInputTokenCount')) AS j_cw,
    json_format(json_extract(output, '$.outputBodyJson.usage.cache_creation.ephemeral_1h_input_tokens')) AS j_1h1,
    element_at(filter(TRY_CAST(json_extract(output, '$.outputBodyJson') AS ARRAY(JSON)),
      e -> json_extract_scalar(e, '$.type') = 'message_start'
        AND substr(json_format(json_extract(e, '$.type')), 1, 1) = '"'), 1) AS chunk,
    filter(TRY_CAST(json_extract(output, '$.outputBodyJson.usage.cacheDetails') AS ARRAY(JSON)),
      e -> json_extract_scalar(e, '$.ttl') = '1h' AND substr(json_format(json_extract(e, '$.ttl')), 1, 1) = '"'
        AND json_extract(e, '$.inputTokens') IS NOT NULL) AS details,
    TRY_CAST(json_extract(output, '$.outputBodyJson.usage.cacheDetails') AS ARRAY(JSON)) IS NOT NULL AS has_details
  FROM bedrock_ledger_logs
  WHERE regexp_like("$path", '(?s)/[^/]*\.(jsonl|json|gz)\z') AND NOT regexp_like("$path", '\.tar\.gz\z')
    AND NOT regexp_like("$path", '/\.(json|jsonl)\.gz\z')
    AND strpos(coalesce(regexp_extract('/' || substr("$path", 26), '(?s)\A.*/AWSLogs(/.*)\z', 1), ''), '/data/') = 0
),
ledger_h AS (
  SELECT j.*,
    json_format(json_extract(chunk, '$.message.usage.cache_creation.ephemeral_1h_input_tokens')) AS j_1h2,
    any_match(details, e -> NOT (regexp_like(json_format(json_extract(e, '$.inputTokens')), '\A-?[0-9]{1,16}\z') AND TRY_CAST(json_format(json_extract(e, '$.inputTokens')) AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991)) AS v3_bad,
    reduce(details, CAST(0 AS DECIMAL(38,0)), (s, e) -> s + coalesce(TRY_CAST(json_format(json_extract(e,
      '$.inputTokens')) AS DECIMAL(38,0)), 0), s -> s) AS v3_sum
  FROM ledger_j j
),
ledger_fields AS (
  SELECT rid,
    ("timestamp" IS NOT NULL) AS ts_present, "timestamp" AS ts_s, modelid AS model_s,
    coalesce(accountid, '') AS account_id,
    CASE WHEN substr(json_format(json_extract(identity, '$.arn')), 1, 1) = '"' THEN json_extract_scalar(identity, '$.arn') ELSE '' END AS caller,
    coalesce(region, '') AS region_f, coalesce(operation, '') AS operation,
    coalesce(inferenceregion, '') AS inference_region, coalesce(errorcode, '') <> '' AS is_error,
    ((j_in IS NULL OR j_in = 'null' OR (regexp_like(j_in, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_in AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991))
      AND (j_out IS NULL OR j_out = 'null' OR (regexp_like(j_out, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_out AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991))
      AND (j_cr IS NULL OR j_cr = 'null' OR (regexp_like(j_cr, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_cr AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991))
      AND (j_cw IS NULL OR j_cw = 'null' OR (regexp_like(j_cw, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_cw AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991))) AS tok_ok,
    CASE WHEN (regexp_like(j_in, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_in AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991) THEN CAST(j_in AS DECIMAL(16,0)) ELSE CAST(0 AS DECIMAL(16,0)) END AS tin,
    CASE WHEN (regexp_like(j_out, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_out AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991) THEN CAST(j_out AS DECIMAL(16,0)) ELSE CAST(0 AS DECIMAL(16,0)) END AS tout,
    CASE WHEN (regexp_like(j_cr, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_cr AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991) THEN CAST(j_cr AS DECIMAL(16,0)) ELSE CAST(0 AS DECIMAL(16,0)) END AS tcr,
    CASE WHEN (regexp_like(j_cw, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_cw AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991) THEN CAST(j_cw AS DECIMAL(16,0)) ELSE CAST(0 AS DECIMAL(16,0)) END AS tcw,
    coalesce(json_extract_scalar(performanceconfig, '$.latency') = 'optimized'
      OR json_extract_scalar(input, '$.inputBodyJson.performanceConfig.latency') = 'optimized', false) AS lat_opt,
    nullif(CASE WHEN substr(json_format(json_extract(output, '$.outputBodyJson.serviceTier.type')), 1, 1) = '"' THEN json_extract_scalar(output, '$.outputBodyJson.serviceTier.type') ELSE '' END, '') AS out_tier,
    nullif(CASE WHEN substr(json_format(json_extract(input, '$.inputBodyJson.serviceTier.type')), 1, 1) = '"' THEN json_extract_scalar(input, '$.inputBodyJson.serviceTier.type') ELSE '' END, '') AS in_tier,
    CASE WHEN j_1h1 IS NOT NULL THEN (CASE WHEN (regexp_like(j_1h1, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_1h1 AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991) THEN CAST(j_1h1 AS DECIMAL(38,0)) END)
      WHEN j_1h2 IS NOT NULL THEN (CASE WHEN (regexp_like(j_1h2, '\A-?[0-9]{1,16}\z') AND TRY_CAST(j_1h2 AS DECIMAL(38,0)) BETWEEN 0 AND 9007199254740991) THEN CAST(j_1h2 AS DECIMAL(38,0)) END)
      WHEN has_details THEN (CASE WHEN v3_bad OR v3_sum > 9007199254740991 THEN NULL ELSE v3_sum END)
      END AS h1_v,
    CASE WHEN substr(json_format(json_extract(requestmetadata, '$["tenant"]')), 1, 1) = '"' THEN json_extract_scalar(requestmetadata, '$["tenant"]') ELSE '' END AS m_0,
    CASE WHEN substr(json_format(json_extract(requestmetadata, '$["env"]')), 1, 1) = '"' THEN json_extract_scalar(requestmetadata, '$["env"]') ELSE '' END AS m_1
  FROM ledger_h
),
ledger_prices AS (
  SELECT CAST(c1 AS BIGINT) AS pid, CAST(c2 AS VARCHAR) AS model_id,
    CAST(c3 AS VARCHAR) AS region, CAST(c4 AS VARCHAR) AS tier,
    CAST(c5 AS DECIMAL(20,0)) AS context_over,
    CAST(c6 AS DECIMAL(38,0)) AS valid_from, CAST(c7 AS DECIMAL(38,0)) AS valid_to,
    CAST(c8 AS DECIMAL(20,0)) AS p_in, CAST(c9 AS DECIMAL(20,0)) AS p_out,
    CAST(c10 AS DECIMAL(20,0)) AS p_cr, CAST(c11 AS DECIMAL(20,0)) AS p_cw,
    CAST(c12 AS DECIMAL(20,0)) AS p_1h
  FROM (VALUES
     (0, 'anthropic.claude-3-haiku-20240307-v1:0', '*', 'standard', 0, NULL, NULL, 250000000, 1250000000, NULL, NULL, NULL)
    ,(1, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-gov-west-1', 'standard', 0, NULL, NULL, 300000000, 1500000000, NULL, NULL, NULL)
    ,(2, 'anthropic.claude-sonnet-4-5-20250929-v1:0', '*', 'standard', 0, NULL, NULL, 3300000000, 16500000000, 330000000, 4125000000, NULL)
    ,(3, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', '*', 'standard', 0, NULL, NULL, 3300000000, 16500000000, 330000000, 4125000000, NULL)
    ,(4, 'global.anthropic.claude-haiku-4-5-20251001-v1:0', '*', 'standard', 0, NULL, NULL, 1000000000, 5000000000, 100000000, 1250000000, NULL)
    ,(5, 'amazon.nova-lite-v1:0', '*', 'standard', 0, NULL, NULL, 60000000, 240000000, 15000000, NULL, NULL)
    ,(6, 'amazon.nova-lite-v1:0', 'eu-central-1', 'standard', 0, NULL, NULL, 78000000, 312000000, NULL, NULL, NULL)
  ) AS v(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12)
),
ledger_manifest AS (
  SELECT CAST(c1 AS VARCHAR) AS arn, CAST(c2 AS VARCHAR) AS model_id,
    CAST(c3 AS VARCHAR) AS t_0,
    CAST(c4 AS VARCHAR) AS t_1
  FROM (VALUES
     ('arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/supp0rtchat1', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'tagged', 'support-chat')
    ,('arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/search0rank2', 'amazon.nova-lite-v1:0', 'platform, core', 'search')
  ) AS v(c1, c2, c3, c4)
),
ledger_t1 AS (
  SELECT f.*,
    TRY_CAST(substr(ts_s, 1, 4) AS BIGINT) AS ty, TRY_CAST(substr(ts_s, 6, 2) AS BIGINT) AS tmo,
    TRY_CAST(substr(ts_s, 9, 2) AS BIGINT) AS td, TRY_CAST(substr(ts_s, 12, 2) AS BIGINT) AS th,
    TRY_CAST(substr(ts_s, 15, 2) AS BIGINT) AS tmi, TRY_CAST(substr(ts_s, 18, 2) AS BIGINT) AS tse,
    CASE WHEN substr(ts_s, 20, 1) = '.'
      THEN TRY_CAST(rpad(coalesce(regexp_extract(ts_s, '\A.{20}([0-9]+)', 1), ''), 9, '0') AS BIGINT)
      ELSE 0 END AS tns,
    substr(ts_s, length(ts_s), 1) = 'Z' AS tz_utc,
    TRY_CAST(substr(ts_s, length(ts_s) - 4, 2) AS BIGINT) AS toh,
    TRY_CAST(substr(ts_s, length(ts_s) - 1, 2) AS BIGINT) AS tom,
    substr(ts_s, length(ts_s) - 5, 1) AS tos
  FROM ledger_fields f
  WHERE ts_present AND ts_s IS NOT NULL AND regexp_like(ts_s, '\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})\z')
),
ledger_t2 AS (
  SELECT t.*,
    (ty - CASE WHEN tmo <= 2 THEN 1 ELSE 0 END + 400) AS cy
  FROM ledger_t1 t
  WHERE tmo BETWEEN 1 AND 12 AND td >= 1 AND th <= 23 AND tmi <= 59 AND tse <= 59
    AND td <= CASE WHEN tmo = 2 THEN (CASE WHEN ty % 4 = 0 AND (ty % 100 <> 0 OR ty % 400 = 0)
      THEN 29 ELSE 28 END) WHEN tmo IN (4, 6, 9, 11) THEN 30 ELSE 31 END
    AND (tz_utc OR (toh <= 23 AND tom <= 59))
),
ledger_t3 AS (
  SELECT t.*,
    ((cy / 400 - 1) * 146097 + (cy - (cy / 400) * 400) * 365
      + (cy - (cy / 400) * 400) / 4 - (cy - (cy / 400) * 400) / 100
      + (153 * ((tmo + 9) % 12) + 2) / 5 + td - 1 - 719468) * 86400
      + th * 3600 + tmi * 60 + tse
      - CASE WHEN tz_utc THEN 0 ELSE (CASE WHEN tos = '-' THEN -1 ELSE 1 END) * (toh * 3600 + tom * 60) END
      AS sec
  FROM ledger_t2 t
),
ledger_t4 AS (
  SELECT t.*,
    (greatest(least(sec, 253402300799), -62167219200) + 86400000000) AS sq
  FROM ledger_t3 t
  WHERE model_s IS NOT NULL AND model_s <> '' AND tok_ok
),
ledger_t5 AS (
  SELECT t.*,
    sq % 86400 AS sod,
    sq / 86400 - 1000000 + 719468 + 146097 AS zz
  FROM ledger_t4 t
),
ledger_t6 AS (
  SELECT t.*, zz / 146097 AS era, zz - (zz / 146097) * 146097 AS doe
  FROM ledger_t5 t
),
ledger_t7 AS (
  SELECT t.*, (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe
  FROM ledger_t6 t
),
ledger_t8 AS (
  SELECT t.*, doe - (365 * yoe + yoe / 4 - yoe / 100) AS doy
  FROM ledger_t7 t
),
ledger_t9 AS (
  SELECT t.*, (5 * doy + 2) / 153 AS mp
  FROM ledger_t8 t
),
ledger_t10 AS (
  SELECT t.*,
    doy - (153 * mp + 2) / 5 + 1 AS dd,
    CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END AS dm,
    yoe + (era - 1) * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END AS dy
  FROM ledger_t9 t
),
ledger_rec AS (
  SELECT t.*,
    CAST(sec AS DECIMAL(38,0)) * 1000000000 + tns AS tsn,
    lpad(CAST(dy AS VARCHAR), 4, '0') || '-' || lpad(CAST(dm AS VARCHAR), 2, '0') || '-'
      || lpad(CAST(dd AS VARCHAR), 2, '0') AS day,
    lpad(CAST(dy AS VARCHAR), 4, '0') || '-' || lpad(CAST(dm AS VARCHAR), 2, '0') || '-'
      || lpad(CAST(dd AS VARCHAR), 2, '0') || 'T' || lpad(CAST(sod / 3600 AS VARCHAR), 2, '0')
      || ':' || lpad(CAST((sod / 60) % 60 AS VARCHAR), 2, '0') || ':'
      || lpad(CAST(sod % 60 AS VARCHAR), 2, '0') || 'Z' AS ts_str,
    CASE WHEN lat_opt THEN 'latency-optimized'
      ELSE coalesce(nullif(CASE WHEN out_tier IS NOT NULL AND regexp_like(out_tier, '\A[a-z0-9_-]{1,32}\z') THEN out_tier
        WHEN in_tier IS NOT NULL AND regexp_like(in_tier, '\A[a-z0-9_-]{1,32}\z') THEN in_tier END, 'default'), 'standard')
      END AS tier,
    CASE WHEN h1_v IS NOT NULL AND h1_v <= tcw THEN CAST(h1_v AS DECIMAL(16,0)) ELSE CAST(0 AS DECIMAL(16,0)) END AS h1,
    substr(model_s, 1, 4) = 'arn:' AS is_arn,
    coalesce(regexp_extract(model_s, '(?s)\Aarn:aws[^:]*:bedrock:[^:]*:[^:]*:([^/]*)/.', 1), '') AS atype,
    coalesce(regexp_extract(model_s, '(?s)\Aarn:aws[^:]*:bedrock:[^:]*:[^:]*:[^/]*/(.+)\z', 1), '') AS arest,
    coalesce(regexp_extract(model_s, '(?s)\A(jp|au|ca|us-gov|us|eu|apac|ap|sa|global)\.[^.]+\..', 1), '') AS geo_raw,
    CASE WHEN region_f <> '' THEN region_f
      ELSE coalesce(regexp_extract(model_s, '(?s)\Aarn:[^:]*:[^:]*:([^:]*):', 1), '') END AS src_region,
    CASE WHEN regexp_like(caller, '(?s)\Aarn:([^:]*):sts::([^:]*):assumed-role/([^/]+)/')
      THEN 'arn:' || regexp_extract(caller, '(?s)\Aarn:([^:]*):sts::', 1) || ':iam::'
        || regexp_extract(caller, '(?s)\Aarn:[^:]*:sts::([^:]*):', 1) || ':role/'
        || regexp_extract(caller, '(?s)\Aarn:[^:]*:sts::[^:]*:assumed-role/([^/]+)/', 1)
      ELSE '' END AS principal_m
  FROM ledger_t10 t
),
ledger_r2 AS (
  SELECT r.*,
      CASE WHEN NOT is_arn THEN (CASE WHEN geo_raw <> '' THEN 'system-profile' ELSE 'foundation-model' END)
      WHEN arest <> '' AND atype = 'application-inference-profile' THEN 'application-profile'
      WHEN arest <> '' AND atype = 'inference-profile' THEN 'system-profile'
      WHEN arest <> '' AND atype = 'foundation-model' THEN 'foundation-model'
      ELSE 'other' END AS route
  FROM ledger_rec r
),
ledger_a1 AS (
  SELECT r.*, m.arn AS m_arn, m.model_id AS m_model, coalesce(m.t_0, '') AS t_0, coalesce(m.t_1, '') AS t_1,
    CASE WHEN r.route = 'application-profile' AND m.arn IS NULL THEN 'not-in-manifest'
      WHEN r.route = 'application-profile' AND m.model_id IS NULL THEN 'no-model'
      WHEN r.route = 'other' THEN 'not-token-priced' ELSE '' END AS problem0
  FROM ledger_r2 r LEFT JOIN ledger_manifest m
    ON r.route = 'application-profile' AND m.arn = r.model_s
),
ledger_a2 AS (
  SELECT a.*,
    CASE WHEN problem0 <> '' THEN model_s WHEN route = 'application-profile' THEN m_model
      WHEN is_arn THEN arest ELSE model_s END AS model
  FROM ledger_a1 a
),
ledger_a3 AS (
  SELECT a.*, coalesce(regexp_extract(model, '(?s)\A(jp|au|ca|us-gov|us|eu|apac|ap|sa|global)\.[^.]+\..', 1), '') AS mgeo,
    tin + tcr + tcw AS ctx
  FROM ledger_a2 a
),
ledger_a4 AS (
  SELECT a.*,
    CASE WHEN mgeo <> '' AND mgeo NOT IN ('global') THEN substr(model, length(mgeo) + 2) END AS stripped,
    CASE WHEN route = 'other' OR problem0 IN ('not-in-manifest', 'no-model') THEN 'unknown'
      ELSE CASE mgeo WHEN 'jp' THEN 'jp' WHEN 'au' THEN 'au' WHEN 'ca' THEN 'ca' WHEN 'us-gov' THEN 'us-gov' WHEN 'us' THEN 'us' WHEN 'eu' THEN 'eu' WHEN 'apac' THEN 'apac' WHEN 'ap' THEN 'apac' WHEN 'sa' THEN 'sa' WHEN 'global' THEN 'global' ELSE 'in-region' END END AS pool
  FROM ledger_a3 a
),
ledger_keys AS (
  SELECT k.model, k.stripped, k.src_region, k.tier, count(p.pid) > 0 AS any_row
  FROM (SELECT DISTINCT model, stripped, src_region, tier FROM ledger_a4 WHERE problem0 = '') k
  LEFT JOIN ledger_prices p
    ON (p.model_id = k.model OR p.model_id = k.stripped) AND (p.region = k.src_region OR p.region = '*')
  GROUP BY k.model, k.stripped, k.src_region, k.tier
),
ledger_cand AS (
  SELECT k.model AS k_model, k.src_region AS k_region, k.tier AS k_tier, k.any_row, p.*,
    CASE WHEN p.model_id = k.model AND p.region = k.src_region THEN 0 WHEN p.model_id = k.model THEN 1
      WHEN p.region = k.src_region THEN 2 ELSE 3 END AS step
  FROM ledger_keys k LEFT JOIN ledger_prices p
    ON p.tier = k.tier AND (p.model_id = k.model OR p.model_id = k.stripped)
    AND (p.region = k.src_region OR p.region = '*')
),
ledger_p1 AS (
  SELECT a.*, c.any_row, c.pid, c.step, c.context_over, c.model_id AS p_model, c.region AS p_region,
    c.tier AS p_tier, c.p_in, c.p_out, c.p_cr, c.p_cw, c.p_1h,
    (c.pid IS NOT NULL AND (c.valid_from IS NULL OR c.valid_from <= a.tsn)
      AND (c.valid_to IS NULL OR a.tsn < c.valid_to)) AS in_force
  FROM ledger_a4 a LEFT JOIN ledger_cand c
    ON a.problem0 = '' AND c.k_model = a.model AND c.k_region = a.src_region AND c.k_tier = a.tier
),
ledger_p2 AS (
  SELECT p.*, (in_force AND (context_over = 0 OR context_over < ctx)) AS eligible
  FROM ledger_p1 p
),
ledger_p3 AS (
  SELECT p.*,
    row_number() OVER (PARTITION BY rid ORDER BY CASE WHEN eligible THEN 0 ELSE 1 END, step,
      context_over DESC) AS rn,
    coalesce(bool_or(in_force) OVER (PARTITION BY rid), false) AS any_in_force,
    count(pid) OVER (PARTITION BY rid) AS n_tier
  FROM ledger_p2 p
),
ledger_p4 AS (
  SELECT p.*, coalesce(eligible, false) AS found,
    CASE WHEN NOT coalesce(eligible, false) THEN NULL
      WHEN tin > 0 AND p_in IS NULL THEN 'input_per_mtok'
      WHEN tout > 0 AND p_out IS NULL THEN 'output_per_mtok'
      WHEN tcr > 0 AND p_cr IS NULL THEN 'cache_read_per_mtok'
      WHEN tcw - h1 > 0 AND p_cw IS NULL THEN 'cache_write_per_mtok'
      WHEN h1 > 0 AND p_1h IS NULL THEN 'cache_write_1h_per_mtok' END AS missing
  FROM ledger_p3 p WHERE rn = 1
),
ledger_p5 AS (
  SELECT p.*,
    (problem0 <> '' OR NOT found OR missing IS NOT NULL) AS unpriced
  FROM ledger_p4 p
),
ledger_priced AS (
  SELECT day,
    m_0 AS g_0,
    t_0 AS g_1,
    t_1 AS g_2,
    m_1 AS g_3,
    model, caller AS caller_key, account_id, route,
    CASE WHEN problem0 <> '' THEN problem0 WHEN unpriced THEN 'no-price' ELSE '' END AS problem,
    model AS problem_model,
    CASE WHEN problem0 <> '' OR NOT unpriced THEN ''
      WHEN found THEN 'empty ' || missing || ' in the row for ' || p_model || ',' || p_region
        || CASE WHEN p_tier <> 'standard' THEN ',' || p_tier ELSE '' END
        || CASE WHEN context_over > 0 THEN ',context over ' || CAST(context_over AS VARCHAR) ELSE '' END
      WHEN n_tier > 0 AND NOT any_in_force THEN 'no row in force'
      WHEN n_tier = 0 AND coalesce(any_row, false) THEN 'no ' || tier || ' row'
      ELSE 'no row' END AS detail,
    is_error, tin, tout, tcr, tcw, h1, unpriced,
    CAST(CASE WHEN unpriced THEN 0 ELSE
      CASE WHEN tin > 0 THEN tin * p_in ELSE 0 END + CASE WHEN tout > 0 THEN tout * p_out ELSE 0 END
      + CASE WHEN tcr > 0 THEN tcr * p_cr ELSE 0 END + CASE WHEN tcw - h1 > 0 THEN (tcw - h1) * p_cw ELSE 0 END
      + CASE WHEN h1 > 0 THEN h1 * p_1h ELSE 0 END END AS DECIMAL(38,0)) AS cost,
    ts_str
  FROM ledger_p5
)
SELECT * FROM ledger_priced;

-- app_day.csv
WITH ledger_a AS (
    SELECT day AS k_0, g_0 AS k_1, g_1 AS k_2, g_2 AS k_3, g_3 AS k_4, model AS k_5, count(*) AS n_inv, sum(CASE WHEN is_error THEN 1 ELSE 0 END) AS n_err,
      sum(tin) AS s_in, sum(tout) AS s_out, sum(tcr) AS s_cr, sum(tcw) AS s_cw, sum(h1) AS s_1h,
      bool_or(unpriced) AS any_unpriced, sum(cost) + 500000000 AS s_cost,
      min(ts_str) AS first_seen, max(ts_str) AS last_seen
    FROM bedrock_ledger_records
    GROUP BY day, g_0, g_1, g_2, g_3, model
  ), ledger_u AS (
    SELECT a.*, CASE WHEN length(CAST(s_cost AS VARCHAR)) < 16 THEN lpad(CAST(s_cost AS VARCHAR), 16, '0')
      ELSE CAST(s_cost AS VARCHAR) END AS c_txt
    FROM ledger_a a
  ), ledger_v AS (
    SELECT u.*,
      CASE WHEN any_unpriced THEN '' ELSE
        CAST(CAST(substr(c_txt, 1, length(c_txt) - 15) AS DECIMAL(38,0)) AS VARCHAR) || '.'
        || substr(c_txt, length(c_txt) - 14, 6) END AS cost_usd
    FROM ledger_u u
  )
SELECT
  CASE WHEN substr(k_0, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_0 ELSE k_0 END AS "day",
  CASE WHEN substr(k_1, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_1 ELSE k_1 END AS "tenant",
  CASE WHEN substr(k_2, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_2 ELSE k_2 END AS "meta:x",
  CASE WHEN substr(k_3, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_3 ELSE k_3 END AS "app",
  CASE WHEN substr(k_4, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_4 ELSE k_4 END AS "env",
  CASE WHEN substr(k_5, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_5 ELSE k_5 END AS "model",
  n_inv AS "invocations",
  n_err AS "errors",
  s_in AS "input_tokens",
  s_out AS "output_tokens",
  s_cr AS "cache_read_tokens",
  s_cw AS "cache_write_tokens",
  s_1h AS "cache_write_1h_tokens",
  cost_usd
FROM ledger_v
ORDER BY k_0, k_1, k_2, k_3, k_4, k_5;

-- caller.csv
WITH ledger_a AS (
    SELECT caller_key AS k_0, account_id AS k_1, route AS k_2, model AS k_3, count(*) AS n_inv, sum(CASE WHEN is_error THEN 1 ELSE 0 END) AS n_err,
      sum(tin) AS s_in, sum(tout) AS s_out, sum(tcr) AS s_cr, sum(tcw) AS s_cw, sum(h1) AS s_1h,
      bool_or(unpriced) AS any_unpriced, sum(cost) + 500000000 AS s_cost,
      min(ts_str) AS first_seen, max(ts_str) AS last_seen
    FROM bedrock_ledger_records
    GROUP BY caller_key, account_id, route, model
  ), ledger_u AS (
    SELECT a.*, CASE WHEN length(CAST(s_cost AS VARCHAR)) < 16 THEN lpad(CAST(s_cost AS VARCHAR), 16, '0')
      ELSE CAST(s_cost AS VARCHAR) END AS c_txt
    FROM ledger_a a
  ), ledger_v AS (
    SELECT u.*,
      CASE WHEN any_unpriced THEN '' ELSE
        CAST(CAST(substr(c_txt, 1, length(c_txt) - 15) AS DECIMAL(38,0)) AS VARCHAR) || '.'
        || substr(c_txt, length(c_txt) - 14, 6) END AS cost_usd
    FROM ledger_u u
  )
SELECT
  CASE WHEN substr(k_0, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_0 ELSE k_0 END AS "caller",
  CASE WHEN substr(k_1, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_1 ELSE k_1 END AS "account_id",
  CASE WHEN substr(k_2, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_2 ELSE k_2 END AS "route",
  CASE WHEN substr(k_3, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_3 ELSE k_3 END AS "model",
  n_inv AS "invocations",
  n_err AS "errors",
  s_in AS "input_tokens",
  s_out AS "output_tokens",
  s_cr AS "cache_read_tokens",
  s_cw AS "cache_write_tokens",
  s_1h AS "cache_write_1h_tokens",
  cost_usd,
  first_seen, last_seen
FROM ledger_v
ORDER BY k_0, k_1, k_2, k_3;

-- unresolved.csv
WITH ledger_a AS (
    SELECT problem_model AS k_0, problem AS k_1, detail AS k_2, count(*) AS n_inv, sum(CASE WHEN is_error THEN 1 ELSE 0 END) AS n_err,
      sum(tin) AS s_in, sum(tout) AS s_out, sum(tcr) AS s_cr, sum(tcw) AS s_cw, sum(h1) AS s_1h,
      bool_or(unpriced) AS any_unpriced, sum(cost) + 500000000 AS s_cost,
      min(ts_str) AS first_seen, max(ts_str) AS last_seen
    FROM bedrock_ledger_records
    WHERE problem <> ''
    GROUP BY problem_model, problem, detail
  ), ledger_u AS (
    SELECT a.*, CASE WHEN length(CAST(s_cost AS VARCHAR)) < 16 THEN lpad(CAST(s_cost AS VARCHAR), 16, '0')
      ELSE CAST(s_cost AS VARCHAR) END AS c_txt
    FROM ledger_a a
  ), ledger_v AS (
    SELECT u.*,
      CASE WHEN any_unpriced THEN '' ELSE
        CAST(CAST(substr(c_txt, 1, length(c_txt) - 15) AS DECIMAL(38,0)) AS VARCHAR) || '.'
        || substr(c_txt, length(c_txt) - 14, 6) END AS cost_usd
    FROM ledger_u u
  )
SELECT
  CASE WHEN substr(k_0, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_0 ELSE k_0 END AS "model_id",
  CASE WHEN substr(k_1, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_1 ELSE k_1 END AS "problem",
  CASE WHEN substr(k_2, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || k_2 ELSE k_2 END AS "detail",
  n_inv AS "invocations",
  s_in AS "input_tokens",
  s_out AS "output_tokens",
  s_cr AS "cache_read_tokens",
  s_cw AS "cache_write_tokens",
  s_1h AS "cache_write_1h_tokens"
FROM ledger_v
ORDER BY k_0, k_1, k_2;
