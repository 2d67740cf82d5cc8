#!/bin/bash
# robustness.sh BINARY SOURCE_ROOT - no data lost, no half-written state.
#
# A disk that fills while the reports are written, an output directory that
# cannot be made, files that vanish or cannot be read, SIGINT and SIGTERM in
# the middle of a run: a clear message, the documented exit status, no
# temporary file left, and the previous reports intact.
. "$(dirname "$0")/lib.sh"
# fd 3 writes to a FIFO in the signal tests: closed before the scratch goes
trap 'exec 3>&- 2>/dev/null; rm -rf "$tmp"' EXIT

logs=$src/testdata/sample/logs
tags=$src/testdata/sample/tags.csv
out=$tmp/out

# previous reports that a failed run must leave alone
fresh_out() {
	rm -rf "$out"
	mkdir -p "$out"
	for f in app_day caller unresolved sources rejects; do echo "previous $f" > "$out/$f.csv"; done
}
intact() {
	for f in app_day caller unresolved sources rejects; do
		[ "$(cat "$out/$f.csv")" = "previous $f" ] || return 1
	done
	[ "$(ls -A "$out" | wc -l)" = 5 ] # no temporary file left
}

# 1. the disk fills while the reports are written (a file size limit: EFBIG)
fresh_out
(trap '' XFSZ; ulimit -f 1; exec "$bin" -q -o "$out" -m "$tags" "$logs") 2> "$tmp/err"
status=$?
check "disk full: exit 3 (got $status)" '[ $status = 3 ]'
check "disk full: says which report and why" 'grep -q "cannot write: File too large" "$tmp/err"'
check "disk full: previous reports intact, no temporary file" intact

# 2. an output directory that cannot be made
echo x > "$tmp/file"
"$bin" -q -o "$tmp/file/sub" "$logs" 2> "$tmp/err"
status=$?
check "output under a file: exit 3 (got $status)" '[ $status = 3 ]'
check "output under a file: message" 'grep -q "^bedrock-ledger: $tmp/file/sub: cannot create directory: Not a directory$" "$tmp/err"'

# 3. a file that vanished between the listing and the read (a dangling link)
mkdir -p "$tmp/tree"
cp -r "$logs/AWSLogs" "$tmp/tree/"
ln -s "$tmp/gone.json.gz" "$tmp/tree/vanished.json.gz"
fresh_out
"$bin" -q -o "$out" "$tmp/tree" 2> "$tmp/err"
status=$?
check "vanished file: exit 0 (got $status)" '[ $status = 0 ]'
check "vanished file: listed as error" 'grep -q "^$tmp/tree/vanished.json.gz,error,cannot stat: No such file or directory," "$out/sources.csv"'
check "vanished file: said on stderr" 'grep -q "vanished.json.gz: cannot stat: No such file or directory" "$tmp/err"'
"$bin" -q --strict -o "$out" "$tmp/tree" 2> /dev/null
status=$?
check "vanished file with --strict: exit 1 (got $status)" '[ $status = 1 ]'

