#!/bin/bash
# sql.sh BINARY SOURCE_ROOT - `bedrock-ledger sql` (bedrock-ledger(1), SQL), as TAP:
#  * the duckdb script of each golden case below, run by DuckDB, writes
#    app_day.csv, caller.csv and unresolved.csv byte-identical to the
#    binary's expected reports (into an -o that sql makes; the single-file
#    cases are folders without the Bedrock layout, read whole; sql-edges
#    has log files beside the layout);
#  * the athena golden scripts in tests/sql/ are what the binary prints now
#    (regenerate them with tests/sql/regenerate.sh) and parse as Trino SQL;
#  * the decimal expressions of the scripts give exact results in DuckDB;
#  * LOCATION and -o as bedrock-ledger(1), SQL, says: -o made by sql, the
#    script run from another directory, stray *.json beside a Bedrock tree,
#    AWSLogs/ itself as LOCATION, an empty tree: the binary's reports;
#  * the man page's one-line runs (Node.js; Python where pip can install
#    duckdb into BEDROCK_LEDGER_PIP_DIR, else skipped) work as printed.
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
# archive, no JSON document, no CloudWatch export (bedrock-ledger(1), SQL).
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
nextra=6
echo "1..$((ncases + 2 * nathena + 1 + nextra))"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }

for c in $cases; do
	dir=$root/testdata/cases/$c
	work=$tmp/$c
	mkdir -p "$work/in" # not out: sql makes -o
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

# The three reports of directories A and B are the same; else says how they differ.
same_reports() {
	local f bad=
	for f in app_day.csv caller.csv unresolved.csv; do
		if ! cmp -s "$1/$f" "$2/$f"; then
			bad="$bad $f"
			diff "$1/$f" "$2/$f" 2>&1 | head -10 | sed "s/^/# $f: /"
		fi
	done
	[ -z "$bad" ]
}

# NAME LOCATION OUT: the duckdb script of tree-manifest's arguments for
# LOCATION, made in the current directory and run by DuckDB from /, writes
# OUT; then the binary's reports of LOCATION are in OUT.bin. $? is 0 when
# both ran.
both() {
	local name=$1 loc=$2 out=$3
	sql_args "$root/testdata/cases/tree-manifest"
	"$bin" sql --dialect duckdb -o "$out" "${sqlargs[@]}" "$loc" > "$tmp/$name.sql" \
		2> "$tmp/$name.err" &&
		(cd / && node "$npm_dir/duckdb.mjs" "$tmp/$name.sql") > "$tmp/$name.log" 2>&1 &&
		"$bin" -q -o "$out.bin" "${sqlargs[@]}" "$loc" 2>> "$tmp/$name.err"
	local rc=$?
	[ $rc = 0 ] || head -5 "$tmp/$name.err" "$tmp/$name.log" | sed 's/^/# /'
	return $rc
}
tree=$tmp/tree
cp -r "$root/testdata/cases/tree-manifest" "$tree"
# beside the logs: a summary and a manifest as JSON documents, which DuckDB cannot read
printf '{\n  "records": 3,\n  "cost_usd": "1.5"\n}\n' > "$tree/expected/summary.json"
printf '[\n  {"arn": "x"}\n]\n' > "$tree/profiles.json"
cd "$tree" || exit 1
if both stray "$tree" "$tmp/stray" && same_reports "$tmp/stray.bin" "$tmp/stray"; then
	ok "stray *.json beside the Bedrock layout: not read, the binary's reports"
else
	not_ok "stray *.json beside the Bedrock layout"
fi
if both awslogs "$tree/logs/AWSLogs" "$tmp/awslogs" && same_reports "$tmp/awslogs.bin" "$tmp/awslogs"; then
	ok "AWSLogs/ itself as LOCATION: the binary's reports"
else
	not_ok "AWSLogs/ itself as LOCATION"
fi
if both relative logs rel/out && same_reports rel/out.bin rel/out; then
	ok "relative LOCATION and -o, script run from /: the binary's reports in -o"
else
	not_ok "relative LOCATION and -o, script run from elsewhere"
fi
mkdir "$tmp/empty"
if both empty "$tmp/empty" "$tmp/empty-out" && same_reports "$tmp/empty-out.bin" "$tmp/empty-out"; then
	ok "empty tree: the binary's (empty) reports"
else
	not_ok "empty tree"
fi

# The man page's one-line runs, as printed there, on tree-manifest's script.
man=$root/man/bedrock-ledger.1.scd
expected=$root/testdata/cases/tree-manifest/expected
oneliner() {
	grep -m 1 "^$1" "$man"
}
# the script of tree-manifest's logs, as ledger.sql in $npm_dir, writing $tmp/man-out
man_script() {
	rm -rf "$tmp/man-out"
	"$bin" sql --dialect duckdb -o "$tmp/man-out" "${sqlargs[@]}" "$tree/logs" > "$npm_dir/ledger.sql"
}
man_script
line=$(oneliner "node --input-type=module -e ")
if [ -n "$line" ] && (cd "$npm_dir" && eval "$line") > "$tmp/node.log" 2>&1 &&
	same_reports "$expected" "$tmp/man-out"; then
	ok "man page: the Node.js one-line run"
else
	not_ok "man page: the Node.js one-line run: ${line:-not found}"
	head -5 "$tmp/node.log" | sed 's/^/# /'
fi
# pinned, as the npm packages are
pip_dir=${BEDROCK_LEDGER_PIP_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/bedrock-ledger-pip}
pip_pkg=duckdb==2.0.1
if [ ! -f "$pip_dir/.installed" ] || [ "$(cat "$pip_dir/.installed")" != "$pip_pkg" ]; then
	rm -rf "$pip_dir"
	python3 -m pip install --quiet --disable-pip-version-check --target "$pip_dir" "$pip_pkg" \
		> /dev/null 2>&1 && echo "$pip_pkg" > "$pip_dir/.installed"
fi
line=$(oneliner "python3 -c 'import duckdb")
man_script
if [ ! -f "$pip_dir/.installed" ]; then
	ok "man page: the Python one-line run # SKIP python3 -m pip install $pip_pkg failed"
elif [ -n "$line" ] && (cd "$npm_dir" && PYTHONPATH=$pip_dir eval "$line") > "$tmp/python.log" 2>&1 &&
	same_reports "$expected" "$tmp/man-out"; then
	ok "man page: the Python one-line run"
else
	not_ok "man page: the Python one-line run: ${line:-not found}"
	head -5 "$tmp/python.log" | sed 's/^/# /'
fi
rm -f "$npm_dir/ledger.sql"
cd "$tmp" || exit 1

# The decimal arithmetic of the scripts: exact products and sums, rounding
# half up once; expressions that DuckDB and Trino evaluate alike.
if node "$npm_dir/duckdb.mjs" "$root/tests/sql/decimals.sql" > "$tmp/decimals.log" 2>&1 \
	&& grep -q '^decimals ok$' "$tmp/decimals.log"; then
	ok "decimal expressions exact"
else
	not_ok "decimal expressions"
	head -20 "$tmp/decimals.log" | sed 's/^/# /'
fi
