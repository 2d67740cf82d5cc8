#!/bin/sh
# state.sh BINARY SOURCE_ROOT - --state: a warm re-run gives the reports of a
# run without the state, whatever changed in between.
#
# One state is carried through every step below, as a user's would be: the
# manifest, the price table (other prices; a new context_over threshold; a
# validity bound inside an hour), -g meta keys, the time window, objects
# added, deleted and rewritten, an archive replaced, standard input. Each
# step compares every report with a run without --state, and the summary's
# state line with what the step must have taken and read.
. "$(dirname "$0")/lib.sh"
# the summary on one line per item: the state line is matched whole
export COLUMNS=400
# the sqlite3 program reads and tampers with the state (Debian's sqlite3, README)
command -v sqlite3 > /dev/null || { echo "1..0 # SKIP sqlite3 is not installed"; exit 0; }

T=$tmp/t
python3 "$src/tests/state_tree.py" "$T" --hours 4 --objects 4 || exit 1
python3 "$src/tests/state_tree.py" "$tmp/t2" --hours 4 --objects 4 --seed 2 || exit 1
logs=$T/AWSLogs
st=$tmp/state.db
hour10=$logs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/10

# step NAME LINE_REGEX ARGS...: with and without --state, the same reports;
# the state line matches LINE_REGEX (grep -E)
step() {
	name=$1
	want=$2
	shift 2
	rm -rf "$tmp/cold" "$tmp/warm"
	"$bin" -j 2 -o "$tmp/cold" "$@" > /dev/null 2> "$tmp/cold.err"
	"$bin" -j 2 -o "$tmp/warm" --state "$st" "$@" > "$tmp/warm.out" 2> "$tmp/warm.err"
	status=$?
	# summary.json too (duplicates included: the state keeps the requestIds' hashes),
	# but for the directory it names
	sed "s|$tmp/cold|OUT|g" "$tmp/cold/summary.json" > "$tmp/cold.json" 2> /dev/null
	sed "s|$tmp/warm|OUT|g" "$tmp/warm/summary.json" > "$tmp/warm.json" 2> /dev/null
	if [ "$status" = 0 ] && diff -r -x run.json -x summary.json "$tmp/cold" "$tmp/warm" > "$tmp/diff" &&
		diff "$tmp/cold.json" "$tmp/warm.json" >> "$tmp/diff"; then
		ok "$name: the reports of a run without --state"
	else
		not_ok "$name: the reports of a run without --state (status $status)"
		sed 's/^/# /' "$tmp/warm.err" "$tmp/diff" | head -30
	fi
	line=$(grep '^state ' "$tmp/warm.out")
	if printf '%s\n' "$line" | grep -Eq "$want"; then
		ok "$name: $want"
	else
		not_ok "$name: $want"
		echo "# got: $line"
	fi
}

m="-m $T/tags.csv"
base="-p $T/prices-base.csv"
step "cold" "0 objects taken from the state, 16 read \(16 new, 0 read again\), 0 dropped$" \
	$m $base "$logs"
step "unchanged" "^state +16 objects taken from the state, 0 read" $m $base "$logs"
step "another manifest" "16 objects taken from the state, 0 read" -m "$T/tags2.csv" $base "$logs"
step "other prices, the same classes" "16 objects taken from the state, 0 read" \
	$m -p "$T/prices-dearer.csv" "$logs"
step "a new context_over threshold" "[1-9][0-9]*: a price class boundary inside a stored cell" \
	$m -p "$T/prices-context.csv" "$logs"
step "the new threshold again" "16 objects taken from the state, 0 read" \
	$m -p "$T/prices-context.csv" "$logs"
step "a validity bound inside an hour" "[1-9][0-9]*: a price class boundary inside a stored cell" \
	$m -p "$T/prices-validity.csv" "$logs"
step "back to the first prices" "16 objects taken from the state, 0 read" $m $base "$logs"
# run.json says the same as the state line, as numbers
runjson_state() {
	python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["state"]; r = s["objects_read"]
print(s["objects_taken"], r["new"], r["changed"], r["meta_key"], r["price_boundary"], r["window_bound"], s["objects_dropped"], s["updated"], s["objects_not_stored"], s["problem"], s["path"] == sys.argv[2])' "$tmp/warm/run.json" "$st"
}
check "run.json: the objects taken, none read" '[ "$(runjson_state)" = "16 0 0 0 0 0 0 True 0 None True" ]'
check "run.json without --state: null" 'grep -q "\"state\": null" "$tmp/cold/run.json"'
step "-g meta:app" "16 read \(0 new, 16 read again; 16: a -g meta: key not kept\)" \
	$m $base -g meta:app,team "$logs"
check "run.json: the objects read again, by reason" '[ "$(runjson_state)" = "0 0 0 16 0 0 0 True 0 None True" ]'
step "-g meta:app again" "16 objects taken from the state, 0 read" $m $base -g meta:app,team "$logs"
step "-g without meta keys" "16 objects taken from the state, 0 read" $m $base -g app,caller "$logs"
step "-g meta:team" "16: a -g meta: key not kept" $m $base -g meta:team "$logs"
step "--since inside an hour" "[1-9][0-9]*: a --since/--until bound inside a stored cell" \
	$m $base --since 2026-10-01T10:30:00Z "$logs"
