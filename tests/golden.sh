#!/bin/sh
# golden.sh BINARY CASEDIR - one end-to-end case.
#
# CASEDIR/args     the arguments, one per line (run from CASEDIR; the reports
#                  go to a fresh directory, -o is added)
# CASEDIR/stdin    fed to standard input when present
# CASEDIR/env      VAR=value lines set in the environment of the run
# CASEDIR/expected/*.csv     must equal the reports byte for byte
# CASEDIR/expected/summary.json   compared when present (DIR written OUT);
#                  run.json is checked by tests/audit.sh, not here
# The views and the page (whatif.csv cache.csv coverage.csv report.html), which
# every run writes, are compared only in the cases whose expected/ holds them:
# UPDATE_GOLDEN=1 rewrites them only there (touch expected/FILE to start).
# CASEDIR/expected/status    the exit status (0 when absent)
# CASEDIR/expected/stdout, expected/stderr   compared when present
# UPDATE_GOLDEN=1 rewrites the expected files instead: read the diff before
# committing them.
# LEDGER_STATE=1 (meson test --setup state): every case runs twice with a
# fresh --state FILE, cold then warm, and both runs must give the expected
# reports (the summary's state line aside).
set -u
case "$1" in
/*) bin=$1 ;;
*) bin=$(pwd)/$1 ;;
esac
case_dir=$2
name=$(basename "$case_dir")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
optional="whatif.csv cache.csv coverage.csv report.html"
is_optional() {
	case " $optional " in *" $1 "*) return 0 ;; esac
	return 1
}

# LEDGER_VALGRIND=1 (meson test --setup valgrind): run under valgrind, which
# must find no error and no leak
run=
if [ "${LEDGER_VALGRIND:-}" = 1 ]; then
	run="valgrind -q --leak-check=full --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite,possible --error-exitcode=99 --log-file=$tmp/valgrind.log"
fi

cd "$case_dir" || exit 1
set --
if [ -f args ]; then
	while IFS= read -r line || [ -n "$line" ]; do
		set -- "$@" "$line"
	done < args
fi
# the summary's width: 80 (not a terminal) unless the case sets COLUMNS
unset COLUMNS
# CASEDIR/env: VAR=value lines, set for the run
if [ -f env ]; then
	while IFS= read -r line || [ -n "$line" ]; do
		[ -n "$line" ] && export "$line"
	done < env
fi
state=
if [ "${LEDGER_STATE:-}" = 1 ]; then
	# --hash and --dedupe need every object read, which a warm run does not
	if grep -qx -e --hash -e --dedupe "$case_dir/args" 2>/dev/null; then
		echo "$name: --hash or --dedupe: not run with --state"
		exit 77
	fi
	state="--state $tmp/state.db"
fi

# the summary's paragraph that a --state run adds: the state's own line
state_filter() {
	awk '/^state   / { skip = 1; next } skip && /^             / { next } { skip = 0; print }'
}

# one run of the case: its status, reports and output in $tmp
run_case() {
	rm -rf "$tmp/out"
	if [ -f stdin ]; then
		$run "$bin" -o "$tmp/out" $state "$@" < stdin > "$tmp/stdout" 2> "$tmp/stderr"
	else
		$run "$bin" -o "$tmp/out" $state "$@" < /dev/null > "$tmp/stdout" 2> "$tmp/stderr"
	fi
	status=$?
	if [ -s "$tmp/valgrind.log" ]; then
		echo "$name: valgrind:"
		cat "$tmp/valgrind.log"
		exit 1
	fi
	# the summary names the output directory: make it stable
	sed "s|$tmp/out|OUT|g" "$tmp/stdout" > "$tmp/stdout.n"
	sed "s|$tmp/out|OUT|g" "$tmp/stderr" > "$tmp/stderr.n"
	if [ -n "$state" ]; then # the state's own line of the summary
		state_filter < "$tmp/stdout.n" > "$tmp/stdout.s" && mv "$tmp/stdout.s" "$tmp/stdout.n"
	fi
}

run_case "$@"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	[ -z "$state" ] || { echo "$name: UPDATE_GOLDEN and LEDGER_STATE do not mix"; exit 1; }
	mkdir -p expected
	for f in "$tmp"/out/*.csv "$tmp"/out/report.html; do
		[ -f "$f" ] || continue
		b=$(basename "$f")
		if ! is_optional "$b" || [ -f "expected/$b" ]; then
			cp "$f" expected/
		fi
	done
	[ -f expected/summary.json ] && sed "s|$tmp/out|OUT|g" "$tmp/out/summary.json" > expected/summary.json
	echo "$status" > expected/status
	cp "$tmp/stdout.n" expected/stdout
	cp "$tmp/stderr.n" expected/stderr
	echo "$name: expected files rewritten"
	exit 0
fi

fail=0
# compares one run with the expected files
check_case() { # what (for messages)
	want_status=0
	[ -f expected/status ] && want_status=$(cat expected/status)
	if [ "$status" != "$want_status" ]; then
		echo "$name$1: exit status $status, expected $want_status"
		cat "$tmp/stderr"
		fail=1
	fi
	for f in expected/*.csv expected/report.html; do
		[ -f "$f" ] || continue
		got="$tmp/out/$(basename "$f")"
		if [ ! -f "$got" ]; then
			echo "$name$1: $(basename "$f") was not written"
			fail=1
		elif ! diff -u "$f" "$got"; then
			fail=1
		fi
	done
	if [ -f expected/summary.json ]; then
		sed "s|$tmp/out|OUT|g" "$tmp/out/summary.json" > "$tmp/summary.json.n"
		diff -u expected/summary.json "$tmp/summary.json.n" || fail=1
	fi
	# no report beyond the expected ones (summary.json and run.json are always
	# written), and no temporary file left behind
	if [ -d "$tmp/out" ]; then
		for f in "$tmp"/out/* "$tmp"/out/.[!.]*; do
			[ -e "$f" ] || continue
			case $(basename "$f") in summary.json | run.json) continue ;; esac
			if [ ! -f "expected/$(basename "$f")" ] && ! is_optional "$(basename "$f")"; then
				echo "$name$1: unexpected file $(basename "$f") in the output directory"
				fail=1
			fi
		done
	fi
	# privacy: testdata/build.py puts this text in every request and response body
	if grep -rl "CANARY-7f3a" "$tmp" 2>/dev/null; then
		echo "$name$1: body text reached an output (files above)"
		fail=1
	fi
	for s in stdout stderr; do
		[ -f "expected/$s" ] || continue
		want=expected/$s
		if [ -n "$state" ]; then # the state's own line aside
			state_filter < "$want" > "$tmp/want.$s"
			want=$tmp/want.$s
		fi
		diff -u "$want" "$tmp/$s.n" || fail=1
	done
}

check_case ""
if [ -n "$state" ]; then # again, warm: what the state holds must give the same reports
	run_case "$@"
	check_case " (warm --state)"
fi
exit $fail
