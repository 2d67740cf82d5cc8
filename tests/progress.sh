#!/bin/bash
# progress.sh BINARY SOURCE_ROOT - the progress line, on a pseudo-terminal.
#
# Progress is drawn only when stderr is a terminal, so each run here goes
# through script(1), which gives the program a pseudo-terminal.
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null; then
	echo "1..0 # SKIP script(1) is not installed (util-linux)"
	exit 0
fi

# on_tty OUTFILE CMD... : runs CMD with stdin, stdout and stderr on a pty
on_tty() {
	local out=$1
	shift
	local cmd
	printf -v cmd '%q ' "$@"
	timeout 20 script -qefc "$cmd" /dev/null > "$out" 2>&1 < /dev/null
}

# 1. folders vanish while the run goes on (a sync still running): the total of
# the first walk is only for display, the run still ends
big=$tmp/vanish
mkdir -p "$big"
python3 - "$big" <<'PY'
import gzip, json, os, sys
d = sys.argv[1]
rec = {"timestamp": "2026-10-01T12:00:00Z", "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
       "input": {"inputTokenCount": 10, "inputBodyJson": {"pad": "x" * 3000}},
       "output": {"outputTokenCount": 1}}
line = (json.dumps(rec) + "\n").encode() * 400
data = gzip.compress(line, 1)
for k in range(40):
    os.makedirs(f"{d}/{k:02d}")
    for i in range(10):
        with open(f"{d}/{k:02d}/{i}.json.gz", "wb") as f:
            f.write(data)
PY
# whole folders go: the walk never lists them
( sleep 0.4; rm -rf "$big"/2? "$big"/3? ) &
on_tty "$tmp/vanish.out" "$bin" -j 1 -o "$tmp/out1" "$big"
status=$?
wait
check "files removed during a run: the run ends (status $status)" '[ $status = 0 ]'
check "files removed during a run: reports written" '[ -f "$tmp/out1/sources.csv" ]'

# 2. progress goes to the terminal, and is erased before the summary
on_tty "$tmp/sample.out" "$bin" -o "$tmp/out2" -m "$src/testdata/sample/tags.csv" "$src/testdata/sample/logs"
status=$?
check "sample on a terminal: exit 0 (got $status)" '[ $status = 0 ]'
check "sample on a terminal: the summary is there" 'grep -q "^records " "$tmp/sample.out"'

# 3. one input that arrives slowly (standard input): the line moves with the
# bytes and records read, and has no ETA (the size is unknown)
python3 - "$tmp/part.json.gz" <<'PY'
import base64, gzip, json, random, sys
rnd = random.Random(7)
out = []
for i in range(400): # bodies that do not compress: over a MB stored
    pad = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(3000))).decode()
    out.append(json.dumps({"timestamp": "2026-10-01T12:00:00Z", "modelId": "m",
                           "input": {"inputTokenCount": 1, "inputBodyJson": {"p": pad}}}))
open(sys.argv[1], "wb").write(gzip.compress(("\n".join(out) + "\n").encode(), 1))
PY
slow=$tmp/slow.sh
cat > "$slow" <<SH
cat "$tmp/part.json.gz"; sleep 1.5; cat "$tmp/part.json.gz"
SH
on_tty "$tmp/stdin.out" sh -c "sh '$slow' | '$bin' -j 1 -o '$tmp/out3' -"
status=$?
check "slow stdin: exit 0 (got $status)" '[ $status = 0 ]'
check "slow stdin: progress shows bytes and records before the end" \
	'tr "\r" "\n" < "$tmp/stdin.out" | grep -Eq "^(.\[K)?[1-9][0-9.]* MB read  [1-9][0-9]* records"'
check "slow stdin: no ETA" '! grep -q ETA "$tmp/stdin.out"'

# 4. Ctrl-C (SIGINT) while the line is drawn: the line is erased before the message
cat > "$tmp/int.sh" <<SH
(cat "$tmp/part.json.gz"; sleep 5) | '$bin' -j 1 -o '$tmp/out4' - &
pid=\$!
sleep 1.2
kill -INT \$pid
wait \$pid
SH
on_tty "$tmp/int.out" sh "$tmp/int.sh"
check "SIGINT: the progress line is erased before the message" \
	'grep -q "$(printf "\r\033\\[K")bedrock-ledger: interrupted" "$tmp/int.out"'

tap_done
