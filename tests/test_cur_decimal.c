/*
 * test_cur_decimal.c - exact decimals (decimal.h): parsing (signs,
 * exponents, precision, size), sums, rounding half away from zero, no -0,
 * and the tokens of an amount.
 */
#include "ledger/support/decimal.h"

#include <stdio.h>
#include <string.h>

#include "tap.h"

static struct decimal dec(const char *s)
{
	struct decimal d = DECIMAL_ZERO;
	if (decimal_parse(s, strlen(s), &d) != 0)
		printf("# cannot parse %s\n", s);
	return d;
}

static const char *fmt(struct decimal d, unsigned places)
{
	static char buf[4][DECIMAL_TEXT_MAX];
	static int k;
	k = (k + 1) % 4;
	decimal_format(d, places, buf[k]);
	return buf[k];
}

static void test_parse(void)
{
	static const struct {
		const char *in, *out18;
	} good[] = {
		{ "0", "0.000000000000000000" },
		{ "-0", "0.000000000000000000" },
		{ "0.37515", "0.375150000000000000" },
		{ "-0.37515", "-0.375150000000000000" },
		{ "3.0000000000", "3.000000000000000000" },
		{ "0.0000024000", "0.000002400000000000" },
		{ "1250.5", "1250.500000000000000000" },
		{ "1.5E-7", "0.000000150000000000" },
		{ "1.5e+3", "1500.000000000000000000" },
		{ "25e-1", "2.500000000000000000" },
		{ "0.000000000000000001", "0.000000000000000001" },
		{ "0.1000000000000000000000000", "0.100000000000000000" },
		{ "00012.50", "12.500000000000000000" },
		{ "99999999999999999999", "99999999999999999999.000000000000000000" },
		{ "0e99999999999", "0.000000000000000000" },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct decimal d;
		ok(decimal_parse(good[i].in, strlen(good[i].in), &d) == 0, "parses %s", good[i].in);
		is_str(fmt(d, 18), good[i].out18, "value of %s", good[i].in);
		ok(decimal_problem(good[i].in, strlen(good[i].in)) == NULL, "no problem with %s",
		   good[i].in);
	}
	static const struct {
		const char *in, *problem;
	} bad[] = {
		{ "", "is empty" },
		{ "abc", "is not a decimal number" },
		{ "1,5", "is not a decimal number" },
		{ "1.", "is not a decimal number" },
		{ ".5", "is not a decimal number" },
		{ "+1", "is not a decimal number" },
		{ "--1", "is not a decimal number" },
		{ " 1", "is not a decimal number" },
		{ "1 ", "is not a decimal number" },
		{ "1e", "is not a decimal number" },
		{ "1e+", "is not a decimal number" },
		{ "NaN", "is not a decimal number" },
		{ "0.0000000000000000001", "has digits below 1e-18" },
		{ "1e-19", "has digits below 1e-18" },
		{ "1e21", "is too large" },
		{ "999999999999999999999", "is too large" },
		{ "1e99999999999", "is too large" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* gcc's -Wformat-overflow cannot tell that the table holds no NULL */
		const char *in = bad[i].in ? bad[i].in : "";
		struct decimal d = dec("7");
		ok(decimal_parse(in, strlen(in), &d) == -1 && d.v == dec("7").v,
		   "refuses '%s', unchanged", in);
		is_str(decimal_problem(in, strlen(in)), bad[i].problem, "why '%s'", in);
	}
	/* not NUL-terminated */
	struct decimal d;
	ok(decimal_parse("12345", 2, &d) == 0 && d.v == dec("12").v, "reads only n bytes");
}

static void test_format(void)
{
	is_str(fmt(dec("0.0000005"), 6), "0.000001", "half up at 6 places");
	is_str(fmt(dec("0.00000049999"), 6), "0.000000", "below half");
	is_str(fmt(dec("-0.0000005"), 6), "-0.000001", "half away from zero, negative");
	is_str(fmt(dec("-0.0000004"), 6), "0.000000", "never -0");
	is_str(fmt(dec("-0.000000000000000001"), 6), "0.000000", "never -0 (tiny)");
	is_str(fmt(dec("12.3456785"), 6), "12.345679", "12.3456785");
	is_str(fmt(dec("2.5"), 0), "3", "0 places");
	is_str(fmt(dec("-2.5"), 0), "-3", "0 places, negative");
	is_str(fmt(dec("99999999999999999999.9999999"), 6), "100000000000000000000.000000",
	       "carry into the integer part");
	is_str(fmt(DECIMAL_ZERO, 6), "0.000000", "zero");
}

static void test_sums(void)
{
	/* ten thousand rows of 0.0000000001 add up exactly (binary floating point would not) */
	struct decimal acc = DECIMAL_ZERO, step = dec("0.0000000001");
	for (int i = 0; i < 10000; i++)
		decimal_add(&acc, step);
	is_str(fmt(acc, 18), "0.000001000000000000", "exact sum");
	struct decimal big = dec("80000000000000000000"), sum = big;
	ok(decimal_add(&sum, big) == 0, "1.6e20 still fits");
	ok(decimal_add(&sum, big) == -1 && sum.v == 2 * big.v, "overflow refused, unchanged");
	struct decimal diff;
	ok(decimal_sub(dec("0.33"), dec("0.330000000001"), &diff) == 0, "sub");
	is_str(fmt(diff, 12), "-0.000000000001", "a small negative difference");
	is_str(fmt(diff, 6), "0.000000", "...prints as 0 at 6 places");
	ok(decimal_cmp(dec("1"), dec("1.000")) == 0 && decimal_cmp(dec("-1"), dec("0")) < 0, "cmp");
	struct decimal m;
	ok(decimal_from_money((money_t)375150000000000u, &m) == 0 && m.v == dec("0.37515").v,
	   "money (1e-15) to decimal");
	ok(decimal_from_money(~(money_t)0, &m) == -1, "too much money");
	ok(decimal_is_zero(DECIMAL_ZERO) && !decimal_is_zero(step), "is_zero");
}

static void test_tokens(void)
{
	int64_t t;
	ok(decimal_to_integer(dec("1250.5"), 1000, &t) == 0 && t == 1250500, "1250.5 K = 1250500");
	ok(decimal_to_integer(dec("0.02645"), 1000000, &t) == 0 && t == 26450, "0.02645 M");
	ok(decimal_to_integer(dec("0.0000005"), 1000000, &t) == 0 && t == 1, "half up");
	ok(decimal_to_integer(dec("0.0000004999"), 1000000, &t) == 0 && t == 0, "below half");
	ok(decimal_to_integer(dec("1.0005"), 1000, &t) == 0 && t == 1001, "1.0005 K -> 1001");
	ok(decimal_to_integer(dec("-1.0005"), 1000, &t) == 0 && t == -1001, "negative");
	ok(decimal_to_integer(dec("2.5"), 1, &t) == 0 && t == 3, "raw tokens");
	ok(decimal_to_integer(dec("99999999999999999999"), 1000000, &t) == -1, "too many tokens");
	ok(decimal_to_integer(dec("9223372036854"), 1000000, &t) == 0 &&
	       t == INT64_C(9223372036854000000),
	   "near the int64 limit");
	struct decimal x;
	ok(decimal_mul_int(dec("9062.0005"), 1000, &x) == 0 && x.v == dec("9062000.5").v,
	   "half tokens kept exact");
	ok(decimal_mul_int(dec("-0.0000005"), 1000000, &x) == 0 && x.v == dec("-0.5").v,
	   "negative times a unit");
	x = dec("7");
	ok(decimal_mul_int(dec("99999999999999999999"), 1000000, &x) == -1 && x.v == dec("7").v,
	   "a product too large leaves out as it was");
}

int main(void)
{
	test_parse();
	test_format();
	test_sums();
	test_tokens();
	return tap_done();
}
