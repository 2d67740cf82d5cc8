#!/bin/bash
# trino.sh BINARY SOURCE_ROOT - the athena script on a real Trino (bedrock-ledger(1), SQL), as TAP.
#
# Athena's engine version 3 is built on Trino. This test brings up a
# single-node Trino server (loopback only, a small heap, a Hive catalog on the
# local file system with a file metastore: tests/trino/), then, for each
# golden case below:
#  * lays the case's logs out as the bucket holds them
#    (AWSLogs/<account>/BedrockModelInvocationLogs/<region>/yyyy/MM/dd/HH/;
#    a case that is one file gets one hour folder), with a data/ object that
#    would count if read, and runs the binary on that tree: its reports must
#    still be the case's expected ones;
#  * prints `bedrock-ledger sql --dialect athena` for the same arguments with
#    LOCATION s3://ldg/<case>/, that bucket then named as the catalog names
#    the tree, local:///<case>/ (as long a name: the script cuts LOCATION off
#    "$path" by its length);
#  * creates the script's table in Trino's own syntax (Athena's CREATE EXTERNAL
#    TABLE is Hive DDL, which Trino does not run: tests/trino/athena.py
#    rewrites it, same columns, SerDe, properties and partition projection),
#    then runs the script's other statements unchanged;
#  * writes the three reports from the rows Trino returns and compares them
#    byte for byte with the binary's.
#
# Trino comes from Maven Central (io.trino:trino-server-core as a tar.gz and
# the io.trino:trino-hive plugin as a zip: the server and the one plugin the
# test needs), fetched with mvn into BEDROCK_LEDGER_TRINO_DIR (default
# ~/.cache/bedrock-ledger-trino) and reused by later runs. It needs a JDK of
# version 24 or later (BEDROCK_LEDGER_TRINO_JAVA, else JAVA_HOME, else the
# newest under /usr/lib/jvm). Without mvn, such a JDK or python3, the test is
# skipped, unless BEDROCK_LEDGER_TRINO_REQUIRED=1 (.ci/run sets it).
# tests/trino/README.md says more.
set -u
bin=$1
root=$2
case "$bin" in /*) ;; *) bin=$(pwd)/$bin ;; esac

# The newest Trino on Maven Central when this was written; it runs on Java 24+.
trino_version=476
java_min=24
cache=${BEDROCK_LEDGER_TRINO_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/bedrock-ledger-trino}

# The golden cases, for what they cover (see the issue and bedrock-ledger(1), SQL):
cases="attr-routes residency-pools
price-tiers price-context price-1h
window window-hour-slack window-hour-folders
group-meta group-fields
callers-principal
tree-builtin-prices tree-manifest decoys
attr-rounding tokens-null timestamps"
#  routes and pools: attr-routes, residency-pools
#  tiers, long context, 1-hour writes: price-tiers, price-context, price-1h
#  the window, hour-folder slack: window, window-hour-slack, window-hour-folders;
#    each tree with a window gets copies of its logs in the hour folders that
#    the window just leaves out (plant_outside_window)
#  -g with meta: and field: keys: group-meta, group-fields
#  --callers principal: callers-principal
#  data/ objects that stay out: every tree gets one that would count (lay_out)
#  trees as the bucket holds them: tree-builtin-prices, tree-manifest, window-hour-*
#  decimal rounding at the half cent: attr-rounding
#  the reader: decoys, tokens-null, timestamps
# Not rejects: it holds a "modelId": 42, which the binary rejects and the
# OpenX SerDe reads as the string "42", as the script's header says.
# BEDROCK_LEDGER_TRINO_CASES="a b" runs those cases only.
cases=${BEDROCK_LEDGER_TRINO_CASES:-$cases}

t_start=$(date +%s)
tmp=$(mktemp -d)
server_pid=
cleanup() {
	stop_server
	rm -rf "$tmp"
}
trap cleanup EXIT
for sig in INT TERM HUP PIPE; do
	# shellcheck disable=SC2064 # the signal's name, now
	trap "echo '# trino.sh: SIG$sig' >&2; exit 1" $sig
done

# ------------------------------------------------------------------ skipping

skip() {
	if [ "${BEDROCK_LEDGER_TRINO_REQUIRED:-}" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - $1 (BEDROCK_LEDGER_TRINO_REQUIRED=1)"
	else
		echo "1..0 # SKIP $1"
	fi
	exit 0
}

# The major version of the java at $1, or nothing.
java_major() {
	"$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1
}

# Sets java: the JDK to run Trino with.
find_java() {
	local j v best= bestv=0
	for j in ${BEDROCK_LEDGER_TRINO_JAVA:-} ${JAVA_HOME:+$JAVA_HOME/bin/java} \
		/usr/lib/jvm/*/bin/java "$(command -v java 2>/dev/null)"; do
		[ -x "$j" ] || continue
		v=$(java_major "$j")
		[ -n "$v" ] || continue
		if [ -n "${BEDROCK_LEDGER_TRINO_JAVA:-}" ] && [ "$j" = "$BEDROCK_LEDGER_TRINO_JAVA" ]; then
			best=$j bestv=$v
			break
		fi
		if [ "$v" -gt "$bestv" ]; then best=$j bestv=$v; fi
	done
	[ -n "$best" ] && [ "$bestv" -ge $java_min ] || return 1
	java=$best
	java_version=$("$java" -version 2>&1 | head -1)
}

