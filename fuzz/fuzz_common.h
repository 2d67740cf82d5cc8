/*
 * fuzz_common.h - what every fuzz harness shares: CHECK, the contract
 * assertion, and the contract of every message (diag.h).
 *
 *   CHECK(n <= cap);
 *   CHECK(fuzz_message_ok(diag_msg(&d)));
 *
 * A check that fails prints "FILE:LINE: check failed: COND" on standard
 * error and aborts, which libFuzzer and the replay programs (replay_main.c)
 * report as a crash. Unlike assert, it is never compiled out.
 */
#ifndef LEDGER_FUZZ_COMMON_H
#define LEDGER_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) ((cond) ? (void)0 : fuzz_check_failed(#cond, __FILE__, __LINE__))

static inline _Noreturn void fuzz_check_failed(const char *cond, const char *file, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, cond);
	abort();
}

/*
 * Longer than this, a message quotes some cell whole: diag.h cuts every
 * cell of the input (DIAG_CELL, DIAG_NAME), so a message is its words, a
 * few cut cells and the input's name ("fuzz...").
 */
#define FUZZ_MESSAGE_MAX 4096

/* A message is safe as made: no control byte (so one line), and not endless. */
static inline bool fuzz_message_ok(const char *m)
{
	if (!m)
		return false;
	size_t n = strlen(m);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)m[i] < 0x20 || (unsigned char)m[i] == 0x7f)
			return false;
	return n <= FUZZ_MESSAGE_MAX;
}

#endif
