#!/bin/bash
# browser.sh BINARY SOURCE_ROOT BUILD_DIR - report.html in Debian's chromium, as TAP.
# For a few golden cases, the binary writes its reports and tests/browser/check.mjs
# opens report.html headless through playwright-core (from the npm registry,
# installed into BEDROCK_LEDGER_NPM_DIR, default ~/.cache/bedrock-ledger-npm-browser;
# it drives the system's chromium and downloads no browser): the page loads with
# the network off, logs no console error, makes no request, holds nothing
# active, shows the CSVs' numbers, and is photographed at 1280 and 390 px into
# BUILD_DIR/browser/. Without chromium, node or npm the test is skipped, unless
# BEDROCK_LEDGER_BROWSER_REQUIRED=1 (.ci/run sets it and installs chromium).
set -u
bin=$1
root=$2
build=$3
case "$bin" in /*) ;; *) bin=$(pwd)/$bin ;; esac
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
cases="views-page views-html-escape reconcile-cur2 tree-manifest"

skip() {
	if [ "${BEDROCK_LEDGER_BROWSER_REQUIRED:-}" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - $1 (BEDROCK_LEDGER_BROWSER_REQUIRED=1)"
	else
		echo "1..0 # SKIP $1"
	fi
	exit 0
}
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || skip "chromium not found: apt-get install chromium (as .ci/run does)"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	skip "node and npm not found: install nodejs and npm to run the browser test"
npm_dir=${BEDROCK_LEDGER_NPM_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/bedrock-ledger-npm-browser}
packages="playwright-core@1.65.2" # pinned; it brings no browser
if [ ! -f "$npm_dir/.installed" ] || [ "$(cat "$npm_dir/.installed")" != "$packages" ]; then
	mkdir -p "$npm_dir" || exit 1
	if ! (cd "$npm_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit \
		--no-fund $packages >/dev/null 2>&1); then
		skip "npm install $packages failed in $npm_dir (no registry?)"
	fi
	echo "$packages" > "$npm_dir/.installed"
fi
cp "$root/tests/browser/check.mjs" "$npm_dir/" || exit 1
shots=$build/browser
mkdir -p "$shots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# each case's lines, numbered here; the plan comes last
n=0
fail=0
for c in $cases; do
	dir=$root/testdata/cases/$c
	args=()
	while IFS= read -r line || [ -n "$line" ]; do args+=("$line"); done < "$dir/args"
	(cd "$dir" && "$bin" -q -o "$tmp/$c" "${args[@]}" < /dev/null) > /dev/null 2>&1
	if [ ! -f "$tmp/$c/report.html" ]; then
		n=$((n + 1))
		echo "not ok $n - $c: no report.html written"
		continue
	fi
	size=$(stat -c %s "$tmp/$c/report.html")
	n=$((n + 1))
	echo "ok $n - $c: report.html written ($size bytes)"
	node "$npm_dir/check.mjs" "$chrome" "$tmp/$c" "$shots/$c" > "$tmp/$c.tap" 2>&1 || fail=1
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) n=$((n + 1)); echo "ok $n - $c: ${line#ok - }" ;;
		"not ok - "*) n=$((n + 1)); echo "not ok $n - $c: ${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done < "$tmp/$c.tap"
	grep -q "^ok - it prints" "$tmp/$c.tap" || { n=$((n + 1)); echo "not ok $n - $c: check.mjs did not finish"; }
done
echo "1..$n"
