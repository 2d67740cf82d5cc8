#!/bin/sh
# regenerate.sh [BINARY]: rewrites tests/sql/*.athena.sql, the athena scripts
# that tests/sql.sh compares with what the binary prints (read the diff
# before committing them). Run from the source root; BINARY defaults to
# build/bedrock-ledger.
set -e
cd "$(dirname "$0")/../.."
UPDATE_GOLDEN=1 exec tests/sql.sh "${1:-build/bedrock-ledger}" "$(pwd)"
