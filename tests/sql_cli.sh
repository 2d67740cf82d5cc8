#!/bin/bash
# sql_cli.sh BINARY SOURCE_ROOT - `bedrock-ledger sql`, its LOCATION and -o
# (bedrock-ledger(1), SQL), without DuckDB: which dialect a location fits
# (exit 2), a missing LOCATION and an unusable -o (exit 3, as for a run),
# s3://bucket/prefix/AWSLogs/ taken as the prefix that holds it, -o made, and
# a script header that cites the man page.
. "$(dirname "$0")/lib.sh"

logs=$src/testdata/sample/logs
cd "$tmp" || exit 1

# runs bedrock-ledger ARGS: status in $status, stdout in out.sql, stderr in err
run() {
	"$bin" "$@" > out.sql 2> err
	status=$?
}

# 1. a local path for athena, given or by default
for d in "" "--dialect athena"; do
	# shellcheck disable=SC2086
	run sql $d "$logs"
	check "athena${d:+ given}, local LOCATION: exit 2 (got $status)" '[ $status = 2 ]'
	check "athena${d:+ given}, local LOCATION: says to use --dialect duckdb" \
		'grep -q "^bedrock-ledger: sql: LOCATION .* is a local path: .*use --dialect duckdb" err'
	check "athena${d:+ given}, local LOCATION: no script" '[ ! -s out.sql ]'
done
run sql gs://bucket/logs/
check "athena, gs:// LOCATION: exit 2 (got $status)" '[ $status = 2 ]'

# 2. s3:// for duckdb
run sql --dialect duckdb s3://bucket/logs/
check "duckdb, s3:// LOCATION: exit 2 (got $status)" '[ $status = 2 ]'
check "duckdb, s3:// LOCATION: says to use --dialect athena" \
	'grep -q "^bedrock-ledger: sql: LOCATION .s3://bucket/logs/. is in S3: .*use --dialect athena" err'

# 3. a LOCATION that does not exist: exit 3 and the message of a run
run sql --dialect duckdb -o o nonexist
check "duckdb, missing LOCATION: exit 3 (got $status)" '[ $status = 3 ]'
"$bin" -q -o o nonexist 2> run.err
check "duckdb, missing LOCATION: the message of a run" 'cmp -s err run.err'
check "duckdb, missing LOCATION: says so" 'grep -qx "bedrock-ledger: nonexist: no such file or directory" err'
run sql --dialect duckdb "$logs/AWSLogs/nonexist"
check "duckdb, missing LOCATION below a directory: exit 3 (got $status)" '[ $status = 3 ]'

# 4. a file as LOCATION: duckdb reads a directory
run sql --dialect duckdb "$(find "$logs" -type f -name '*.json.gz' | head -n 1)"
check "duckdb, a file as LOCATION: exit 2 (got $status)" '[ $status = 2 ]'
check "duckdb, a file as LOCATION: says why" 'grep -q "is a file: the duckdb dialect reads a directory" err'

# 5. -o: made now; one that cannot be made or written is exit 3, as for a run
run sql --dialect duckdb -o new/deep/out "$logs"
check "duckdb, -o missing: exit 0 (got $status)" '[ $status = 0 ]'
check "duckdb, -o missing: made" '[ -d new/deep/out ] && [ -z "$(ls -A new/deep/out)" ]'
check "duckdb, -o: the script writes there, by its absolute path" \
	"grep -q \"TO '$tmp/new/deep/out/app_day.csv'\" out.sql"
echo x > file
run sql --dialect duckdb -o file/sub "$logs"
check "duckdb, -o under a file: exit 3 (got $status)" '[ $status = 3 ]'
"$bin" -q -o file/sub "$logs" 2> run.err
check "duckdb, -o under a file: the message of a run" 'cmp -s err run.err && [ -s err ]'
check "duckdb, -o under a file: no script" '[ ! -s out.sql ]'
run sql -o not-made s3://bucket/logs/
check "athena: -o is not made" '[ $status = 0 ] && [ ! -e not-made ]'

# 6. athena: the prefix that holds AWSLogs/, or AWSLogs/ itself
"$bin" sql s3://bkt/ > prefix.sql
for loc in s3://bkt/AWSLogs s3://bkt/AWSLogs//; do
	run sql "$loc"
	check "athena, $loc: the script of s3://bkt/" '[ $status = 0 ] && cmp -s out.sql prefix.sql'
done
check "athena, AWSLogs/: LOCATION s3://bkt/AWSLogs/" "grep -qx \"LOCATION 's3://bkt/AWSLogs/'\" out.sql"
check "athena, AWSLogs/: never AWSLogs/AWSLogs/" '! grep -q "AWSLogs/AWSLogs" out.sql'
run sql s3://bkt/pre/AWSLogs/
check "athena, s3://bkt/pre/AWSLogs/: LOCATION s3://bkt/pre/AWSLogs/" \
	"grep -qx \"LOCATION 's3://bkt/pre/AWSLogs/'\" out.sql"
run sql s3://bkt/pre/AWSLogs/111122223333/BedrockModelInvocationLogs/
check "athena, below AWSLogs/: exit 2 (got $status)" '[ $status = 2 ]'
check "athena, below AWSLogs/: names the prefix to give" 'grep -q "give the prefix that holds it, s3://bkt/pre/ " err'
run sql s3://
check "athena, no bucket: exit 2 (got $status)" '[ $status = 2 ]'

# 7. the header cites the man page, not a document users do not have
for d in athena duckdb; do
	if [ $d = athena ]; then run sql s3://bkt/; else run sql --dialect duckdb -o o "$logs"; fi
	check "$d script: cites bedrock-ledger(1)" 'grep -q "^-- (man bedrock-ledger: sections" out.sql'
	check "$d script: no SPEC" '! grep -qi "spec" out.sql'
done

tap_done
