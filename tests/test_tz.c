/*
 * test_tz.c - --tz's zones: offsets around the changes (from the
 * transitions and from the POSIX rule after them), wall-clock times that
 * repeat or are skipped, local hours and days, and names that are refused.
 * The expected offsets are Python's zoneinfo's for the same instants.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/support/timestamp.h"
#include "ledger/support/tz.h"
#include "tap.h"

static int64_t at(const char *iso)
{
	struct ts t;
	if (ts_parse_bound(iso, &t) != 0)
		abort();
	return t.sec;
}

static struct tz *load(const char *name)
{
	struct diag d = DIAG_INIT;
	struct tz *z = tz_load(name, &d);
	if (!z)
		printf("# %s: %s\n", name, diag_msg(&d));
	diag_clear(&d);
	return z;
}

static void test_offsets(void)
{
	static const struct {
		const char *zone, *at;
		int32_t off;
	} v[] = {
		{ "Europe/Berlin", "2026-10-25T00:59:59Z", 7200 },
		{ "Europe/Berlin", "2026-10-25T01:00:00Z", 3600 },
		{ "Europe/Berlin", "2026-03-29T00:59:59Z", 3600 },
		{ "Europe/Berlin", "2026-03-29T01:00:00Z", 7200 },
		{ "Europe/Berlin", "2100-07-01T00:00:00Z", 7200 }, /* the footer's rule */
		{ "Europe/Berlin", "2100-01-01T00:00:00Z", 3600 },
		{ "Europe/Berlin", "1800-01-01T00:00:00Z",
		  3208 }, /* before the first change: LMT */
		{ "America/New_York", "2026-03-08T06:59:59Z", -18000 },
		{ "America/New_York", "2026-03-08T07:00:00Z", -14400 },
		{ "America/New_York", "2300-06-01T00:00:00Z", -14400 },
		{ "Australia/Sydney", "2026-04-04T15:59:59Z", 39600 },
		{ "Australia/Sydney", "2026-04-04T16:00:00Z", 36000 },
		{ "Australia/Sydney", "2200-01-15T00:00:00Z",
		  39600 }, /* southern summer, by rule */
		{ "Australia/Sydney", "2200-07-15T00:00:00Z", 36000 },
		{ "America/Sao_Paulo", "2026-01-15T00:00:00Z", -10800 },
		{ "Australia/Lord_Howe", "2026-01-15T00:00:00Z", 39600 },
		{ "Asia/Kathmandu", "2026-01-15T00:00:00Z", 20700 },
		{ "Asia/Kolkata", "2026-10-01T18:40:00Z", 19800 },
		{ "UTC", "2026-10-01T18:40:00Z", 0 },
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		struct tz *z = load(v[i].zone);
		if (!ok(z != NULL, "%s loads", v[i].zone))
			continue;
		is_int(tz_offset(z, at(v[i].at)), v[i].off, "%s at %s", v[i].zone, v[i].at);
		tz_free(z);
	}
}

static void test_local(void)
{
	struct tz *z = load("Europe/Berlin");
	/* 2026-10-25 02:30 happens twice: the first is 00:30Z */
	is_int(tz_utc_of_local(z, at("2026-10-25T02:30:00Z")), at("2026-10-25T00:30:00Z"),
	       "a repeated wall-clock time is its first instant");
	/* 2026-03-29 02:30 never happens: read at +01:00, the offset before */
	is_int(tz_utc_of_local(z, at("2026-03-29T02:30:00Z")), at("2026-03-29T01:30:00Z"),
	       "a skipped wall-clock time is read with the offset before the change");
	is_int(tz_utc_of_local(z, at("2026-10-25T00:00:00Z")), at("2026-10-24T22:00:00Z"),
	       "local midnight of the change day");
	is_int(tz_utc_of_local(z, at("2026-10-26T00:00:00Z")), at("2026-10-25T23:00:00Z"),
	       "and of the day after: the day has 25 hours");
	char h[23], d[11];
	tz_format_hour(z, at("2026-10-25T00:30:00Z"), h);
	is_str(h, "2026-10-25T02:00+02:00", "the first 02:00 hour");
	tz_format_hour(z, at("2026-10-25T01:30:00Z"), h);
	is_str(h, "2026-10-25T02:00+01:00", "the second 02:00 hour");
	tz_format_day(z, at("2026-10-24T22:30:00Z"), d);
	is_str(d, "2026-10-25", "22:30Z on the 24th is the 25th in Berlin");
	is_int(tz_hour_start(z, at("2026-10-25T01:59:59Z")), at("2026-10-25T01:00:00Z"),
	       "hour start after the change");
	tz_free(z);

	z = load("Asia/Kolkata");
	is_int(tz_hour_start(z, at("2026-10-01T18:40:00Z")), at("2026-10-01T18:30:00Z"),
	       "a +05:30 hour starts at half past the UTC hour");
	is_int(tz_hour_start(z, at("2026-10-01T18:10:00Z")), at("2026-10-01T17:30:00Z"),
	       "... so one UTC hour holds two local hours");
	tz_format_hour(z, at("2026-10-01T18:40:00Z"), h);
	is_str(h, "2026-10-02T00:00+05:30", "Kolkata's hour with its offset");
	tz_format_hour(z, at("2026-10-01T18:10:00Z"), h);
	is_str(h, "2026-10-01T23:00+05:30", "the hour before, the day before");
	tz_free(z);

	z = load("America/New_York");
	tz_format_hour(z, at("2026-10-01T18:40:00Z"), h);
	is_str(h, "2026-10-01T14:00-04:00", "a negative offset");
	tz_free(z);
}

