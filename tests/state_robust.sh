#!/bin/sh
# state_robust.sh BINARY SOURCE_ROOT - a --state that cannot be used, a full
# disk, a second run, kill -9 while the state is written, corrupted files.
#
# What must hold: a state that cannot be used ends the run with exit 2 and a
# message saying what to do, before a report is touched; a full disk leaves
# the state as it was and the reports are still written; a run killed at any
# point leaves a state from which the next run gives a cold run's reports;
# a corrupted state is either refused with exit 2 or gives a cold run's
# reports, never a crash.
. "$(dirname "$0")/lib.sh"
# the summary on one line per item: the state line is matched whole
export COLUMNS=400
# the sqlite3 program reads and tampers with the state (Debian's sqlite3, README)
command -v sqlite3 > /dev/null || { echo "1..0 # SKIP sqlite3 is not installed"; exit 0; }

T=$tmp/t
python3 "$src/tests/state_tree.py" "$T" --hours 6 --objects 8 --records 20 || exit 1
logs=$T/AWSLogs
st=$tmp/state.db
args="-m $T/tags.csv -p $T/prices-base.csv"
"$bin" -q -o "$tmp/cold" $args "$logs" 2> /dev/null

# previous reports that a refused run must leave alone
fresh_out() {
	rm -rf "$tmp/out"
	mkdir -p "$tmp/out"
	echo previous > "$tmp/out/app_day.csv"
}
intact() { [ "$(cat "$tmp/out/app_day.csv")" = previous ] && [ "$(ls -A "$tmp/out" | wc -l)" = 1 ]; }

# refused NAME MESSAGE_REGEX: a run on $st exits 2, says so, and writes no report
refused() {
	fresh_out
	"$bin" -q -o "$tmp/out" --state "$st" $args "$logs" 2> "$tmp/err"
	status=$?
	check "$1: exit 2 (got $status)" '[ $status = 2 ]'
	if grep -Eq "^bedrock-ledger: $st: $2" "$tmp/err"; then ok "$1: says so"; else
		not_ok "$1: says so"
		sed 's/^/# /' "$tmp/err"
	fi
	check "$1: no report touched" intact
}

echo "this is not a database, it is a note" > "$st"
refused "a text file" "not a bedrock-ledger state \(not a SQLite database\): delete it"
sqlite3 "$st" "DROP TABLE IF EXISTS x; CREATE TABLE x(y)" 2> /dev/null || { rm -f "$st"; sqlite3 "$st" "CREATE TABLE x(y)"; }
refused "another SQLite database" "not a bedrock-ledger state \(a SQLite database of something else\)"
rm -f "$st"
mkdir "$st"
refused "a directory" "cannot open the state: Is a directory"
rmdir "$st"

# a fresh state, and one from another schema version
: > "$st"
"$bin" -q -o "$tmp/out" --state "$st" $args "$logs" 2> "$tmp/err"
check "an empty file: made a state" '[ $? = 0 ] && diff -r -x run.json -x summary.json "$tmp/cold" "$tmp/out" > /dev/null'
cp "$st" "$tmp/good.db"
sqlite3 "$st" "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
refused "schema version 99" "a state of schema version 99, and this bedrock-ledger reads version 2 only: delete it"
cp "$tmp/good.db" "$st"
sqlite3 "$st" "DELETE FROM cell_blocks WHERE rowid IN (SELECT rowid FROM cell_blocks LIMIT 1)" 2> /dev/null ||
	sqlite3 "$st" "DELETE FROM cell_blocks WHERE (object_id, n) IN (SELECT object_id, n FROM cell_blocks LIMIT 1)"
refused "a block of cells deleted" "the state is corrupt \(.*checksum.*\): delete it"
cp "$tmp/good.db" "$st"
sqlite3 "$st" "UPDATE strings SET text = text || 'x' WHERE id = 1"
refused "a string altered" "the state is corrupt \(a bad string\): delete it"
cp "$tmp/good.db" "$st"
sqlite3 "$st" "UPDATE cell_blocks SET request_ids = x'ff' WHERE rowid IN (SELECT rowid FROM cell_blocks LIMIT 1)"
refused "a request_ids blob cut short" "the state is corrupt \(.*\): delete it"