step "--since at an hour" "0 read \(" $m $base --since 2026-10-01T11:00:00Z "$logs"
step "--until inside an hour" "[1-9][0-9]*: a --since/--until bound inside a stored cell" \
	$m $base --until 2026-10-01T12:15:30.5Z "$logs"
step "both bounds again" "16 objects taken from the state, 0 read" \
	$m $base --since 2026-10-01T10:30:00Z --until 2026-10-01T12:15:30.5Z "$logs"
step "no window" "16 objects taken from the state, 0 read" $m $base "$logs"

# objects added, deleted, rewritten
extra=$(ls "$tmp/t2/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/10" | head -n 1)
cp "$tmp/t2/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/10/$extra" "$hour10/new-$extra"
step "an object added" "16 objects taken from the state, 1 read \(1 new, 0 read again\), 0 dropped" \
	$m $base "$logs"
rm "$hour10/new-$extra"
step "an object deleted" "16 objects taken from the state, 0 read .*, 1 dropped" $m $base "$logs"
check "run.json: the object dropped" '[ "$(runjson_state)" = "16 0 0 0 0 0 1 True 0 None True" ]'
first=$(ls "$hour10" | head -n 1)
cp "$hour10/$first" "$hour10/copy-$first"
step "a copy of an object: its records are duplicates of stored ones" \
	"16 objects taken from the state, 1 read \(1 new, 0 read again\), 0 dropped" $m $base "$logs"
check "the copy's duplicates counted, as without --state" \
	'grep -Eq "\"duplicates\": [1-9]" "$tmp/warm/summary.json"'
step "the copy again: duplicates among stored objects" "17 objects taken from the state, 0 read" \
	$m $base "$logs"
check "the duplicates of two stored objects counted, as without --state" \
	'grep -Eq "\"duplicates\": [1-9]" "$tmp/warm/summary.json"'
rm "$hour10/copy-$first"
step "the copy deleted" "16 objects taken from the state, 0 read .*, 1 dropped" $m $base "$logs"
victim=$(ls "$hour10" | head -n 1)
cp "$tmp/t2/AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/10/$extra" "$hour10/$victim"
step "an object rewritten" "15 objects taken from the state, 1 read \(0 new, 1 read again; 1: changed\)" \
	$m $base "$logs"

# an archive: its members are stored and read again with it
(cd "$T" && tar czf "$tmp/logs.tgz" AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/10)
step "an archive" "0 objects taken from the state, 1 read \(1 new, 0 read again\), 0 dropped" \
	$m $base "$tmp/logs.tgz"
step "the archive again" "1 objects taken from the state, 0 read" $m $base "$tmp/logs.tgz"
(cd "$tmp/t2" && tar czf "$tmp/logs.tgz" AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/11)
step "the archive replaced" "0 objects taken from the state, 1 read \(0 new, 1 read again; 1: changed\)" \
	$m $base "$tmp/logs.tgz"

# standard input is never stored
one=$(find "$logs" -name '*.json' | head -n 1)
rm -rf "$tmp/cold" "$tmp/warm"
"$bin" -o "$tmp/cold" $m $base - < "$one" > /dev/null 2>&1
"$bin" -o "$tmp/warm" --state "$st" $m $base - < "$one" > "$tmp/warm.out" 2>&1
check "standard input: the reports of a run without --state" 'diff -r -x run.json -x summary.json "$tmp/cold" "$tmp/warm" > /dev/null'
check "standard input: not stored" 'grep -Eq "^state +0 objects taken from the state, 0 read" "$tmp/warm.out"'
check "standard input: nothing in the state is named (stdin)" \
	'[ "$(sqlite3 "$st" "SELECT count(*) FROM objects WHERE path = '"'"'(stdin)'"'"'")" = 0 ]'

# the reports of a warm run do not depend on -j
"$bin" -q -o "$tmp/cold" $m $base "$logs" > /dev/null 2>&1
for j in 1 3 8; do
	rm -rf "$tmp/warm"
	"$bin" -q -j $j -o "$tmp/warm" --state "$st" $m $base "$logs" 2> /dev/null
	check "warm at -j $j: the reports of a run without --state" 'diff -r -x run.json -x summary.json "$tmp/cold" "$tmp/warm" > /dev/null'
done

# an auditor can read it with sqlite3
check "sqlite3: the schema version" '[ "$(sqlite3 "$st" "SELECT value FROM meta WHERE key = '"'"'schema_version'"'"'")" = 2 ]'
check "sqlite3: the cells view sums to the counted records" \
	'[ "$(sqlite3 "$st" "SELECT sum(invocations) FROM cells")" -gt 0 ]'
check "sqlite3: integrity" '[ "$(sqlite3 "$st" "PRAGMA integrity_check")" = ok ]'
tap_done
