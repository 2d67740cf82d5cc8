/*
 * test_money.c - exact money: parsing prices, costs, printing USD.
 */
#include "ledger/support/money.h"

#include "tap.h"

#define NANO	   1000000000ull       /* 1 USD/Mtok in nanos */
#define MAX_TOKENS 9007199254740991ull /* 2^53 - 1, the largest count a record can have */

static void accepts(const char *s, uint64_t want)
{
	uint64_t got = 12345;
	int rc = money_parse_price(s, strlen(s), &got);
	ok(rc == 0 && got == want, "parse \"%s\" = %" PRIu64 " nanos (got rc %d, %" PRIu64 ")", s,
	   want, rc, got);
	ok(money_price_problem(s, strlen(s)) == NULL, "\"%s\" has no problem", s);
}

static void rejects(const char *s, size_t n, const char *problem)
{
	uint64_t got = 12345;
	ok(money_parse_price(s, n, &got) == -1 && got == 12345, "parse rejects \"%.*s\" (n=%zu)",
	   (int)n, s, n);
	is_str(money_price_problem(s, n), problem, "\"%.*s\" %s", (int)n, s, problem);
}

static void usd(money_t m, const char *want, const char *what)
{
	char out[48];
	memset(out, 'x', sizeof out);
	size_t n = money_format_usd(m, out);
	is_str(out, want, "usd %s", what);
	is_int(n, strlen(want), "usd %s: length", what);
}

static void price_text(uint64_t nanos, const char *want)
{
	char out[32];
	size_t n = money_format_price(nanos, out);
	is_str(out, want, "price %" PRIu64 " nanos", nanos);
	is_int(n, strlen(want), "price %" PRIu64 " nanos: length", nanos);
	uint64_t back;
	ok(money_parse_price(out, n, &back) == 0 && back == nanos, "price %s round-trips", want);
}

static void test_parse(void)
{
	accepts("3", 3 * NANO);
	accepts("3.5", 3500000000ull);
	accepts("0.075", 75000000ull);
	accepts("12.000000001", 12000000001ull);
	accepts("0", 0);
	accepts("0.0", 0);
	accepts("0.000000001", 1);
	accepts("1.000000000", NANO);
	accepts("007", 7 * NANO);
	accepts("18.75", 18750000000ull);
	accepts("0.0825", 82500000ull);
	accepts("18446744073", 18446744073ull * NANO);
	accepts("18446744073.709551615", UINT64_MAX);

	const char *notdec = "is not a non-negative decimal";
	rejects("", 0, notdec);
	rejects("-1", 2, notdec);
	rejects("-0", 2, notdec);
	rejects("+1", 2, notdec);
	rejects("1e3", 3, notdec);
	rejects("1E3", 3, notdec);
	rejects(" 1", 2, notdec);
	rejects("1 ", 2, notdec);
	rejects("1.", 2, notdec);
	rejects(".5", 2, notdec);
	rejects(".", 1, notdec);
	rejects("1..2", 4, notdec);
	rejects("1.2.3", 5, notdec);
	rejects("1,5", 3, notdec);
	rejects("0x10", 4, notdec);
	rejects("abc", 3, notdec);
	rejects("$3", 2, notdec);
	rejects("NaN", 3, notdec);
	rejects("1\0", 2, notdec);
	rejects("1.5x", 4, notdec);
	rejects("99999999999999999999999x", 24, notdec);

	const char *precise = "has more than 9 fractional digits";
	rejects("1.0000000001", 12, precise);
	rejects("1.0000000000", 12, precise);
	rejects("0.1234567891", 12, precise);

	const char *large = "is too large";
	rejects("18446744073.709551616", 21, large);
	rejects("18446744074", 11, large);
	rejects("99999999999999999999999", 23, large);
	rejects("340282366920938463463374607431768211457", 39, large);

	/* s need not be NUL-terminated: only n bytes count */
	uint64_t v = 0;
	ok(money_parse_price("3.25", 3, &v) == 0 && v == 3200000000ull, "parse reads only n bytes");
	ok(money_parse_price("0.0750000001", 5, &v) == 0 && v == 75000000ull,
	   "a long tail beyond n is not seen");
}

