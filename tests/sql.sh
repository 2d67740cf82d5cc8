#!/bin/bash
# sql.sh BINARY SOURCE_ROOT - `bedrock-ledger sql` (SPEC §9), as TAP:
#  * the duckdb script of each golden case below, run by DuckDB, writes
#    app_day.csv, caller.csv and unresolved.csv byte-identical to the
#    binary's expected reports;
#  * the athena golden scripts in tests/sql/ are what the binary prints now
#    (regenerate them with tests/sql/regenerate.sh) and parse as Trino SQL;
#  * the decimal expressions of the scripts give exact results in DuckDB.
# DuckDB and the parser come from the npm registry (@duckdb/node-api,
# node-sql-parser), installed into a scratch folder (BEDROCK_LEDGER_NPM_DIR,
# default ~/.cache/bedrock-ledger-npm). Without node and npm, or when npm
# cannot install them, the test is skipped, unless BEDROCK_LEDGER_SQL_REQUIRED=1
# (.ci/run sets it, and installs node and npm, so that CI always runs it).
set -u
bin=$1
root=$2
case "$bin" in /*) ;; *) bin=$(pwd)/$bin ;; esac

# The golden cases that qualify: directory trees or single NDJSON files, no
# archive, no JSON document, no CloudWatch export (SPEC §9).
cases="attr-builtin-prices attr-lookup-chain attr-manifest-csv attr-manifest-csv-blanks
attr-manifest-json attr-manifest-tags attr-manifest-warnings attr-merge attr-rounding attr-routes
callers-principal decoys formula-guard group-fields group-meta group-tag-warnings
manifest-arn-warnings price-1h price-context price-short-rows price-tiers price-validity rejects
residency-own-columns residency-pools spikes-defaults spikes-rules spikes-spilled timestamps
tokens-null tree-builtin-prices tree-manifest window window-hour-folders window-hour-slack
sql-edges sql-edges-window"
# The athena golden scripts: tests/sql/CASE.athena.sql.golden is what
# `bedrock-ledger sql --dialect athena` prints for that case's arguments.
athena_cases="tree-manifest group-meta window-hour-slack"

# The arguments of a case, less those of the run only, as sql takes them;
# the last argument, the input, becomes LOCATION (a file is copied into a
# directory of its own).
sql_args() {
	local dir=$1 prev=
	sqlargs=()
	input=
	while IFS= read -r line || [ -n "$line" ]; do
		case "$prev" in
		-j|--jobs|--spike-usd|--spike-factor) prev=; continue ;;
		esac
		case "$line" in
		-q|--quiet|--strict) continue ;;
		-j|--jobs|--spike-usd|--spike-factor) prev=$line; continue ;;
		esac
		sqlargs+=("$line")
	done < "$dir/args"
	input=${sqlargs[${#sqlargs[@]}-1]}
	unset 'sqlargs[${#sqlargs[@]}-1]'
}

# UPDATE_GOLDEN=1 (tests/sql/regenerate.sh): rewrite the athena golden scripts
athena_script() {
	local c=$1
	sql_args "$root/testdata/cases/$c"
	(cd "$root/testdata/cases/$c" && "$bin" sql --dialect athena "${sqlargs[@]}" s3://example-bucket/logs/)
}
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	for a in $athena_cases; do
		athena_script "$a" > "$root/tests/sql/$a.athena.sql.golden" || exit 1
		echo "wrote tests/sql/$a.athena.sql.golden"
	done
	exit 0
fi

# no DuckDB here: skipped, or a failure where it is required
skip() {
	if [ "${BEDROCK_LEDGER_SQL_REQUIRED:-}" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - $1 (BEDROCK_LEDGER_SQL_REQUIRED=1)"
	else
		echo "1..0 # SKIP $1"
	fi
	exit 0
}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	skip "node and npm not found: install nodejs and npm (as .ci/run does) to run the SQL tests"
fi
npm_dir=${BEDROCK_LEDGER_NPM_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/bedrock-ledger-npm}
# pinned, so that a new release cannot change the results under us
packages="@duckdb/node-api@1.5.6-r.1 node-sql-parser@5.4.0"
if [ ! -f "$npm_dir/.installed" ] || [ "$(cat "$npm_dir/.installed")" != "$packages" ]; then
	mkdir -p "$npm_dir" || exit 1
	# shellcheck disable=SC2086
	if ! (cd "$npm_dir" && npm install --silent --no-audit --no-fund $packages >/dev/null 2>&1); then
		skip "npm install $packages failed in $npm_dir (no registry?)"
	fi
	echo "$packages" > "$npm_dir/.installed"
fi
cp "$root/tests/sql/duckdb.mjs" "$root/tests/sql/parse.mjs" "$npm_dir/" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

ncases=$(echo $cases | wc -w)
nathena=$(echo $athena_cases | wc -w)
echo "1..$((ncases + 2 * nathena + 1))"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }

for c in $cases; do
	dir=$root/testdata/cases/$c
	work=$tmp/$c
	mkdir -p "$work/out" "$work/in"
	sql_args "$dir"
	if [ -d "$dir/$input" ]; then
		loc=$(cd "$dir/$input" && pwd)
	else
		cp "$dir/$input" "$work/in/" && loc=$work/in
	fi
	if ! (cd "$dir" && "$bin" sql --dialect duckdb -o "$work/out" "${sqlargs[@]}" "$loc") \
		> "$work/script.sql" 2> "$work/stderr"; then
		not_ok "$c: bedrock-ledger sql failed"
		sed 's/^/# /' "$work/stderr"
		continue
	fi
	if ! node "$npm_dir/duckdb.mjs" "$work/script.sql" > "$work/duckdb.log" 2>&1; then
		not_ok "$c: DuckDB failed on the script"
		head -20 "$work/duckdb.log" | sed 's/^/# /'
		continue
	fi
	bad=
	for f in app_day.csv caller.csv unresolved.csv; do
		if ! cmp -s "$work/out/$f" "$dir/expected/$f"; then
			bad="$bad $f"
			diff "$dir/expected/$f" "$work/out/$f" | head -10 | sed "s/^/# $f: /"
		fi
	done
	if [ -z "$bad" ]; then
		ok "$c: duckdb reports byte-identical"
	else
		not_ok "$c: duckdb reports differ:$bad"
	fi
done

for a in $athena_cases; do
	golden=$root/tests/sql/$a.athena.sql.golden
	if athena_script "$a" > "$tmp/$a.sql" 2> "$tmp/$a.err" && cmp -s "$tmp/$a.sql" "$golden"; then
		ok "$a: athena script as in tests/sql/"
	else
		not_ok "$a: athena script differs from tests/sql/$a.athena.sql.golden (tests/sql/regenerate.sh)"
		diff "$golden" "$tmp/$a.sql" | head -10 | sed 's/^/# /'
	fi
	if node "$npm_dir/parse.mjs" "$golden" > "$tmp/$a.parse" 2>&1; then
		ok "$a: athena script parses as Trino"
	else
		not_ok "$a: athena script does not parse"
		head -10 "$tmp/$a.parse" | sed 's/^/# /'
	fi
done

# The decimal arithmetic of the scripts: exact products and sums, rounding
# half up once; expressions that DuckDB and Trino evaluate alike.
if node "$npm_dir/duckdb.mjs" "$root/tests/sql/decimals.sql" > "$tmp/decimals.log" 2>&1 \
	&& grep -q '^decimals ok$' "$tmp/decimals.log"; then
	ok "decimal expressions exact"
else
	not_ok "decimal expressions"
	head -20 "$tmp/decimals.log" | sed 's/^/# /'
fi
