/*
 * money.h - exact money: integers, never binary floating point.
 *
 * A price is USD per million tokens with at most 9 fractional digits, held as
 * an integer count of 1e-9 USD per million tokens. A cost is held in 1e-15
 * USD (femto-dollars): tokens * price_nanos is then exact. 128 bits hold
 * 2^53 tokens at any uint64 price summed 2^11 times, or 2^53 tokens at
 * $1,000/Mtok summed 2^35 times.
 */
#ifndef LEDGER_MONEY_H
#define LEDGER_MONEY_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 money_t; /* 1e-15 USD */

/*
 * Parses a non-negative decimal ("3", "0.075", "12.000000001") with at most 9
 * fractional digits into nano-USD. Returns 0, or -1 if s is empty, negative,
 * not a plain decimal, has more than 9 fractional digits, or overflows.
 * s need not be NUL-terminated.
 */
int money_parse_price(const char *s, size_t n, uint64_t *nanos);

/*
 * Why money_parse_price would fail on s, as a phrase to put after the value
 * in a message: "is not a non-negative decimal", "has more than 9 fractional
 * digits" or "is too large"; NULL if s is a valid price.
 * The grammar is DIGITS [ "." DIGITS ]: no sign, exponent, blanks, "1." or ".5".
 */
const char *money_price_problem(const char *s, size_t n);

/* tokens * nanos, exact: the cost in 1e-15 USD of tokens at that price. */
money_t money_cost(uint64_t tokens, uint64_t nanos);

/*
 * Prints m as USD rounded half up to 6 decimals ("0.000001", "12.345679")
 * and a NUL; out needs 48 bytes. Returns the length.
 */
size_t money_format_usd(money_t m, char out[48]);

/* Prints a price in nano-USD as a minimal decimal ("3", "0.075"); 32 bytes. */
size_t money_format_price(uint64_t nanos, char out[32]);

/* Writes v's decimal digits (no NUL); returns how many: at most 39. */
size_t money_format_u128(unsigned __int128 v, char *out);

#endif