static void test_cost(void)
{
	ok(money_cost(0, 3 * NANO) == 0, "no tokens cost nothing");
	ok(money_cost(1000000, 3 * NANO) == (money_t)3 * 1000000000000000ull,
	   "a million tokens at $3/Mtok cost 3e15 femto-dollars");
	ok(money_cost(1, 1) == 1, "one token at the smallest price is one femto-dollar");
	money_t big = money_cost(UINT64_MAX, UINT64_MAX);
	ok(big == (money_t)UINT64_MAX * UINT64_MAX, "the product of two uint64 is exact");
	ok((uint64_t)(big >> 64) == UINT64_MAX - 1 && (uint64_t)big == 1,
	   "(2^64-1)^2 = 2^128 - 2^65 + 1");
}

static void test_format_usd(void)
{
	usd(0, "0.000000", "zero");
	usd(1, "0.000000", "one femto-dollar");
	usd(499999999, "0.000000", "just under half a micro-dollar");
	usd(500000000, "0.000001", "exactly half a micro-dollar rounds up");
	usd(1000000000, "0.000001", "one micro-dollar");
	usd(1499999999, "0.000001", "1.499999999 micro-dollars");
	usd(1500000000, "0.000002", "1.5 micro-dollars rounds up");
	usd(2500000000ull, "0.000003", "2.5 micro-dollars rounds up, not to even");
	usd(999999499999999ull, "0.999999", "0.999999499999999 USD");
	usd(999999500000000ull, "1.000000", "0.9999995 USD carries into the dollar");
	usd((money_t)1000000000000000ull * 12 + 345678500000000ull, "12.345679", "12.3456785 USD");
	usd(money_cost(1000000000000000ull, 3 * NANO), "3000000000.000000",
	    "10^15 tokens at $3/Mtok");
	usd(money_cost(1000000000000000ull, 1), "1.000000", "10^15 tokens at $0.000000001/Mtok");
	usd(money_cost(1000000000, 1), "0.000001", "10^9 tokens at the smallest price");
	usd(money_cost(MAX_TOKENS, 75000000), "675539944.105574", "2^53-1 tokens at $0.075/Mtok");
	usd(money_cost(MAX_TOKENS, 1), "9.007199", "2^53-1 tokens at $0.000000001/Mtok");
	usd(money_cost(MAX_TOKENS, 999999999), "9007199245.733792",
	    "2^53-1 tokens at $0.999999999/Mtok");
	usd(money_cost(MAX_TOKENS, UINT64_MAX), "166153499473114465657.224610",
	    "2^53-1 tokens at the largest price");
	usd((money_t)1 << 64, "18446.744074", "2^64 femto-dollars");
	usd((money_t)1 << 127, "170141183460469231731687.303716", "2^127: dollars beyond 2^64");
	usd(~(money_t)0, "340282366920938463463374.607432", "2^128-1: no wrap while rounding");

	/* rounding applies to the sum, never to each term */
	money_t sum = 0;
	for (int i = 0; i < 1000000; i++)
		sum += money_cost(1, 1);
	usd(sum, "0.000000", "a million femto-dollars sum to 1e-9 USD");
	sum = 0;
	for (int i = 0; i < 3; i++)
		sum += 400000000; /* 0.0000004 USD each: zero when printed alone */
	usd(sum, "0.000001", "three costs of 0.4 micro-dollars");
	sum = 0;
	for (int i = 0; i < 1000000; i++)
		sum += money_cost(123, 3300000000ull);
	usd(sum, "405.900000", "a million records of 123 tokens at $3.30/Mtok");
	sum = 0;
	for (int i = 0; i < 4; i++)
		sum += money_cost(MAX_TOKENS, UINT64_MAX);
	usd(sum, "664613997892457862628.898438", "four of the largest record costs");
}

static void test_format_price(void)
{
	price_text(0, "0");
	price_text(1, "0.000000001");
	price_text(3 * NANO, "3");
	price_text(75000000, "0.075");
	price_text(82500000, "0.0825");
	price_text(3500000000ull, "3.5");
	price_text(12000000001ull, "12.000000001");
	price_text(10 * NANO, "10");
	price_text(100000000, "0.1");
	price_text(UINT64_MAX, "18446744073.709551615");
}

int main(void)
{
	test_parse();
	test_cost();
	test_format_usd();
	test_format_price();
	return tap_done();
}
