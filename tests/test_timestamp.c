/*
 * test_timestamp.c - strict parsing, UTC conversion and printing.
 * Expected instants were computed with `date -u -d ... +%s`, not with this code.
 */
#include "ledger/timestamp.h"

#include <string.h>

#include "tap.h"

static void parses(const char *s, int64_t sec, int32_t nsec)
{
	struct ts t = { -7, -7 };
	int rc = ts_parse(s, strlen(s), &t);
	is_int(rc, 0, "parses %s", s);
	is_int(t.sec, sec, "  sec of %s", s);
	is_int(t.nsec, nsec, "  nsec of %s", s);
}

static void rejects(const char *s)
{
	struct ts t = { 0, 0 };
	is_int(ts_parse(s, strlen(s), &t), -1, "rejects '%s'", s);
}

static void bound(const char *s, int64_t sec, int32_t nsec)
{
	struct ts t = { -7, -7 };
	int rc = ts_parse_bound(s, &t);
	is_int(rc, 0, "bound %s", s);
	is_int(t.sec, sec, "  sec of bound %s", s);
	is_int(t.nsec, nsec, "  nsec of bound %s", s);
}

static void bad_bound(const char *s)
{
	struct ts t = { 0, 0 };
	is_int(ts_parse_bound(s, &t), -1, "rejects bound '%s'", s);
}

static void formats(int64_t sec, int32_t nsec, const char *want, const char *want_day)
{
	char out[21], day[11];
	memset(out, 'x', sizeof out);
	memset(day, 'x', sizeof day);
	ts_format((struct ts){ sec, nsec }, out);
	ts_format_day((struct ts){ sec, nsec }, day);
	ok(memchr(out, '\0', sizeof out) == out + 20, "format of %lld is 20 bytes and a NUL",
	   (long long)sec);
	is_str(out, want, "format of %lld", (long long)sec);
	is_str(day, want_day, "day of %lld", (long long)sec);
}

/* Instants that parse, and strings that do not: ts_parse, then ts_parse_bound. */
struct instant_case {
	const char *s;
	int64_t sec;
	int32_t nsec;
};

static const struct instant_case parse_good[] = {
	/* the form Bedrock writes, and the epoch */
	{ "2025-05-01T12:34:56Z", 1746102896, 0 },
	{ "1970-01-01T00:00:00Z", 0, 0 },
	{ "1969-12-31T23:59:59Z", -1, 0 },
	/* leap years */
	{ "2024-02-29T23:59:59Z", 1709251199, 0 },
	{ "2000-02-29T00:00:00Z", 951782400, 0 },
	{ "1600-02-29T12:00:00Z", -11670955200, 0 },
	{ "1900-03-01T00:00:00Z", -2203891200, 0 },
	/* the ends of the 4-digit range */
	{ "0000-01-01T00:00:00Z", -62167219200, 0 },
	{ "0001-01-01T00:00:00Z", -62135596800, 0 },
	{ "9999-12-31T23:59:59Z", 253402300799, 0 },
	{ "0000-02-29T00:00:00Z", -62167219200 + 59 * 86400, 0 },
	/* fractions: any number of digits, truncated to nanoseconds */
	{ "2025-05-01T12:34:56.000Z", 1746102896, 0 },
	{ "2025-05-01T12:34:56.5Z", 1746102896, 500000000 },
	{ "2025-05-01T12:34:56.123Z", 1746102896, 123000000 },
	{ "2025-05-01T12:34:56.123456789Z", 1746102896, 123456789 },
	{ "2025-05-01T12:34:56.1234567899999Z", 1746102896, 123456789 },
	{ "2025-05-01T12:34:56.000000000000000000000000001Z", 1746102896, 0 },
	{ "1969-12-31T23:59:59.75Z", -1, 750000000 },
	/* offsets are converted to UTC, across day, month and year boundaries */
	{ "2025-01-01T01:30:00+02:00", 1735687800, 0 },
	{ "2024-12-31T23:30:00-01:15", 1735692300, 0 },
	{ "2025-05-01T12:34:56+00:00", 1746102896, 0 },
	{ "2025-05-01T12:34:56-00:00", 1746102896, 0 },
	{ "2024-03-01T00:10:00+01:00", 1709251200 + 600 - 3600, 0 },
	{ "2024-02-28T23:00:00-01:00", 1709164800, 0 },
	{ "2025-05-01T12:34:56.25+23:59", 1746102896 - 86340, 250000000 },
	{ "0000-01-01T00:00:00+01:00", -62167219200 - 3600, 0 },
	{ "9999-12-31T23:59:59-23:59", 253402300799 + 86340, 0 },
};

