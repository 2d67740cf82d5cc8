#!/bin/sh
# audit.sh BINARY SOURCE_ROOT - run.json, summary.json, --budget's exit 4,
# stale reports, and bedrock-ledger verify (bedrock-ledger(1), AUDIT).
#
# Works on a copy of the sample tree, so that inputs can be changed; reads
# the JSON with Python's json module (a real parser).
. "$(dirname "$0")/lib.sh"
work=$tmp/work
mkdir -p "$work"
cp -r "$src/testdata/sample/logs" "$work/logs"
cp "$src/testdata/sample/tags.csv" "$work/tags.csv"
cd "$work" || exit 1
py() { python3 -c "$@"; }

"$bin" --hash -o out -m tags.csv logs > text.txt 2> /dev/null
status=$?
check "a --hash run: exit 0 (got $status)" '[ $status = 0 ]'
check "run.json and summary.json are written" '[ -f out/run.json ] && [ -f out/summary.json ]'

# run.json: every report with its size and SHA-256, the table with its own
check "run.json parses; each report's size and sha256 are the file's" 'py "
import json, hashlib, os, sys
r = json.load(open(\"out/run.json\"))
assert r[\"schema\"] == \"bedrock-ledger run\" and r[\"version\"] == 1
names = [x[\"name\"] for x in r[\"reports\"]]
assert \"summary.json\" in names and \"sources.csv\" in names and \"run.json\" not in names, names
for x in r[\"reports\"]:
    b = open(\"out/\" + x[\"name\"], \"rb\").read()
    assert len(b) == x[\"size\"] and hashlib.sha256(b).hexdigest() == x[\"sha256\"], x
t = r[\"tables\"]
assert [x[\"path\"] for x in t] == [\"tags.csv\"], t
assert t[0][\"sha256\"] == hashlib.sha256(open(\"tags.csv\", \"rb\").read()).hexdigest()
assert r[\"arguments\"] == [\"--hash\", \"-o\", \"out\", \"-m\", \"tags.csv\", \"logs\"], r[\"arguments\"]
assert r[\"hash\"] is True and r[\"prices\"][\"builtin\"] is True and r[\"exit_status\"] == 0
assert r[\"records\"][\"read\"] == 10
"'
check "sources.csv: each read object's sha256 is its file's" 'py "
import csv, hashlib
rows = list(csv.DictReader(open(\"out/sources.csv\")))
ok = [r for r in rows if r[\"status\"] == \"ok\"]
assert ok and all(r[\"sha256\"] == hashlib.sha256(open(r[\"path\"], \"rb\").read()).hexdigest() for r in ok)
assert all(r[\"sha256\"] == \"\" for r in rows if r[\"status\"] != \"ok\")
"'

# summary.json says what the text summary says
check "summary.json's numbers are the text summary's (tests/audit_summary.py)" \
	'python3 "$src/tests/audit_summary.py" out/summary.json text.txt'
"$bin" -o out2 -m tags.csv --format json logs > stdout.json 2> /dev/null
check "--format json: stdout is summary.json" 'cmp -s stdout.json out2/summary.json'
"$bin" -q -o out3 -m tags.csv --format json logs > quiet.txt 2> /dev/null
check "--format json -q: nothing on stdout" '[ ! -s quiet.txt ]'

# verify
"$bin" verify out > v.txt
status=$?
check "verify, untouched: exit 0 (got $status)" '[ $status = 0 ] && grep -q "files checked, 0 differ or are missing, 0 not found" v.txt'
cp out/app_day.csv app_day.keep
printf 'x' | dd of=out/app_day.csv bs=1 seek=5 conv=notrunc 2> /dev/null
"$bin" verify out > v.txt
status=$?
check "verify, a report changed by one byte: exit 1 (got $status), named" '[ $status = 1 ] && grep -q "^out/app_day.csv: differs: " v.txt'
cp app_day.keep out/app_day.csv
cp tags.csv tags.keep
echo "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/x,,a,b" >> tags.csv
"$bin" verify out > v.txt
status=$?
check "verify, a table changed: exit 1 (got $status), named" '[ $status = 1 ] && grep -q "^tags.csv: differs: " v.txt'
cp tags.keep tags.csv
obj=$(grep ',ok,' out/sources.csv | head -1 | cut -d, -f1)
cp "$obj" obj.keep
printf '\n' >> "$obj"
"$bin" verify out > v.txt
status=$?
check "verify, an input object changed (--hash run): exit 1 (got $status), named" '[ $status = 1 ] && grep -qF "$obj: differs: " v.txt'
cp obj.keep "$obj"
mv out/caller.csv caller.keep
"$bin" verify out > v.txt
status=$?
check "verify, a report missing: exit 1 (got $status)" '[ $status = 1 ] && grep -q "^out/caller.csv: missing" v.txt'
mv caller.keep out/caller.csv
mkdir -p elsewhere
mv out elsewhere/moved
"$bin" verify elsewhere/moved > v.txt
status=$?
check "verify, DIR moved elsewhere: exit 0 (got $status)" '[ $status = 0 ] && grep -q "files checked, 0 differ or are missing, 0 not found" v.txt'
mv logs logs.away
"$bin" verify elsewhere/moved > v.txt
status=$?
check "verify, inputs no longer at their paths: said, not checked, exit 0 (got $status)" '[ $status = 0 ] && grep -q "not found at this path: not checked" v.txt'
mv logs.away logs
"$bin" verify "$tmp/nowhere" > v.txt 2> v.err
status=$?
check "verify, no run.json: exit 2 (got $status)" '[ $status = 2 ] && [ -s v.err ]'

# budgets: exit 4; --strict's 1 wins; the stale budgets.csv goes with the next run
printf 'app,max_usd,per\nsupport-chat,0.01,run\n,0.01,day\n' > budget.csv
"$bin" -q -o b -m tags.csv --budget budget.csv logs 2> /dev/null
status=$?
check "--budget exceeded: exit 4 (got $status)" '[ $status = 4 ] && [ -f b/budgets.csv ]'
check "budget.csv is a table of run.json" 'py "
import json; r = json.load(open(\"b/run.json\"))
assert [t[\"path\"] for t in r[\"tables\"]] == [\"tags.csv\", \"budget.csv\"] and r[\"exit_status\"] == 4
"'
echo '{"timestamp":"2026-10-01T12:00:00Z"' > bad.json
"$bin" -q -o b --strict -m tags.csv --budget budget.csv logs bad.json 2> /dev/null
status=$?
check "--budget exceeded and --strict with a reject: exit 1 (got $status)" '[ $status = 1 ]'
echo "mine" > b/notes.txt
"$bin" -q -o b -m tags.csv logs 2> /dev/null
check "a rerun without --budget removes the stale budgets.csv" '[ ! -e b/budgets.csv ] && [ -f b/app_day.csv ]'
check "... and leaves a file no run wrote" '[ "$(cat b/notes.txt)" = mine ]'
check "... and run.json no longer lists budgets.csv" '! grep -q budgets.csv b/run.json'

# values from the inputs are escaped: a tag with a quote, a newline and markup
printf 'profile_arn,model_id,app,team\narn:aws:bedrock:us-east-1:111122223333:application-inference-profile/supp0rtchat1,us.anthropic.claude-sonnet-4-5-20250929-v1:0,"a""b\n</script><x>\\",t\001\n' > evil.csv
"$bin" -q -o e -m evil.csv logs 2> /dev/null
check "summary.json with hostile tag values still parses, values intact" 'py "
import json; s = json.load(open(\"e/summary.json\"))
vals = [r[\"value\"] for r in s[\"top_group\"][\"rows\"]]
assert \"a\\\"b\n</script><x>\\\\\" in vals, vals
json.load(open(\"e/run.json\"))
"'
tap_done
