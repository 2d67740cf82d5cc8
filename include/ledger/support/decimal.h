/*
 * decimal.h - exact signed decimals: the bill's money and amounts.
 *
 * Pipeline: used by cur (line_item_unblended_cost, line_item_usage_amount)
 * and by the reconciliation that sets them against money.h's costs.
 * A struct decimal is an integer count of 1e-18 (a signed 128-bit value), so
 * every decimal with at most 18 fractional digits and a magnitude below
 * 10^20 is held exactly and sums of them stay exact (until about 1.7e20:
 * decimal_add says when a sum would not fit). No floating point anywhere.
 * Rounding is half away from zero ("half up" on magnitudes), so -x always
 * prints as x with a minus sign, and a value that rounds to zero prints
 * without one.
 * Ownership: plain values; nothing to free.
 *
 *	struct decimal cost;
 *	if (decimal_parse(cell.p, cell.n, &cost) != 0)
 *		... decimal_problem(cell.p, cell.n) says why ...
 *	char buf[DECIMAL_TEXT_MAX];
 *	decimal_format(cost, 6, buf);  // "0.375150", "-12.000000"
 */
#ifndef LEDGER_DECIMAL_H
#define LEDGER_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/money.h"

#define DECIMAL_SCALE_DIGITS 18
/* Room for any decimal_format result and its NUL. */
#define DECIMAL_TEXT_MAX 64

struct decimal {
	__int128 v; /* the value times 10^18 */
};

#define DECIMAL_ZERO ((struct decimal){ 0 })

/*
 * Parses s (n bytes, not NUL-terminated): an optional '-', digits, an
 * optional '.' and digits, an optional exponent (e or E, an optional sign,
 * digits): "0.37515", "-0.0000024000", "1.5E-7", "12". Trailing zeros are
 * free; non-zero digits below 1e-18 are not (the value would not be exact).
 * Returns 0 and sets *out, or -1.
 */
int decimal_parse(const char *s, size_t n, struct decimal *out);

/*
 * Why decimal_parse fails on s, as a phrase to put after the value in a
 * message: "is empty", "is not a decimal number", "has digits below 1e-18"
 * or "is too large"; NULL when s parses.
 */
const char *decimal_problem(const char *s, size_t n);

/* *acc += x. Returns 0, or -1 (acc unchanged) when the sum would pass +-1.7e20. */
int decimal_add(struct decimal *acc, struct decimal x);

/* a - b, exactly. Returns 0, or -1 (out unchanged) when it would not fit. */
int decimal_sub(struct decimal a, struct decimal b, struct decimal *out);

/*
 * d * m, exactly (a CUR amount times its unit gives exact tokens). Returns 0,
 * or -1 (out unchanged) when the product would not fit.
 */
int decimal_mul_int(struct decimal d, uint64_t m, struct decimal *out);

/* A money.h cost (1e-15 USD) as a decimal. Returns 0, or -1 when too large. */
int decimal_from_money(money_t m, struct decimal *out);

/*
 * d * multiplier rounded half away from zero to an integer. multiplier must
 * divide 10^18 (1, 1000, 10^6 ...). Returns 0 and sets *out, or -1 when the
 * result does not fit in int64_t.
 *	decimal_to_integer(<1250.5>, 1000, &t) -> t == 1250500
 */
int decimal_to_integer(struct decimal d, uint64_t multiplier, int64_t *out);

/*
 * Writes d rounded half away from zero to `places` decimals (0..18), with a
 * '-' only when the rounded value is not zero, and a NUL; out needs
 * DECIMAL_TEXT_MAX bytes. Returns the length.
 *	-0.0000004 at 6 places -> "0.000000"; 2.5 at 0 places -> "3"
 */
size_t decimal_format(struct decimal d, unsigned places, char out[DECIMAL_TEXT_MAX]);

/* -1, 0 or 1 as a < b, a == b, a > b. */
int decimal_cmp(struct decimal a, struct decimal b);

static inline bool decimal_is_zero(struct decimal d)
{
	return d.v == 0;
}

#endif