# 4. a file that cannot be read (permissions do not bind root)
if [ "$(id -u)" != 0 ]; then
	cp "$logs"/AWSLogs/*/*/*/*/*/*/*/*.json.gz "$tmp/locked.json.gz" 2>/dev/null ||
		cp "$(find "$logs" -name '*.json.gz' | head -n 1)" "$tmp/locked.json.gz"
	chmod 000 "$tmp/locked.json.gz"
	"$bin" -q -o "$out" "$tmp/locked.json.gz" 2> "$tmp/err"
	status=$?
	check "unreadable file: exit 0 (got $status)" '[ $status = 0 ]'
	check "unreadable file: listed" 'grep -q "locked.json.gz,error,cannot open: Permission denied" "$out/sources.csv"'
else
	ok "unreadable file # SKIP running as root"
fi

# 5. SIGTERM and SIGINT in the middle of a run (stdin that never ends)
for sig in TERM INT; do
	fresh_out
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo"
	"$bin" -q -o "$out" - < "$tmp/fifo" 2> "$tmp/err" &
	pid=$!
	exec 3> "$tmp/fifo"
	zcat "$(find "$logs" -name '*.json.gz' | sort | head -n 1)" >&3
	sleep 0.3
	kill -s $sig $pid
	wait $pid
	status=$?
	exec 3>&-
	want=$((128 + $(kill -l $sig)))
	check "SIG$sig: exit $want (got $status)" '[ $status = $want ]'
	check "SIG$sig: message" 'grep -q "interrupted: no report written" "$tmp/err"'
	check "SIG$sig: previous reports intact, no temporary file" intact
done

# 6. standard input that is a directory
"$bin" -q -o "$out" - < "$src" 2> "$tmp/err"
status=$?
check "stdin is a directory: exit 0, listed as error (got $status)" '[ $status = 0 ] && grep -q "^(stdin),error,read error: Is a directory," "$out/sources.csv"'

# 7. links: every file is read once, however many ways lead to it
lt=$tmp/links
mkdir -p "$lt/tree/sub" "$lt/outside"
one=$src/testdata/cases/strict/s.json
cp "$one" "$lt/tree/a.json"
cp "$one" "$lt/outside/o.json"
ln -s ../a.json "$lt/tree/sub/link-in.json"      # to a file inside the tree
ln -s "$lt/outside/o.json" "$lt/tree/x1.json"      # twice to a file outside it
ln -s "$lt/outside/o.json" "$lt/tree/x2.json"
ln -s "$lt/outside" "$lt/tree/odir"                # a directory outside, holding o.json too
ln -s "$lt/tree" "$lt/tree/sub/loop"               # a loop
"$bin" -q -o "$out" "$lt/tree" "$lt/tree/a.json" 2> "$tmp/err"
status=$?
check "links: exit 0 (got $status)" '[ $status = 0 ]'
check "links: two files read, once each" '[ "$(grep -c ",ok," "$out/sources.csv")" = 2 ] && [ "$(grep -c "^$lt/tree/a.json,ok," "$out/sources.csv")" = 1 ] && grep -q "^$lt/tree/odir/o.json,ok," "$out/sources.csv"'
check "links: the other ways are listed as duplicate" '[ "$(grep -c ",skipped,duplicate," "$out/sources.csv")" = 4 ]'
check "links: 2 records counted" 'awk -F, "NR>1 {n+=\$5} END {exit n!=2}" "$out/app_day.csv"'

# 8. an output directory that cannot be written is found before any input is
# read: standard input is a FIFO nobody writes to, which would block a read
if [ -d /sys/kernel ] && ! touch /sys/kernel/.probe 2>/dev/null; then
	rm -f "$tmp/fifo"; mkfifo "$tmp/fifo"
	exec 4<> "$tmp/fifo" # held open for writing, never written
	timeout 20 "$bin" -q -o /sys/kernel - < "$tmp/fifo" 2> "$tmp/err"
	status=$?
	exec 4>&-
	check "unwritable --out: exit 3 at once, before reading (got $status)" '[ $status = 3 ]'
	check "unwritable --out: says why" 'grep -q "^bedrock-ledger: /sys/kernel: cannot write: " "$tmp/err"'
else
	ok "# skip: no unwritable directory to try (/sys/kernel)"
fi

# 9. the built-in table printed and read back with --prices gives the same reports
# (report.html names the price table: built-in or the file)
"$bin" --print-prices > "$tmp/printed.csv"
"$bin" -q -o "$tmp/builtin" -m "$tags" "$logs" 2> /dev/null
"$bin" -q -o "$tmp/printed" -m "$tags" -p "$tmp/printed.csv" "$logs" 2> "$tmp/err"
status=$?
check "--print-prices read back: exit 0 (got $status)" '[ $status = 0 ] && [ ! -s "$tmp/err" ]'
check "--print-prices read back: identical reports" 'diff -r -x report.html -x run.json -x summary.json "$tmp/builtin" "$tmp/printed" > /dev/null'

# 10. nothing found is not success: an empty folder says so; with --strict, exit 1
mkdir -p "$tmp/nothing"
"$bin" -o "$tmp/nothing-out" "$tmp/nothing" > /dev/null 2> "$tmp/err"
status=$?
check "empty folder: exit 0 (got $status)" '[ $status = 0 ]'
check "empty folder: says why" 'grep -qx "bedrock-ledger: warning: no record counted: no log object found in the paths given" "$tmp/err"'
"$bin" -q --strict -o "$tmp/nothing-out" "$tmp/nothing" > /dev/null 2> "$tmp/err"
status=$?
check "empty folder with --strict -q: exit 1 (got $status)" '[ $status = 1 ]'
check "empty folder with --strict -q: one line why" '[ "$(cat "$tmp/err")" = "bedrock-ledger: --strict: no record counted: no log object found in the paths given" ]'

# 11. a bind mount that puts a folder inside itself: walked once, no loop
# (in a mount namespace of its own; skipped where none can be made)
bm=$tmp/bind
mkdir -p "$bm/tree/sub/loop" "$bm/out"
cp "$one" "$bm/tree/a.json"
cp "$one" "$bm/tree/sub/b.json"
as_root=; [ "$(id -u)" = 0 ] || as_root=-r
if unshare -m $as_root true 2> /dev/null; then
	timeout 60 unshare -m $as_root --propagation private sh -c \
		'mount --bind "$1/sub" "$1/sub/loop" && exec "$2" -q -o "$3" "$1"' \
		sh "$bm/tree" "$bin" "$bm/out" 2> "$tmp/err"
	status=$?
	if [ $status = 0 ] || ! grep -q "mount" "$tmp/err"; then
		check "bind-mount loop: exit 0 (got $status)" '[ $status = 0 ]'
		check "bind-mount loop: each file read once" '[ "$(grep -c ",ok," "$bm/out/sources.csv")" = 2 ] && ! grep -q "/loop/" "$bm/out/sources.csv"'
	else
		ok "# skip: no bind mount can be made here"
	fi
else
	ok "# skip: no mount namespace can be made here"
fi

tap_done
