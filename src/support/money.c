/*
 * money.c - exact money: decimal prices in, 128-bit femto-dollar costs, and
 * USD text out. No floating point anywhere.
 */
#include "ledger/support/money.h"

#include <stdbool.h>

#define NANOS_PER_UNIT	   1000000000u /* price: 1e-9 USD per Mtok */
#define FEMTOS_PER_MICRO   1000000000u /* cost: 1e-15 USD -> 1e-6 USD */
#define MICROS_PER_USD	   1000000u
#define PRICE_MAX_FRACTION 9

enum parse_result { PARSE_OK, PARSE_SYNTAX, PARSE_PRECISION, PARSE_OVERFLOW };

static enum parse_result parse_price(const char *s, size_t n, uint64_t *nanos)
{
	size_t i = 0;
	uint64_t whole = 0;
	bool overflow = false;

	if (n == 0 || s[0] < '0' || s[0] > '9')
		return PARSE_SYNTAX;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		/* keep scanning after an overflow: a syntax error elsewhere is the better message
		 */
		if (__builtin_mul_overflow(whole, 10u, &whole) ||
		    __builtin_add_overflow(whole, (uint64_t)(s[i] - '0'), &whole))
			overflow = true;
	}

	uint64_t frac = 0;
	size_t frac_digits = 0;
	if (i < n) {
		if (s[i] != '.')
			return PARSE_SYNTAX;
		i++;
		if (i == n)
			return PARSE_SYNTAX;
		for (; i < n; i++, frac_digits++) {
			if (s[i] < '0' || s[i] > '9')
				return PARSE_SYNTAX;
			if (frac_digits < PRICE_MAX_FRACTION)
				frac = frac * 10 + (uint64_t)(s[i] - '0');
		}
	}
	if (frac_digits > PRICE_MAX_FRACTION)
		return PARSE_PRECISION;
	for (size_t k = frac_digits; k < PRICE_MAX_FRACTION; k++)
		frac *= 10;

	uint64_t v;
	if (overflow || __builtin_mul_overflow(whole, (uint64_t)NANOS_PER_UNIT, &v) ||
	    __builtin_add_overflow(v, frac, &v))
		return PARSE_OVERFLOW;
	*nanos = v;
	return PARSE_OK;
}

int money_parse_price(const char *s, size_t n, uint64_t *nanos)
{
	uint64_t v;
	if (parse_price(s, n, &v) != PARSE_OK)
		return -1;
	*nanos = v;
	return 0;
}

const char *money_price_problem(const char *s, size_t n)
{
	uint64_t v;
	switch (parse_price(s, n, &v)) {
	case PARSE_OK:
		return NULL;
	case PARSE_PRECISION:
		return "has more than 9 fractional digits";
	case PARSE_OVERFLOW:
		return "is too large";
	case PARSE_SYNTAX:
		break;
	}
	return "is not a non-negative decimal";
}

money_t money_cost(uint64_t tokens, uint64_t nanos)
{
	return (money_t)tokens * nanos;
}

size_t money_format_u128(unsigned __int128 v, char *out)
{
	char rev[40];
	size_t n = 0;
	do {
		rev[n++] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

size_t money_format_usd(money_t m, char out[48])
{
	/* m + 5e8 could wrap near 2^128; rounding on the remainder cannot */
	money_t micros = m / FEMTOS_PER_MICRO;
	if (m % FEMTOS_PER_MICRO >= FEMTOS_PER_MICRO / 2)
		micros++;

	size_t n = money_format_u128(micros / MICROS_PER_USD, out);
	unsigned frac = (unsigned)(micros % MICROS_PER_USD);
	out[n++] = '.';
	for (unsigned div = MICROS_PER_USD / 10; div; div /= 10)
		out[n++] = (char)('0' + frac / div % 10);
	out[n] = '\0';
	return n;
}

size_t money_format_price(uint64_t nanos, char out[32])
{
	size_t n = money_format_u128(nanos / NANOS_PER_UNIT, out);
	uint64_t frac = nanos % NANOS_PER_UNIT;
	if (frac) {
		out[n++] = '.';
		for (uint64_t div = NANOS_PER_UNIT / 10; frac; div /= 10) {
			out[n++] = (char)('0' + frac / div);
			frac %= div;
		}
	}
	out[n] = '\0';
	return n;
}
