/*
 * test_views.c - the views' sums: signed money printed as the CSVs print it,
 * merges, and coverage's counting of objects and hours.
 */
#include "ledger/views/views.h"

#include <stdlib.h>

#include "tap.h"

#define USD ((sums_usd_t)1000000000000000) /* 1 USD in 1e-15 */

static void usd(sums_usd_t v, const char *want)
{
	char out[48];
	size_t n = sums_format_usd(v, out);
	is_str(out, want, "usd %s", want);
	is_int(n, strlen(want), "length of %s", want);
}

static struct record at(const char *ts, const char *acct, const char *region)
{
	struct record r = { 0 };
	ts_parse(ts, strlen(ts), &r.timestamp);
	r.account_id = str_from(acct);
	r.region = str_from(region);
	r.model_id = STR_LIT("m.x");
	return r;
}

int main(void)
{
	usd(0, "0.000000");
	usd(USD, "1.000000");
	usd(-USD / 8, "-0.125000");
	usd(-USD / 10000000 * 4, "0.000000"); /* -0.0000004: no "-0" */
	usd(-USD / 2000000, "-0.000001");     /* -0.0000005 rounds away from zero */
	usd(USD * 1234 + USD / 2, "1234.500000");

	struct sums *a = sums_create(1), *b = sums_create(1);
	struct str k = STR_LIT("m");
	sums_get(a, &k)->usd[0] = -3 * USD;
	sums_get(b, &k)->usd[0] = 5 * USD;
	sums_get(b, &k)->hours = 1;
	sums_get(a, &k)->hours = 4;
	sums_merge(a, b);
	ok(sums_find(a, &k)->usd[0] == 2 * USD, "signed sums merge");
	ok(sums_find(a, &k)->hours == 5, "hour masks merge");
	ok(sums_find(a, &STR_LIT("x")) == NULL, "sums_find does not create");
	sums_destroy(a);
	sums_destroy(b);

	/* the last row found is tried first: by the key's bytes, not where they lie */
	struct sums *m = sums_create(2);
	char buf[2][8] = { "day-1", "a" };
	struct str mk[2] = { { buf[0], 5 }, { buf[1], 1 } };
	struct sums_row *first = sums_get(m, mk);
	ok(sums_get(m, mk) == first, "the same key again: the same row");
	buf[0][4] = '2'; /* the same buffer, another key */
	struct sums_row *second = sums_get(m, mk);
	ok(second != first, "a buffer rewritten in place is another key");
	buf[0][4] = '1';
	struct str copy[2] = { STR_LIT("day-1"), STR_LIT("a") };
	ok(sums_get(m, copy) == first, "equal bytes elsewhere: the first row");
	ok(sums_get(m, mk) == first && sums_find(m, copy) == first, "found again after a miss");
	buf[0][4] = '2';
	ok(sums_get(m, mk) == second, "and the second");
	sums_destroy(m);

	/* coverage: objects counted once per row; hours with records; rejects */
	struct group_by g;
	struct diag d = DIAG_INIT;
	group_by_parse(&g, "app", &d);
	struct views_config cfg = { &g, NULL, NULL, NULL };
	struct views v;
	views_init(&v, &cfg);
	struct record r1 = at("2026-10-01T10:00:00Z", "1", "us-east-1");
	struct record r2 = at("2026-10-01T10:30:00Z", "1", "us-east-1");
	struct record r3 = at("2026-10-01T23:59:59Z", "1", "us-east-1");
	views_object(&v);
	views_saw(&v, &r1, false);
	views_saw(&v, &r2, true);
	views_object(&v);
	views_saw(&v, &r3, false);
	struct str key[3] = { STR_LIT("1"), STR_LIT("us-east-1"), STR_LIT("2026-10-01") };
	const struct sums_row *row = sums_find(v.coverage, key);
	ok(row && row->count[COVERAGE_OBJECTS] == 2, "two objects");
	ok(row && row->count[COVERAGE_RECORDS] == 3, "three records");
	ok(row && row->count[COVERAGE_REJECTED] == 1, "one rejected");
	ok(row && views_hours(row) == 2, "two hours with records");
	views_finish(&v);

	/* --tz: Berlin's 2026-10-25 has 25 hours, both 02:00 hours count, and 22:30Z on
	 * the 24th is the 25th */
	cfg.tz = tz_load("Europe/Berlin", &d);
	ok(cfg.tz != NULL, "Europe/Berlin loads");
	views_init(&v, &cfg);
	views_object(&v);
	static const char *const berlin[] = { "2026-10-24T22:30:00Z", "2026-10-25T00:30:00Z",
					      "2026-10-25T01:30:00Z", "2026-10-25T22:59:59Z",
					      "2026-10-25T23:00:00Z" };
	for (size_t i = 0; i < 5; i++) {
		struct record r = at(berlin[i], "1", "eu-central-1");
		views_saw(&v, &r, false);
	}
	struct str day25[3] = { STR_LIT("1"), STR_LIT("eu-central-1"), STR_LIT("2026-10-25") };
	struct str day26[3] = { STR_LIT("1"), STR_LIT("eu-central-1"), STR_LIT("2026-10-26") };
	row = sums_find(v.coverage, day25);
	ok(row && row->count[COVERAGE_RECORDS] == 4, "four records on Berlin's 25th");
	ok(row && views_hours(row) == 4, "in four of its hours (02:00 CEST and 02:00 CET)");
	ok(row && (row->hours >> 24 & 1), "its 25th hour is hour 24");
	row = sums_find(v.coverage, day26);
	ok(row && row->count[COVERAGE_RECORDS] == 1 && row->hours == 1,
	   "23:00Z is the 26th's first hour");
	views_finish(&v);
	tz_free((struct tz *)cfg.tz);
	diag_clear(&d);
	group_by_finish(&g);
	return tap_done();
}