# ------------------------------------------------------------ the server

# Fetches the server and the Hive plugin into the cache, once. Sets home and plugins.
fetch_trino() {
	home=$cache/trino-server-core-$trino_version
	plugins=$cache/plugins-$trino_version
	[ -f "$cache/.installed-$trino_version" ] && return 0
	local m2=$cache/m2 a
	mkdir -p "$cache" || return 1
	for a in io.trino:trino-server-core:$trino_version:tar.gz io.trino:trino-hive:$trino_version:zip; do
		mvn -B -q -Dmaven.repo.local="$m2" dependency:get -Dtransitive=false \
			-Dartifact="$a" > "$tmp/mvn.log" 2>&1 || { sed 's/^/# /' "$tmp/mvn.log" | tail -20; return 1; }
	done
	rm -rf "$home" "$plugins"
	tar -xzf "$m2/io/trino/trino-server-core/$trino_version/trino-server-core-$trino_version.tar.gz" \
		-C "$cache" || return 1
	mkdir -p "$plugins" &&
		(cd "$plugins" && python3 -m zipfile -e \
			"$m2/io/trino/trino-hive/$trino_version/trino-hive-$trino_version.zip" .) &&
		mv "$plugins/trino-hive-$trino_version" "$plugins/hive" || return 1
	rm -rf "$m2" # 450 MB, unpacked now
	touch "$cache/.installed-$trino_version"
}

# A free TCP port on the loopback interface.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Writes the server's configuration (tests/trino/*.in) into $tmp/etc.
configure() {
	port=$(free_port) || return 1
	mkdir -p "$tmp/etc/catalog" "$tmp/trees/metastore" "$tmp/var" "$tmp/jtmp"
	local f
	for f in config.properties jvm.config catalog/hive.properties; do
		sed -e "s|@PORT@|$port|g" -e "s|@PLUGINS@|$plugins|g" -e "s|@TREES@|$tmp/trees|g" \
			-e "s|@TMP@|$tmp/jtmp|g" "$root/tests/trino/${f##*/}.in" > "$tmp/etc/$f" || return 1
	done
}

# Starts the server in the background and waits until it takes queries.
start_server() {
	local t0 t1 i
	t0=$(date +%s.%N)
	: > "$tmp/server.log"
	# shellcheck disable=SC2046 # one JVM option a line
	(cd "$tmp/var" && exec "$java" $(grep -v '^#' "$tmp/etc/jvm.config") \
		-Dconfig="$tmp/etc/config.properties" -Dcatalog.config-dir="$tmp/etc/catalog" \
		-cp "$home/lib/*" io.trino.server.TrinoServer) > "$tmp/server.log" 2>&1 &
	server_pid=$!
	for i in $(seq 600); do
		grep -q 'SERVER STARTED' "$tmp/server.log" && break
		kill -0 "$server_pid" 2>/dev/null || return 1
		sleep 0.5
	done
	grep -q 'SERVER STARTED' "$tmp/server.log" || return 1
	t1=$(date +%s.%N)
	start_time=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
}

