/*
 * fuzz_prices.c - libFuzzer harness for price tables (prices.h) and exact
 * money (money.h).
 *
 * The input is one price table CSV: loaded, looked up for a few models and
 * regions, costed; loaded again into the same table (every row is then a
 * duplicate of an earlier load). The raw input is also parsed as a price, and
 * as a record timestamp and a --since bound (timestamp.h): the other scalar
 * parsers of untrusted text.
 *
 * Checked, abort() on failure: a failed load sets an error naming the input
 * (no control byte, not endless: fuzz_message_ok) and leaves the table as it
 * was; the second load fails if the first added
 * rows; price_cost agrees with money_cost; money_parse_price and
 * money_price_problem agree, and a parsed price prints and parses back to
 * itself; a parsed timestamp is normalised and prints as a timestamp that
 * parses back to the same second.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/money.h"
#include "ledger/price/prices.h"
#include "ledger/support/timestamp.h"
#include "fuzz_common.h"

static const char *const models[] = {
	"anthropic.claude-3-haiku-20240307-v1:0",
	"us.anthropic.claude-3-haiku-20240307-v1:0",
	"global.anthropic.claude-sonnet-4-20250514-v1:0",
	"eu.a.b",
	"us-gov.x.y",
	"a",
	"us.",
	"",
};

static const char *const regions[] = { "us-east-1", "eu-central-1", "*", "" };

static const uint64_t token_sets[][TOKEN_KINDS] = {
	{ 0, 0, 0, 0 },
	{ 1, 0, 0, 0 },
	{ 1000, 250, 0, 0 },
	{ 0, 0, 7, 3 },
	{ (UINT64_C(1) << 53) - 1, (UINT64_C(1) << 53) - 1, (UINT64_C(1) << 53) - 1,
	  (UINT64_C(1) << 53) - 1 },
};

static void check_cost(const struct price *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < sizeof token_sets / sizeof *token_sets; i++) {
		money_t cost = 0, want = 0;
		const char *missing = NULL;
		int rc = price_cost(p, token_sets[i], &cost, &missing);
		bool priced = p != NULL;
		for (int k = 0; k < TOKEN_KINDS && priced; k++) {
			if (token_sets[i][k] == 0)
				continue;
			if (!p->has[k])
				priced = false;
			else
				want += money_cost(token_sets[i][k], p->nanos[k]);
		}
		CHECK(rc == (priced ? 0 : -1));
		CHECK(rc == 0 || (missing && strstr(missing, "_per_mtok")));
		if (rc == 0) {
			CHECK(cost == want);
			char usd[48];
			size_t n = money_format_usd(cost, usd);
			CHECK(n == strlen(usd) && n < 48);
		}
	}
}

static void check_price_text(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	uint64_t nanos = 0;
	int rc = money_parse_price(s, size, &nanos);
	const char *problem = money_price_problem(s, size);
	CHECK((rc == 0) == (problem == NULL));
	if (rc != 0)
		return;
	char text[32];
	size_t n = money_format_price(nanos, text);
	CHECK(n == strlen(text) && n < 32);
	uint64_t again = 0;
	CHECK(money_parse_price(text, n, &again) == 0 && again == nanos);
}

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define TS_MIN_SEC (-62167219200LL)
#define TS_MAX_SEC (253402300799LL)

static void check_ts(struct ts t)
{
	CHECK(t.nsec >= 0 && t.nsec <= 999999999);
	char text[21], day[11];
	ts_format(t, text);
	ts_format_day(t, day);
	CHECK(strlen(text) == 20 && strlen(day) == 10);
	CHECK(memcmp(text, day, 10) == 0);
	struct ts back;
	CHECK(ts_parse(text, 20, &back) == 0);
	if (t.sec >= TS_MIN_SEC && t.sec <= TS_MAX_SEC)
		CHECK(back.sec == t.sec && back.nsec == 0);
	CHECK(ts_parse_bound(text, &back) == 0);
}

static void check_timestamp_text(const uint8_t *data, size_t size)
{
	struct ts t;
	if (ts_parse((const char *)data, size, &t) == 0)
		check_ts(t);
	char *s = malloc(size + 1);
	CHECK(s);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	if (ts_parse_bound(s, &t) == 0)
		check_ts(t);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct price_table *t = prices_create();

	int rc = prices_load_buffer(t, "fuzz", buf, size);
	CHECK(rc == 0 || rc == -1);
	if (rc != 0) {
		CHECK(strncmp(prices_error(t), "fuzz:", 5) == 0);
		CHECK(fuzz_message_ok(prices_error(t)));
		CHECK(prices_count(t) == 0);
	}
	size_t rows = prices_count(t);

	static const char *const tiers[] = { "", "standard", "flex", "priority",
					     "latency-optimized" };
	static const uint64_t contexts[] = { 0, 1, 200000, 200001 };
	static const struct ts times[] = { { 0, 0 }, { 1767225600, 0 }, { TS_MAX_SEC, 0 } };
	for (size_t i = 0; i < sizeof models / sizeof *models; i++) {
		for (size_t j = 0; j < sizeof regions / sizeof *regions; j++) {
			for (size_t k = 0; k < sizeof tiers / sizeof *tiers; k++) {
				struct price_steps st;
				prices_steps_init(&st, t, str_from(models[i]), str_from(regions[j]),
						  str_from(tiers[k]));
				for (size_t c = 0; c < 4; c++) {
					for (size_t m = 0; m < 3; m++) {
						enum price_miss miss;
						const struct price_row *r =
						    prices_pick(&st, contexts[c], times[m], &miss);
						CHECK((r != NULL) == (miss == PRICE_FOUND));
						CHECK(r == NULL || rows > 0);
						CHECK(r == NULL || r->context_over == 0 ||
						      r->context_over < contexts[c]);
						char detail[256];
						size_t n = prices_detail(detail, sizeof detail,
									 miss, str_from(tiers[k]),
									 r, "input_per_mtok");
						CHECK(n == strlen(detail) && n > 0);
						check_cost(r ? &r->price : NULL);
					}
				}
				prices_steps_finish(&st);
			}
		}
	}
	/* a model and region taken from the input itself */
	if (size > 2) {
		size_t cut = data[0] % size;
		enum price_miss miss;
		const struct price_row *r =
		    prices_lookup(t, (struct str){ buf + 1, cut ? cut - 1 : 0 },
				  (struct str){ buf + cut, size - cut }, STR_LIT(""), 0,
				  (struct ts){ 0, 0 }, &miss);
		check_cost(r ? &r->price : NULL);
	}

	int rc2 = prices_load_buffer(t, "fuzz-again", buf, size);
	CHECK(rows > 0 || rc2 == rc);
	if (rows > 0) {
		CHECK(rc2 == -1);
		CHECK(strncmp(prices_error(t), "fuzz-again:", 11) == 0);
		CHECK(fuzz_message_ok(prices_error(t)));
	}
	if (rc2 != 0)
		CHECK(prices_count(t) == rows);
	else
		CHECK(prices_count(t) == 2 * rows);

	check_price_text(data, size);
	check_timestamp_text(data, size);
	prices_destroy(t);
	return 0;
}
