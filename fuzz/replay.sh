#!/bin/sh
# replay.sh PROGRAM PATH... - runs a harness's replay program over PATHs
# (meson test, suite fuzz-replay). With LEDGER_VALGRIND=1 (meson test --setup
# valgrind) it runs under valgrind, which must find no error and no leak:
# valgrind sees inside the C libraries (zlib, ISA-L, libarchive, yajl,
# libcsv), which ASan does not.
if [ "${LEDGER_VALGRIND:-}" = 1 ]; then
	exec valgrind -q --leak-check=full --show-leak-kinds=definite,possible \
		--errors-for-leak-kinds=definite,possible --error-exitcode=99 "$@"
fi
exec "$@"
