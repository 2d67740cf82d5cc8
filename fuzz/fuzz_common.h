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
#include <stddef.h>
#include <stdint.h>
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

/*
 * The pieces an input is fed in, set by its two header bytes (taken off
 * the input): byte 0 the largest piece (1..256), byte 1 a seed. Seed 0:
 * every piece that large; else xorshift32 sizes up to it, one in sixteen
 * empty. No header (under two bytes): pieces of 256.
 */
struct fuzz_pieces {
	size_t limit;
	unsigned seed;
	uint32_t rng;
};

static inline struct fuzz_pieces fuzz_pieces_take(const uint8_t **data, size_t *size)
{
	struct fuzz_pieces p = { 256, 0, 0 };
	if (*size >= 2) {
		p.limit = (size_t)(*data)[0] + 1;
		p.seed = (*data)[1];
		*data += 2;
		*size -= 2;
	}
	p.rng = (uint32_t)p.seed * 2654435761u + 1;
	return p;
}

/* The next piece's size, at most left. */
static inline size_t fuzz_piece(struct fuzz_pieces *p, size_t left)
{
	size_t n = p->limit;
	if (p->seed) {
		uint32_t x = p->rng;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p->rng = x;
		n = (x & 15) == 0 ? 0 : 1 + (x >> 4) % p->limit;
	}
	return n < left ? n : left;
}

#endif