# one run at a time: a second one waits a little, then gives up
cp "$tmp/good.db" "$st"
flock "$st" sleep 3 &
holder=$!
sleep 0.3
fresh_out
start=$(date +%s)
"$bin" -q -o "$tmp/out" --state "$st" $args "$logs" 2> "$tmp/err"
status=$?
waited=$(($(date +%s) - start))
check "in use: exit 2 (got $status)" '[ $status = 2 ]'
check "in use: says so" 'grep -q "the state is in use by another bedrock-ledger run: wait for it to end, or give --state another path" "$tmp/err"'
check "in use: waited a little ($waited s)" '[ $waited -ge 1 ] && [ $waited -le 4 ]'
check "in use: no report touched" intact
wait $holder

# a full disk while the state is written (a file size limit): the reports
# are written, the summary says the state was not updated, and it is as it was
rm -f "$st"
"$bin" -q -o "$tmp/out" --state "$st" $args "$logs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01/10" 2> /dev/null
before=$(sqlite3 "$st" "SELECT count(*), group_concat(checksum) FROM objects")
size=$(($(wc -c < "$st") / 1024 + 8))
rm -rf "$tmp/out"
(trap '' XFSZ; ulimit -f $size; exec "$bin" -o "$tmp/out" --state "$st" $args "$logs") > "$tmp/sum" 2> "$tmp/err"
status=$?
check "disk full: exit 0 (got $status)" '[ $status = 0 ]'
check "disk full: the reports are a cold run's" 'diff -r -x run.json -x summary.json "$tmp/cold" "$tmp/out" > /dev/null'
check "disk full: says the state was not updated" 'grep -q "^bedrock-ledger: $st: the state was not updated (.*): [1-9][0-9]* objects read in this run are not in it and will be read again" "$tmp/err"'
check "disk full: the summary says so" 'grep -q "^state .*NOT UPDATED" "$tmp/sum"'
check "disk full: run.json says so" \
	'python3 -c "import json, sys; s = json.load(open(sys.argv[1]))[\"state\"]; sys.exit(not (s[\"updated\"] is False and s[\"objects_not_stored\"] > 0 and s[\"problem\"]))" "$tmp/out/run.json"'
check "disk full: the state is as it was" '[ "$(sqlite3 "$st" "SELECT count(*), group_concat(checksum) FROM objects")" = "$before" ]'
rm -rf "$tmp/out"
"$bin" -q -o "$tmp/out" --state "$st" $args "$logs" 2> /dev/null
check "disk full: the next run gives a cold run's reports" 'diff -r -x run.json -x summary.json "$tmp/cold" "$tmp/out" > /dev/null'

# kill -9 at random points while the state is written (small batches: many
# commits), twenty times; every object is changed before each run, and every
# third run has a new context_over threshold (objects read again)
K=$tmp/k
python3 "$src/tests/state_tree.py" "$K" --hours 6 --objects 50 --records 10 --seed 3 || exit 1
rm -f "$st"
"$bin" -q -o "$tmp/coldbase" -m "$T/tags.csv" -p "$T/prices-base.csv" "$K/AWSLogs" 2> /dev/null
"$bin" -q -o "$tmp/coldctx" -m "$T/tags.csv" -p "$T/prices-context.csv" "$K/AWSLogs" 2> /dev/null
# the quickest of three cold runs: one slowed by a busy machine would put the
# kills after the end of the runs they aim at
ms=
for c in 1 2 3; do
	rm -f "$tmp/calibrate.db"
	start=$(date +%s%N)
	BEDROCK_LEDGER_STATE_BATCH=3 "$bin" -q -o "$tmp/k" --state "$tmp/calibrate.db" $args "$K/AWSLogs" 2> /dev/null
	took=$((($(date +%s%N) - start) / 1000000))
	[ -z "$ms" ] || [ "$took" -lt "$ms" ] && ms=$took
