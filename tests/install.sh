#!/bin/sh
# install.sh BINARY SOURCE_ROOT BUILD_DIR MESON [PAGE...] - what `meson
# install` puts in place (the README's Install section), as TAP: the program,
# each man page PAGE (NAME.SECTION, when scdoc built them), and a program that
# works from there alone, with its built-in tables and no source tree.
. "$(dirname "$0")/lib.sh"
build=$3
meson=$4
shift 4
dest=$tmp/dest
"$meson" install -C "$build" --no-rebuild --quiet --destdir "$dest" > "$tmp/log" 2>&1
status=$?
check "meson install --destdir: exit 0 (got $status)" '[ $status = 0 ]'
[ $status = 0 ] || cat "$tmp/log" | sed 's/^/# /'
prog=$(find "$dest" -path '*/bin/bedrock-ledger' -type f | head -n 1)
check "the program is installed into a bin/ folder" '[ -n "$prog" ] && [ -x "$prog" ]'
for page in "$@"; do
	section=${page##*.}
	check "man page $page is installed into man$section/" \
		'[ -n "$(find "$dest" -path "*/man$section/$page" -type f)" ]'
done
# away from the source and build trees: the built-in tables are in the program
cd "$tmp" || exit 1
check "the installed program prints its built-in price table" \
	'"$prog" --print-prices | cmp -s - "$src/data/prices.csv"'
"$prog" -q -o "$tmp/out" -m "$src/testdata/sample/tags.csv" "$src/testdata/sample/logs" 2> "$tmp/err"
status=$?
check "the installed program runs on the sample (got $status)" \
	'[ $status = 0 ] && [ -s "$tmp/out/app_day.csv" ]'
tap_done
