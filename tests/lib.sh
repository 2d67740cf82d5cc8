# lib.sh - sourced by the shell tests that take BINARY SOURCE_ROOT and
# print TAP (jobs.sh, robustness.sh): POSIX sh.
#
#   . "$(dirname "$0")/lib.sh"  in the test, before anything else
#   check "what holds" '[ "$status" = 0 ]'
#   tap_done                    the plan; the test's exit status
#
# Sets bin (BINARY, made absolute), src (SOURCE_ROOT) and tmp (a scratch
# directory, removed on exit); ok NAME, not_ok NAME and check NAME EXPR
# print one test point each (check evaluates EXPR).
set -u
bin=$1
src=$2
case "$bin" in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
tap_done() { echo "1..$n"; [ $failed = 0 ]; }
