-- decimals.sql: the decimal expressions of the generated scripts (src/sql/sql_report.c,
-- src/sql/sql_query.c), which DuckDB and Trino evaluate alike: DECIMAL(16,0)
-- token counts times DECIMAL(20,0) prices (nano-USD per million tokens) are
-- exact DECIMAL(36,0) femto-USD, their sums exact DECIMAL(38,0), and a cost
-- is rounded half up to 6 decimals by cutting digits off sum + 5e8 (no
-- division: Trino's would round, DuckDB's would be DOUBLE). Prints
-- "decimals ok" when every value is as computed exactly beforehand.
WITH products AS (
  SELECT CAST(CAST('9007199254740991' AS DECIMAL(16,0)) * CAST('99999999999999999999' AS DECIMAL(20,0)) AS VARCHAR) AS one,
    CAST(CAST(
      CAST('9007199254740991' AS DECIMAL(16,0)) * CAST('99999999999999999999' AS DECIMAL(20,0))
      + CAST('9007199254740991' AS DECIMAL(16,0)) * CAST('99999999999999999999' AS DECIMAL(20,0))
      + CAST('9007199254740991' AS DECIMAL(16,0)) * CAST('99999999999999999999' AS DECIMAL(20,0))
      + CAST('9007199254740991' AS DECIMAL(16,0)) * CAST('99999999999999999999' AS DECIMAL(20,0))
      + CAST('9007199254740991' AS DECIMAL(16,0)) * CAST('99999999999999999999' AS DECIMAL(20,0))
      AS DECIMAL(38,0)) AS VARCHAR) AS five
),
costs AS (
  SELECT CAST(c AS DECIMAL(38,0)) + 500000000 AS s_cost, expected
  FROM (VALUES
    ('0', '0.000000'),
    ('1', '0.000000'),
    ('499999999', '0.000000'),
    ('500000000', '0.000001'),
    ('999999999', '0.000001'),
    ('1000000000', '0.000001'),
    ('1499999999', '0.000001'),
    ('1500000000', '0.000002'),
    ('123456789012345678901234567', '123456789012.345679'),
    ('99999999999999999999999999999499999999', '99999999999999999999999.999999')
  ) AS v(c, expected)
),
ledger_u AS (
  SELECT CASE WHEN length(CAST(s_cost AS VARCHAR)) < 16 THEN lpad(CAST(s_cost AS VARCHAR), 16, '0')
    ELSE CAST(s_cost AS VARCHAR) END AS c_txt, expected
  FROM costs
),
ledger_v AS (
  SELECT CAST(CAST(substr(c_txt, 1, length(c_txt) - 15) AS DECIMAL(38,0)) AS VARCHAR) || '.'
    || substr(c_txt, length(c_txt) - 14, 6) AS cost_usd, expected
  FROM ledger_u
),
summed AS (
  SELECT CAST(sum(CAST(c AS DECIMAL(38,0))) AS VARCHAR) AS total
  FROM (VALUES ('900719925474099099990992800745259009'), ('900719925474099099990992800745259009'), ('1')) AS v(c)
)
SELECT CASE WHEN (SELECT count(*) FROM ledger_v WHERE cost_usd <> expected) = 0
  AND (SELECT one FROM products) = '900719925474099099990992800745259009' AND (SELECT five FROM products) = '4503599627370495499954964003726295045'
  AND (SELECT total FROM summed) = '1801439850948198199981985601490518019'
  THEN 'decimals ok' ELSE 'decimals WRONG' END AS verdict
UNION ALL
SELECT cost_usd || ' expected ' || expected FROM ledger_v WHERE cost_usd <> expected;
