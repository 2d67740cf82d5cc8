#!/bin/sh
# jobs.sh BINARY SOURCE_ROOT - the reports are byte-identical at every -j.
#
# Runs the golden cases that read several objects at -j 1, 2, 3 and 8, and
# at -j 8 with a --state (cold, then warm), and compares every report with
# the -j 1 run. (The inflate backends are held to the same expected files
# by CI, which runs the suite with each.)
. "$(dirname "$0")/lib.sh"
for c in tree-manifest archive-hostile gzip cloudwatch-export spikes-tree dupes-dropped dupes-counted; do
	dir=$src/testdata/cases/$c
	if [ -f "$dir/env" ]; then
		while IFS= read -r line || [ -n "$line" ]; do [ -n "$line" ] && export "$line"; done < "$dir/env"
	fi
	set --
	while IFS= read -r line || [ -n "$line" ]; do set -- "$@" "$line"; done < "$dir/args"
	for j in 1 2 3 8; do
		(cd "$dir" && "$bin" -q -j $j -o "$tmp/$c-$j" "$@" < /dev/null 2> /dev/null)
	done
	# with --state at -j 8, cold then warm: the warm run's workers take the
	# objects a few at a time and hold their cells while another adds to the views
	case " $* " in
	*" --dedupe "*) ;; # needs every object read: not with --state
	*)
		for run in cold warm; do
			(cd "$dir" && "$bin" -q -j 8 -o "$tmp/$c-$run" --state "$tmp/$c.db" "$@" < /dev/null 2> /dev/null)
			if diff -r -x run.json -x summary.json "$tmp/$c-1" "$tmp/$c-$run" > "$tmp/diff"; then
				ok "$c: -j 8 --state, $run, gives the reports of -j 1"
			else
				not_ok "$c: -j 8 --state, $run, differs from -j 1"
				sed 's/^/# /' "$tmp/diff" | head -20
			fi
		done
		;;
	esac
	for j in 2 3 8; do
		if diff -r -x run.json -x summary.json "$tmp/$c-1" "$tmp/$c-$j" > "$tmp/diff"; then
			ok "$c: -j $j gives the reports of -j 1"
		else
			not_ok "$c: -j $j differs from -j 1"
			sed 's/^/# /' "$tmp/diff" | head -20
		fi
		sed "s|$tmp/$c-1|OUT|" "$tmp/$c-1/summary.json" > "$tmp/s1"
		sed "s|$tmp/$c-$j|OUT|" "$tmp/$c-$j/summary.json" > "$tmp/sj"
		check "$c: -j $j gives the summary.json of -j 1" 'cmp -s "$tmp/s1" "$tmp/sj"'
	done
	unset BEDROCK_LEDGER_CELLS
done
tap_done