static void test_refused(void)
{
	static const char *const bad[] = { "",
					   "../etc/passwd",
					   "/etc/localtime",
					   "Europe/../x",
					   "Europe/Berln",
					   "Europe Berlin",
					   "Europe" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct diag d = DIAG_INIT;
		struct tz *z = tz_load(bad[i], &d);
		ok(!z && diag_has(&d), "'%s' is refused: %s", bad[i], diag_msg(&d));
		tz_free(z);
		diag_clear(&d);
	}
}

/* A TZif file of one type and a footer, and no transition: the rule does it all. */
static void write_tzif(const char *dir, const char *name, const char *footer)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	unsigned char h[44] = "TZif2";
	h[20 + 4 * 4 + 3] = 1; /* typecnt */
	h[20 + 5 * 4 + 3] = 4; /* charcnt */
	unsigned char data[10] = { 0, 0, 0, 0, 0, 0, 'U', 'T', 'C', 0 };
	for (int v = 0; v < 2; v++) {
		fwrite(h, 1, sizeof h, f);
		fwrite(data, 1, sizeof data, f);
	}
	fprintf(f, "\n%s\n", footer);
	fclose(f);
}

static void test_rules(void)
{
	char dir[] = "/tmp/test_tz.XXXXXX";
	if (!mkdtemp(dir))
		abort();
	setenv("TZDIR", dir, 1);
	write_tzif(dir, "US", "EST5EDT,M3.2.0,M11.1.0");
	write_tzif(dir, "Nepal", "<+0545>-5:45");
	write_tzif(dir, "South", "AEST-10AEDT,M10.1.0,M4.1.0/3");
	write_tzif(dir, "Julian", "AAA3BBB,J60/0,J300/0");
	write_tzif(dir, "Broken", "EST5EDT,M13.2.0,M11.1.0");
	struct tz *z = load("US");
	is_int(tz_offset(z, at("2027-03-14T06:59:59Z")), -18000,
	       "US rule: before the second Sunday of March");
	is_int(tz_offset(z, at("2027-03-14T07:00:00Z")), -14400, "US rule: from 2:00 local");
	is_int(tz_offset(z, at("2027-11-07T05:59:59Z")), -14400,
	       "US rule: until the first Sunday of November");
	is_int(tz_offset(z, at("2027-11-07T06:00:00Z")), -18000, "US rule: 2:00 DST local");
	tz_free(z);
	z = load("Nepal");
	is_int(tz_offset(z, at("2027-01-01T00:00:00Z")), 20700, "<+0545>-5:45");
	tz_free(z);
	z = load("South");
	is_int(tz_offset(z, at("2027-01-01T00:00:00Z")), 39600,
	       "southern rule: summer over new year");
	is_int(tz_offset(z, at("2027-04-03T15:59:59Z")), 39600, "southern rule: before 3:00 DST");
	is_int(tz_offset(z, at("2027-04-03T16:00:00Z")), 36000, "southern rule: after");
	tz_free(z);
	z = load("Julian");
	/* J60 is March 1 in every year: 2028 is a leap year */
	is_int(tz_offset(z, at("2028-03-01T02:59:59Z")), -10800, "Jn: not before March 1");
	is_int(tz_offset(z, at("2028-03-01T03:00:00Z")), -7200, "Jn: March 1 in a leap year");
	tz_free(z);
	struct diag d = DIAG_INIT;
	ok(!tz_load("Broken", &d) && strstr(diag_msg(&d), "not a time zone file"),
	   "a footer with a month 13 is refused: %s", diag_msg(&d));
	diag_clear(&d);
	char path[512];
	const char *names[] = { "US", "Nepal", "South", "Julian", "Broken" };
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	unsetenv("TZDIR");
}

static void test_bound_zone(void)
{
	ok(!ts_bound_has_zone("2026-10-25"), "a date has no zone");
	ok(!ts_bound_has_zone("2026-10-25T02:30"), "a time without offset has none");
	ok(!ts_bound_has_zone("2026-10-25T02:30:00.5"), "nor with a fraction");
	ok(ts_bound_has_zone("2026-10-25T02:30Z"), "Z");
	ok(ts_bound_has_zone("2026-10-25T02:30:00+02:00"), "+02:00");
	ok(ts_bound_has_zone("2026-10-25T02:30-05:00"), "-05:00");
}

int main(void)
{
	test_offsets();
	test_local();
	test_refused();
	test_rules();
	test_bound_zone();
	return tap_done();
}