done
seed=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
echo "# kill test: seed $seed, a cold run with the state takes $ms ms"
awk -v s="$seed" -v ms="$ms" 'BEGIN { srand(s); for (i = 0; i < 20; i++) printf "%.3f\n", rand() * ms * 0.8 / 1000 }' > "$tmp/delays"
i=0
killed=0
midway=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	find "$K" -type f -exec touch -d "@$((1700000000 + i))" {} +
	if [ $((i % 3)) = 0 ]; then
		a="-m $T/tags.csv -p $T/prices-context.csv" want=$tmp/coldctx
	else
		a=$args want=$tmp/coldbase
	fi
	delay=$(sed -n "${i}p" "$tmp/delays")
	BEDROCK_LEDGER_STATE_BATCH=3 "$bin" -q -o "$tmp/k" --state "$st" $a "$K/AWSLogs" > /dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	landed="finished first"
	kill -9 $pid 2> /dev/null && killed=$((killed + 1)) && landed=killed
	wait $pid 2> /dev/null
	# how far it got: objects stored with this run's key, of all
	stored=$(sqlite3 "$st" "SELECT count(*) FROM objects WHERE mtime_ns = $((1700000000 + i)) * 1000000000" 2> /dev/null)
	total=$(sqlite3 "$st" "SELECT count(*) FROM objects" 2> /dev/null)
	[ "${stored:-0}" -gt 0 ] && [ "${stored:-0}" -lt "${total:-0}" ] && midway=$((midway + 1))
	landed="$landed, $stored of $total stored"
	rm -rf "$tmp/out"
	"$bin" -q -o "$tmp/out" --state "$st" $a "$K/AWSLogs" 2> "$tmp/err"
	status=$?
	if [ $status = 0 ] && diff -r -x run.json -x summary.json "$want" "$tmp/out" > /dev/null &&
		[ "$(sqlite3 "$st" "PRAGMA integrity_check")" = ok ]; then
		ok "kill -9 after ${delay}s ($landed): the next run gives a cold run's reports"
	else
		not_ok "kill -9 after ${delay}s: the next run gives a cold run's reports (status $status)"
		sed 's/^/# /' "$tmp/err"
	fi
done
check "the kills landed in runs ($killed of 20)" '[ $killed -ge 12 ]'
check "some landed between two commits of a run ($midway of 20)" '[ $midway -ge 1 ]'

# corrupted states: bytes flipped, the file cut short; refused or right, never a crash
rm -f "$st"
"$bin" -q -o "$tmp/out" --state "$st" $args "$logs" 2> /dev/null
cp "$st" "$tmp/good.db"
n_refused=0 n_right=0 n_bad=0
for k in $(seq 1 60); do
	python3 - "$tmp/good.db" "$st" $((seed + k)) <<'PY'
import random, sys
data = bytearray(open(sys.argv[1], "rb").read())
rng = random.Random(int(sys.argv[3]))
if rng.random() < 0.15:
    data = data[: rng.randrange(len(data))]
else:
    for _ in range(rng.choice([1, 1, 2, 8, 64])):
        data[rng.randrange(len(data))] = rng.randrange(256)
open(sys.argv[2], "wb").write(data)
PY
	rm -f "$st-wal" "$st-shm"
	rm -rf "$tmp/out"
	"$bin" -q -o "$tmp/out" --state "$st" $args "$logs" 2> "$tmp/err"
	status=$?
	if [ $status = 2 ] && grep -q "^bedrock-ledger: $st: .*state" "$tmp/err"; then
		n_refused=$((n_refused + 1))
	elif [ $status = 0 ] && diff -r -x run.json -x summary.json "$tmp/cold" "$tmp/out" > /dev/null; then
		n_right=$((n_right + 1))
	else
		n_bad=$((n_bad + 1))
		echo "# corruption $k: status $status"
		sed 's/^/# /' "$tmp/err" | head -5
	fi
done
check "corrupted states: $n_refused refused, $n_right right, $n_bad neither" '[ $n_bad = 0 ]'
tap_done