static const char *const parse_bad[] = {
	/* leap years */
	"2023-02-29T00:00:00Z",
	"1900-02-29T00:00:00Z",
	"2100-02-29T00:00:00Z",
	/* not the SPEC form */
	"",
	"2025-05-01",
	"2025-05-01T12:34:56",     /* no zone */
	"2025-05-01T12:34Z",       /* no seconds */
	"2025-05-01t12:34:56Z",    /* lowercase t */
	"2025-05-01T12:34:56z",    /* lowercase z */
	"2025-05-01 12:34:56Z",    /* space */
	"2025-5-01T12:34:56Z",
	"25-05-01T12:34:56Z",
	"+2025-05-01T12:34:56Z",
	"12025-05-01T12:34:56Z",
	"2025-00-01T12:34:56Z",
	"2025-13-01T12:34:56Z",
	"2025-04-31T12:34:56Z",
	"2025-05-00T12:34:56Z",
	"2025-05-32T12:34:56Z",
	"2025-05-01T24:00:00Z",
	"2025-05-01T12:60:00Z",
	"2025-05-01T12:34:60Z",    /* no leap seconds */
	"2025-05-01T12:34:56.Z",   /* a dot needs digits */
	"2025-05-01T12:34:56,5Z",
	"2025-05-01T12:34:56.5",
	"2025-05-01T12:34:56ZZ",
	"2025-05-01T12:34:56Z ",
	" 2025-05-01T12:34:56Z",
	"2025-05-01T12:34:56+0200",
	"2025-05-01T12:34:56+02",
	"2025-05-01T12:34:56+24:00",
	"2025-05-01T12:34:56+02:60",
	"2025-05-01T12:34:56+02:00Z",
	"2025-05-01T12:34:56.1+02:0",
	"2025-05-01T1a:34:56Z",
	"2025-05-01T12:34:5\xd9Z",
	"2025\xef\xbc\x8d" "05-01T12:34:56Z",
	"1746102896",
};

/* A bound, the instant it stands for (as printed, and exactly). */
static const struct bound_case {
	const char *s, *utc;
	int64_t sec;
	int32_t nsec;
} bound_good[] = {
	/* --since/--until bounds */
	{ "2025-05-01", "2025-05-01T00:00:00Z", 1746057600, 0 },
	{ "1970-01-01", "1970-01-01T00:00:00Z", 0, 0 },
	{ "2024-02-29", "2024-02-29T00:00:00Z", 1709164800, 0 },
	{ "2025-05-01T12:34", "2025-05-01T12:34:00Z", 1746102840, 0 },
	{ "2025-05-01T12:34Z", "2025-05-01T12:34:00Z", 1746102840, 0 },
	{ "2025-05-01T12:34:56", "2025-05-01T12:34:56Z", 1746102896, 0 },
	{ "2025-05-01T12:34:56Z", "2025-05-01T12:34:56Z", 1746102896, 0 },
	{ "2025-05-01T12:34:56.5", "2025-05-01T12:34:56Z", 1746102896, 500000000 },
	{ "2025-05-01T12:34:56.5Z", "2025-05-01T12:34:56Z", 1746102896, 500000000 },
	{ "2025-05-01T00:30+01:00", "2025-04-30T23:30:00Z", 1746057600 - 1800, 0 },
	{ "2025-05-01T23:30:00-01:00", "2025-05-02T00:30:00Z", 1746057600 + 86400 + 1800, 0 },
};

static const char *const bound_bad[] = {
	/* not the forms of a bound */
	"",
	"2025-05",
	"2025-05-01Z",
	"2025-05-01T",
	"2025-05-01T12",
	"2025-05-01T12:3",
	"2025-05-01T12:34:",
	"2025-05-01T12:34:5",
	"2025-05-01T12:34:56.",
	"2025-05-01T12:34.5",
	"2025-02-30",
	"2025-05-01 12:34",
	"2025-05-01T12:34+01",
	"2025-05-01T12:34:56+01:00x",
	"2025-05-01x",
};

