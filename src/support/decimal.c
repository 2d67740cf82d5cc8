/*
 * decimal.c - exact signed decimals in 1e-18 units: text in, sums, text out.
 */
#include "ledger/support/decimal.h"

#include <assert.h>
#include <string.h>

#define INT128_MAX_V ((__int128)(((unsigned __int128)1 << 127) - 1))

enum parse_result { PARSE_OK, PARSE_EMPTY, PARSE_SYNTAX, PARSE_PRECISION, PARSE_OVERFLOW };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The digits of a number: the integer part, then the fraction, as one sequence. */
struct digits {
	const char *a, *b; /* integer part, fraction */
	size_t na, nb;
};

static char digit_at(const struct digits *d, size_t j)
{
	return j < d->na ? d->a[j] : d->b[j - d->na];
}

/*
 * Exponents beyond this cannot give a value that fits or is exact; clamping
 * them keeps the arithmetic on the exponent itself from overflowing.
 */
#define EXP_CLAMP 100000

static enum parse_result parse(const char *s, size_t n, struct decimal *out)
{
	if (n == 0)
		return PARSE_EMPTY;
	size_t i = 0;
	bool neg = s[0] == '-';
	i += neg;
	struct digits d = { s + i, NULL, 0, 0 };
	while (i < n && is_digit(s[i]))
		i++, d.na++;
	if (d.na == 0)
		return PARSE_SYNTAX;
	if (i < n && s[i] == '.') {
		d.b = s + ++i;
		while (i < n && is_digit(s[i]))
			i++, d.nb++;
		if (d.nb == 0)
			return PARSE_SYNTAX;
	}
	long exp = 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		size_t start = i;
		for (; i < n && is_digit(s[i]); i++)
			if (exp < EXP_CLAMP)
				exp = exp * 10 + (s[i] - '0');
		if (i == start)
			return PARSE_SYNTAX;
		if (eneg)
			exp = -exp;
	}
	if (i != n)
		return PARSE_SYNTAX;

	/* value = D * 10^k in units of 1e-18, D the digits without leading or trailing zeros */
	size_t first = 0, last = d.na + d.nb;
	long k = exp - (long)d.nb + DECIMAL_SCALE_DIGITS;
	while (first < last && digit_at(&d, first) == '0')
		first++;
	while (last > first && digit_at(&d, last - 1) == '0')
		last--, k++;
	if (first == last) {
		*out = DECIMAL_ZERO;
		return PARSE_OK;
	}
	if (k < 0)
		return PARSE_PRECISION;
	if ((long)(last - first) + k > 39)
		return PARSE_OVERFLOW;
	__int128 v = 0;
	for (size_t j = first; j < last; j++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, digit_at(&d, j) - '0', &v))
			return PARSE_OVERFLOW;
	for (long e = 0; e < k; e++)
		if (__builtin_mul_overflow(v, 10, &v))
			return PARSE_OVERFLOW;
	out->v = neg ? -v : v;
	return PARSE_OK;
}

int decimal_parse(const char *s, size_t n, struct decimal *out)
{
	struct decimal v;
	if (parse(s, n, &v) != PARSE_OK)
		return -1;
	*out = v;
	return 0;
}

const char *decimal_problem(const char *s, size_t n)
{
	struct decimal v;
	switch (parse(s, n, &v)) {
	case PARSE_OK:
		return NULL;
	case PARSE_EMPTY:
		return "is empty";
	case PARSE_PRECISION:
		return "has digits below 1e-18";
	case PARSE_OVERFLOW:
		return "is too large";
	case PARSE_SYNTAX:
		break;
	}
	return "is not a decimal number";
}

int decimal_add(struct decimal *acc, struct decimal x)
{
	__int128 v;
	if (__builtin_add_overflow(acc->v, x.v, &v))
		return -1;
	acc->v = v;
	return 0;
}

int decimal_mul_int(struct decimal d, uint64_t m, struct decimal *out)
{
	__int128 v;
	if (__builtin_mul_overflow(d.v, (__int128)m, &v))
		return -1;
	out->v = v;
	return 0;
}

int decimal_sub(struct decimal a, struct decimal b, struct decimal *out)
{
	__int128 v;
	if (__builtin_sub_overflow(a.v, b.v, &v))
		return -1;
	out->v = v;
	return 0;
}

int decimal_from_money(money_t m, struct decimal *out)
{
	/* 1e-15 -> 1e-18 */
	if (m > (unsigned __int128)INT128_MAX_V / 1000)
		return -1;
	out->v = (__int128)(m * 1000);
	return 0;
}

static unsigned __int128 pow10_u(unsigned e)
{
	unsigned __int128 p = 1;
	while (e--)
		p *= 10;
	return p;
}

static unsigned __int128 magnitude(struct decimal d)
{
	return d.v < 0 ? -(unsigned __int128)d.v : (unsigned __int128)d.v;
}

/* |d| / q rounded half up; |d| <= 2^127, so adding q / 2 cannot wrap. */
static unsigned __int128 rounded(struct decimal d, unsigned __int128 q)
{
	unsigned __int128 m = magnitude(d);
	return (m + q / 2) / q;
}

int decimal_to_integer(struct decimal d, uint64_t multiplier, int64_t *out)
{
	unsigned __int128 scale = pow10_u(DECIMAL_SCALE_DIGITS);
	assert(multiplier > 0 && scale % multiplier == 0);
	unsigned __int128 r = rounded(d, scale / multiplier);
	if (r > INT64_MAX)
		return -1;
	*out = d.v < 0 ? -(int64_t)r : (int64_t)r;
	return 0;
}

/* Writes the digits of v ending just before `end`; returns where they begin. */
static char *digits_before(unsigned __int128 v, char *end)
{
	do {
		*--end = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	return end;
}

size_t decimal_format(struct decimal d, unsigned places, char out[DECIMAL_TEXT_MAX])
{
	assert(places <= DECIMAL_SCALE_DIGITS);
	unsigned __int128 r = rounded(d, pow10_u(DECIMAL_SCALE_DIGITS - places));
	unsigned __int128 unit = pow10_u(places);
	/* right to left: the fraction's digits, the point, the integer's, the sign */
	char buf[DECIMAL_TEXT_MAX];
	char *end = buf + sizeof buf, *p = end;
	if (places) {
		unsigned __int128 frac = r % unit;
		for (unsigned i = 0; i < places; i++, frac /= 10)
			*--p = (char)('0' + (unsigned)(frac % 10));
		*--p = '.';
	}
	p = digits_before(r / unit, p);
	if (d.v < 0 && r != 0)
		*--p = '-';
	size_t n = (size_t)(end - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

int decimal_cmp(struct decimal a, struct decimal b)
{
	return a.v < b.v ? -1 : a.v > b.v;
}
