/*
 * fuzz_common.h - what every fuzz harness shares: CHECK, the contract
 * assertion.
 *
 *   CHECK(n <= cap);
 *
 * A check that fails prints "FILE:LINE: check failed: COND" on standard
 * error and aborts, which libFuzzer and the replay programs (replay_main.c)
 * report as a crash. Unlike assert, it is never compiled out.
 */
#ifndef LEDGER_FUZZ_COMMON_H
#define LEDGER_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond) ((cond) ? (void)0 : fuzz_check_failed(#cond, __FILE__, __LINE__))

static inline _Noreturn void fuzz_check_failed(const char *cond, const char *file, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, cond);
	abort();
}

#endif