stop_server() {
	[ -n "$server_pid" ] || return 0
	kill "$server_pid" 2>/dev/null
	local i
	for i in $(seq 60); do
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -9 "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
}

# ------------------------------------------------------------- the cases

# The arguments of a case as sql takes them (less -q, --strict, -j and the
# spike options, which are the run's only), in sqlargs; its input in input;
# all its arguments but the input in runargs. As in tests/sql.sh.
case_args() {
	local dir=$1 prev= line all=()
	sqlargs=()
	while IFS= read -r line || [ -n "$line" ]; do
		all+=("$line")
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
	runargs=("${all[@]:0:${#all[@]}-1}")
}

# Lays the input of case $1 out under $tmp/trees/$1 as the bucket holds it: a
# directory as it is, a file in AWSLogs/<account>/BedrockModelInvocationLogs/
# us-east-1/<hour>/, where account is the first of the script's projection
# and hour the first hour folder that the script reads (the window's lower
# bound, else a fixed hour in the projection's range). Then plants a data/
# object that would count if it were read (SPEC §2: it is not): a copy of
# the tree's largest log in a data/ folder beside it.
lay_out() {
	local c=$1 dir=$root/testdata/cases/$1 script=$2 acct hour f
	tree=$tmp/trees/$c
	mkdir -p "$tree"
	if [ -d "$dir/$input" ]; then
		cp -R "$dir/$input/." "$tree/"
	else
		acct=$(sed -n "s/^ *'projection\.account\.values' = '\([0-9]*\).*/\1/p" "$script")
		hour=$(sed -n "s|.*, 1) < '\([0-9/]*\)'.*|\1|p" "$script" | head -1)
		: "${hour:=2026/10/01/00}"
		mkdir -p "$tree/AWSLogs/$acct/BedrockModelInvocationLogs/us-east-1/$hour"
		cp "$dir/$input" "$tree/AWSLogs/$acct/BedrockModelInvocationLogs/us-east-1/$hour/"
	fi
	f=$(cd "$tree" && find AWSLogs -type f -not -path '*/data/*' \( -name '*.json' -o \
		-name '*.jsonl' -o -name '*.gz' \) -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
	if [ -n "$f" ]; then
		mkdir -p "$tree/${f%/*}/data"
		cp "$tree/$f" "$tree/${f%/*}/data/"
	fi
	plant_outside_window "$script"
}

# With a window, copies every log of the tree into the hour folders next to
# the first and the last that the window reads (SPEC §2 with its slack): the
# binary does not open them, nor may the script read them.
plant_outside_window() {
	local script=$1 lo hi h prefix k=0 f
	lo=$(sed -n "s|.*, 1) < '\([0-9/]*\)'.*|\1|p" "$script" | head -1)
	hi=$(sed -n "s|.*, 1) > '\([0-9/]*\)'), false).*|\1|p" "$script" | head -1)
	[ -n "$lo$hi" ] || return 0
	local outside=()
	[ -z "$lo" ] || outside+=("$(hour_folder "$lo" -1)")
	[ -z "$hi" ] || outside+=("$(hour_folder "$hi" 1)")
	(cd "$tree" && find AWSLogs -type f -not -path '*/data/*' \( -name '*.json' -o \
		-name '*.jsonl' -o -name '*.gz' \)) | LC_ALL=C sort > "$tmp/logs"
	while IFS= read -r f; do
		# AWSLogs/ACCOUNT/BedrockModelInvocationLogs/REGION/ of this log
		prefix=$(echo "$f" | cut -d/ -f1-4)
		for h in "${outside[@]}"; do
			k=$((k + 1))
			mkdir -p "$tree/$prefix/$h"
			cp "$tree/$f" "$tree/$prefix/$h/outside$k-${f##*/}"
		done
	done < "$tmp/logs"
}

# The hour folder YYYY/MM/DD/HH $2 hours after $1.
hour_folder() {
	date -u -d "$(echo "$1" | sed 's|^\(....\)/\(..\)/\(..\)/\(..\)$|\1-\2-\3 \4:00|') UTC $2 hour" +%Y/%m/%d/%H
}

# Runs case $1: the binary on the tree, the script on Trino, then compares.
run_case() {
	local c=$1 dir=$root/testdata/cases/$1 work=$tmp/work/$1 f bad= schema
	mkdir -p "$work/bin" "$work/trino"
	case_args "$dir"
	# the script for the bucket s3://ldg/CASE/, whose name is then the catalog's
	# own for the tree, local:///CASE/: the only text changed, by as many bytes
	# (the script cuts LOCATION off "$path" by its length)
	if ! (cd "$dir" && "$bin" sql --dialect athena "${sqlargs[@]}" \
		"s3://ldg/$c/") > "$work/script.s3.sql" 2> "$work/sql.err"; then
		not_ok "$c: bedrock-ledger sql failed"
		sed 's/^/# /' "$work/sql.err"
		return
	fi
	sed 's|s3://ldg/|local:///|g' "$work/script.s3.sql" > "$work/script.sql"
	lay_out "$c" "$work/script.sql"
	(cd "$dir" && "$bin" -q -o "$work/bin" "${runargs[@]}" "$tree") > "$work/bin.out" 2>&1
	for f in app_day.csv caller.csv unresolved.csv; do
		if ! cmp -s "$work/bin/$f" "$dir/expected/$f"; then
			not_ok "$c: laid out as a bucket, the binary's $f is not the case's"
			diff "$dir/expected/$f" "$work/bin/$f" | head -10 | sed 's/^/# /'
			return
		fi
	done
	schema=$(echo "$c" | tr -c 'a-z0-9\n' '_')
	if ! python3 "$root/tests/trino/athena.py" --server "http://127.0.0.1:$port" \
		--schema "$schema" --script "$work/script.sql" --tree "$tree" --out "$work/trino" \
		> "$work/trino.log" 2>&1; then
		not_ok "$c: Trino failed on the script"
		tail -5 "$work/trino.log" | sed 's/^/# /'
		if ! kill -0 "$server_pid" 2>/dev/null; then
			echo "# the server is gone; the end of its log:"
			tail -20 "$tmp/server.log" | sed 's/^/# /'
			server_pid=
		fi
		return
	fi
	for f in app_day.csv caller.csv unresolved.csv; do
		if ! cmp -s "$work/trino/$f" "$work/bin/$f"; then
			bad="$bad $f"
			diff "$work/bin/$f" "$work/trino/$f" | head -10 | sed "s/^/# $f: /"
		fi
	done
	if [ -z "$bad" ]; then
		ok "$c: Trino's reports byte-identical to the binary's"
	else
		not_ok "$c: Trino's reports differ from the binary's:$bad"
	fi
	sed 's/^/# /' "$work/trino.log" # the EDITs made to the projection
}

# ------------------------------------------------------------------- main

command -v python3 >/dev/null 2>&1 || skip "python3 not found"
command -v mvn >/dev/null 2>&1 || skip "mvn not found: install maven (as .ci/run does)"
find_java || skip "no JDK $java_min or later (Trino $trino_version needs one): set BEDROCK_LEDGER_TRINO_JAVA"
fetch_trino || skip "mvn could not fetch Trino $trino_version into $cache (no Maven Central?)"

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }

ncases=$(echo $cases | wc -w)
echo "1..$((ncases + 1))"
if ! configure || ! start_server; then
	not_ok "Trino $trino_version did not start"
	tail -30 "$tmp/server.log" 2>/dev/null | sed 's/^/# /'
	for c in $cases; do not_ok "$c: no server"; done
	exit 0
fi
ok "Trino $trino_version up on 127.0.0.1:$port in ${start_time}s ($java_version)"
for c in $cases; do
	run_case "$c"
done
echo "# Trino $trino_version: server start ${start_time}s, test $(($(date +%s) - t_start))s in all"