/* Printing: an instant, its timestamp and its day. */
static const struct format_case {
	int64_t sec;
	int32_t nsec;
	const char *want, *want_day;
} format_cases[] = {
	/* printing, negative instants included (floor, not truncation) */
	{ 0, 0, "1970-01-01T00:00:00Z", "1970-01-01" },
	{ 1746102896, 999999999, "2025-05-01T12:34:56Z", "2025-05-01" },
	{ -1, 500000000, "1969-12-31T23:59:59Z", "1969-12-31" },
	{ -86400, 0, "1969-12-31T00:00:00Z", "1969-12-31" },
	{ -86401, 0, "1969-12-30T23:59:59Z", "1969-12-30" },
	{ 1709251199, 0, "2024-02-29T23:59:59Z", "2024-02-29" },
	{ 1709251200, 0, "2024-03-01T00:00:00Z", "2024-03-01" },
	{ -11670955200, 0, "1600-02-29T12:00:00Z", "1600-02-29" },
	{ -62167219200, 0, "0000-01-01T00:00:00Z", "0000-01-01" },
	{ -62135596801, 0, "0000-12-31T23:59:59Z", "0000-12-31" },
	{ 253402300799, 0, "9999-12-31T23:59:59Z", "9999-12-31" },
	/* beyond 4-digit years: clamped, never wider */
	{ -62167219201, 0, "0000-01-01T00:00:00Z", "0000-01-01" },
	{ 253402300800, 0, "9999-12-31T23:59:59Z", "9999-12-31" },
	{ INT64_MIN, 0, "0000-01-01T00:00:00Z", "0000-01-01" },
	{ INT64_MAX, 0, "9999-12-31T23:59:59Z", "9999-12-31" },
};

#define N_OF(a) (sizeof(a) / sizeof *(a))

int main(void)
{
	for (size_t i = 0; i < N_OF(parse_good); i++)
		parses(parse_good[i].s, parse_good[i].sec, parse_good[i].nsec);
	for (size_t i = 0; i < N_OF(parse_bad); i++)
		rejects(parse_bad[i]);

	/* s need not be NUL-terminated: only n bytes count */
	{
		const char buf[] = "2025-05-01T12:34:56Z9999";
		struct ts t = { 0, 0 };
		is_int(ts_parse(buf, 20, &t), 0, "parses the first 20 bytes of a longer buffer");
		is_int(t.sec, 1746102896, "  and reads no further");
		is_int(ts_parse(buf, 21, &t), -1, "rejects 21 bytes of it");
		is_int(ts_parse(buf, 19, &t), -1, "rejects 19 bytes of it");
	}

	for (size_t i = 0; i < N_OF(bound_good); i++) {
		const struct bound_case *c = &bound_good[i];
		char utc[21];
		bound(c->s, c->sec, c->nsec);
		ts_format((struct ts){ c->sec, c->nsec }, utc);
		is_str(utc, c->utc, "  bound %s, as printed", c->s);
	}
	for (size_t i = 0; i < N_OF(bound_bad); i++)
		bad_bound(bound_bad[i]);

	/* comparison */
	{
		struct ts a = { 10, 5 }, b = { 10, 6 }, c = { 11, 0 }, d = { -1, 999999999 };
		is_int(ts_cmp(a, b), -1, "cmp by nsec");
		is_int(ts_cmp(b, a), 1, "cmp by nsec, reversed");
		is_int(ts_cmp(b, c), -1, "cmp by sec first");
		is_int(ts_cmp(a, a), 0, "cmp equal");
		is_int(ts_cmp(d, (struct ts){ 0, 0 }), -1, "cmp before the epoch");
	}

	for (size_t i = 0; i < N_OF(format_cases); i++) {
		const struct format_case *c = &format_cases[i];
		formats(c->sec, c->nsec, c->want, c->want_day);
	}

	/* round trip over every day of some years, leap and not */
	{
		int bad = 0;
		int64_t end = ts_days_from_civil(2001, 1, 1);
		for (int64_t d = ts_days_from_civil(1999, 1, 1); d < end; d++) {
			char out[21];
			struct ts t = { d * 86400 + 3661, 0 }, back;
			ts_format(t, out);
			if (ts_parse(out, 20, &back) != 0 || back.sec != t.sec)
				bad++;
		}
		is_int(bad, 0, "format -> parse round trip over 1999-2000");
	}

	/* days_from_civil */
	is_int(ts_days_from_civil(1970, 1, 1), 0, "days 1970-01-01");
	is_int(ts_days_from_civil(1969, 12, 31), -1, "days 1969-12-31");
	is_int(ts_days_from_civil(2000, 3, 1), 11017, "days 2000-03-01");
	is_int(ts_days_from_civil(2024, 2, 29), 19782, "days 2024-02-29");
	is_int(ts_days_from_civil(1, 1, 1), -719162, "days 0001-01-01");
	is_int(ts_days_from_civil(0, 1, 1), -719528, "days 0000-01-01");
	is_int(ts_days_from_civil(0, 3, 1), -719468, "days 0000-03-01");
	is_int(ts_days_from_civil(9999, 12, 31), 2932896, "days 9999-12-31");
	is_int(ts_days_from_civil(-1, 12, 31), -719529, "days -0001-12-31");

	return tap_done();
}
