/*
 * test_timestamp.c - strict parsing, UTC conversion and printing.
 * Expected instants were computed with `date -u -d ... +%s`, not with this code.
 */
#include "ledger/support/timestamp.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

/*
 * Checks each line of text: "TEXT|SEC|NSEC" must give that instant,
 * "TEXT|bad" must be rejected; by ts_parse (a record timestamp, which must then also be
 * a good bound) or, when bounds, by ts_parse_bound only.
 */
static void vectors(const char *text, bool bounds)
{
	for (const char *line = text; *line;) {
		const char *bar = strchr(line, '|'), *nl = strchr(bar, '\n');
		char s[128];
		snprintf(s, sizeof s, "%.*s", (int)(bar - line), line);
		long long sec = 0;
		int nsec = 0;
		bool good = strncmp(bar + 1, "bad\n", 4) != 0;
		if (good && sscanf(bar + 1, "%lld|%d", &sec, &nsec) != 2)
			ok(0, "a vector of the test is malformed: %s", s);
		struct ts t = { -7, -7 }, b = { -7, -7 };
		int rc = bounds ? ts_parse_bound(s, &t) : ts_parse(s, strlen(s), &t);
		const char *what = bounds ? "bound" : "timestamp";
		if (!good) {
			is_int(rc, -1, "rejects %s '%s'", what, s);
		} else {
			is_int(rc, 0, "parses %s %s", what, s);
			ok(t.sec == sec && t.nsec == nsec, "  to %lld.%09d (got %lld.%09d)", sec,
			   nsec, (long long)t.sec, (int)t.nsec);
			if (!bounds)
				ok(ts_parse_bound(s, &b) == 0 && ts_cmp(b, t) == 0,
				   "  and is that bound too");
		}
		line = nl + 1;
	}
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

int main(void)
{
	/*
	 * Record timestamps, one a line: "TEXT|SEC|NSEC" parses to that instant
	 * (and is the same instant as a --since bound), "TEXT|bad" is rejected.
	 */
	static const char timestamps[] =
	    /* the form Bedrock writes, and the epoch */
	    "2025-05-01T12:34:56Z|1746102896|0\n"
	    "1970-01-01T00:00:00Z|0|0\n"
	    "1969-12-31T23:59:59Z|-1|0\n"
	    /* leap years */
	    "2024-02-29T23:59:59Z|1709251199|0\n"
	    "2000-02-29T00:00:00Z|951782400|0\n"
	    "1600-02-29T12:00:00Z|-11670955200|0\n"
	    "2023-02-29T00:00:00Z|bad\n"
	    "1900-02-29T00:00:00Z|bad\n"
	    "2100-02-29T00:00:00Z|bad\n"
	    "1900-03-01T00:00:00Z|-2203891200|0\n"
	    /* the ends of the 4-digit range */
	    "0000-01-01T00:00:00Z|-62167219200|0\n"
	    "0001-01-01T00:00:00Z|-62135596800|0\n"
	    "9999-12-31T23:59:59Z|253402300799|0\n"
	    "0000-02-29T00:00:00Z|-62162121600|0\n" /* -62167219200 + 59 * 86400 */
	    /* fractions: any number of digits, truncated to nanoseconds */
	    "2025-05-01T12:34:56.000Z|1746102896|0\n"
	    "2025-05-01T12:34:56.5Z|1746102896|500000000\n"
	    "2025-05-01T12:34:56.123Z|1746102896|123000000\n"
	    "2025-05-01T12:34:56.123456789Z|1746102896|123456789\n"
	    "2025-05-01T12:34:56.1234567899999Z|1746102896|123456789\n"
	    "2025-05-01T12:34:56.000000000000000000000000001Z|1746102896|0\n"
	    "1969-12-31T23:59:59.75Z|-1|750000000\n"
	    /* offsets are converted to UTC, across day, month and year boundaries */
	    "2025-01-01T01:30:00+02:00|1735687800|0\n"
	    "2024-12-31T23:30:00-01:15|1735692300|0\n"
	    "2025-05-01T12:34:56+00:00|1746102896|0\n"
	    "2025-05-01T12:34:56-00:00|1746102896|0\n"
	    "2024-03-01T00:10:00+01:00|1709248200|0\n" /* 1709251200 + 600 - 3600 */
	    "2024-02-28T23:00:00-01:00|1709164800|0\n"
	    "2025-05-01T12:34:56.25+23:59|1746016556|250000000\n" /* 1746102896 - 86340 */
	    "0000-01-01T00:00:00+01:00|-62167222800|0\n"	  /* -62167219200 - 3600 */
	    "9999-12-31T23:59:59-23:59|253402387139|0\n"	  /* 253402300799 + 86340 */
	    /* not the form of bedrock-ledger-formats(5), RECORDS */
	    "|bad\n"
	    "2025-05-01|bad\n"
	    "2025-05-01T12:34:56|bad\n"	 /* no zone */
	    "2025-05-01T12:34Z|bad\n"	 /* no seconds */
	    "2025-05-01t12:34:56Z|bad\n" /* lowercase t */
	    "2025-05-01T12:34:56z|bad\n" /* lowercase z */
	    "2025-05-01 12:34:56Z|bad\n" /* space */
	    "2025-5-01T12:34:56Z|bad\n"
	    "25-05-01T12:34:56Z|bad\n"
	    "+2025-05-01T12:34:56Z|bad\n"
	    "12025-05-01T12:34:56Z|bad\n"
	    "2025-00-01T12:34:56Z|bad\n"
	    "2025-13-01T12:34:56Z|bad\n"
	    "2025-04-31T12:34:56Z|bad\n"
	    "2025-05-00T12:34:56Z|bad\n"
	    "2025-05-32T12:34:56Z|bad\n"
	    "2025-05-01T24:00:00Z|bad\n"
	    "2025-05-01T12:60:00Z|bad\n"
	    "2025-05-01T12:34:60Z|bad\n"  /* no leap seconds */
	    "2025-05-01T12:34:56.Z|bad\n" /* a dot needs digits */
	    "2025-05-01T12:34:56,5Z|bad\n"
	    "2025-05-01T12:34:56.5|bad\n"
	    "2025-05-01T12:34:56ZZ|bad\n"
	    "2025-05-01T12:34:56Z |bad\n"
	    " 2025-05-01T12:34:56Z|bad\n"
	    "2025-05-01T12:34:56+0200|bad\n"
	    "2025-05-01T12:34:56+02|bad\n"
	    "2025-05-01T12:34:56+24:00|bad\n"
	    "2025-05-01T12:34:56+02:60|bad\n"
	    "2025-05-01T12:34:56+02:00Z|bad\n"
	    "2025-05-01T12:34:56.1+02:0|bad\n"
	    "2025-05-01T1a:34:56Z|bad\n"
	    "2025-05-01T12:34:5\xd9Z"
	    "|bad\n"
	    "2025\xef\xbc\x8d"
	    "05-01T12:34:56Z"
	    "|bad\n"
	    "1746102896|bad\n";
	vectors(timestamps, false);

	/* s need not be NUL-terminated: only n bytes count */
	{
		const char buf[] = "2025-05-01T12:34:56Z9999";
		struct ts t = { 0, 0 };
		is_int(ts_parse(buf, 20, &t), 0, "parses the first 20 bytes of a longer buffer");
		is_int(t.sec, 1746102896, "  and reads no further");
		is_int(ts_parse(buf, 21, &t), -1, "rejects 21 bytes of it");
		is_int(ts_parse(buf, 19, &t), -1, "rejects 19 bytes of it");
	}

	/* --since/--until bounds, the same way */
	static const char bounds[] =
	    "2025-05-01|1746057600|0\n"
	    "1970-01-01|0|0\n"
	    "2024-02-29|1709164800|0\n"
	    "2025-05-01T12:34|1746102840|0\n"
	    "2025-05-01T12:34Z|1746102840|0\n"
	    "2025-05-01T12:34:56|1746102896|0\n"
	    "2025-05-01T12:34:56Z|1746102896|0\n"
	    "2025-05-01T12:34:56.5|1746102896|500000000\n"
	    "2025-05-01T12:34:56.5Z|1746102896|500000000\n"
	    "2025-05-01T00:30+01:00|1746055800|0\n"    /* 1746057600 - 1800 */
	    "2025-05-01T23:30:00-01:00|1746145800|0\n" /* 1746057600 + 86400 + 1800 */
	    "|bad\n"
	    /* a month: its first instant */
	    "2026-10|1790812800|0\n"
	    "2024-02|1706745600|0\n"
	    "0000-01|-62167219200|0\n"
	    "9999-12|253399622400|0\n"
	    "2025-13|bad\n"
	    "2025-00|bad\n"
	    "2025-5|bad\n"
	    "2025/05|bad\n"
	    "2025-05-|bad\n"
	    "202-05x|bad\n"
	    "2025-05-01Z|bad\n"
	    "2025-05-01T|bad\n"
	    "2025-05-01T12|bad\n"
	    "2025-05-01T12:3|bad\n"
	    "2025-05-01T12:34:|bad\n"
	    "2025-05-01T12:34:5|bad\n"
	    "2025-05-01T12:34:56.|bad\n"
	    "2025-05-01T12:34.5|bad\n"
	    "2025-02-30|bad\n"
	    "2025-05-01 12:34|bad\n"
	    "2025-05-01T12:34+01|bad\n"
	    "2025-05-01T12:34:56+01:00x|bad\n"
	    "2025-05-01x|bad\n";
	vectors(bounds, true);

	/* comparison */
	{
		struct ts a = { 10, 5 }, b = { 10, 6 }, c = { 11, 0 }, d = { -1, 999999999 };
		is_int(ts_cmp(a, b), -1, "cmp by nsec");
		is_int(ts_cmp(b, a), 1, "cmp by nsec, reversed");
		is_int(ts_cmp(b, c), -1, "cmp by sec first");
		is_int(ts_cmp(a, a), 0, "cmp equal");
		is_int(ts_cmp(d, (struct ts){ 0, 0 }), -1, "cmp before the epoch");
	}

	/* printing, negative instants included (floor, not truncation) */
	formats(0, 0, "1970-01-01T00:00:00Z", "1970-01-01");
	formats(1746102896, 999999999, "2025-05-01T12:34:56Z", "2025-05-01");
	formats(-1, 500000000, "1969-12-31T23:59:59Z", "1969-12-31");
	formats(-86400, 0, "1969-12-31T00:00:00Z", "1969-12-31");
	formats(-86401, 0, "1969-12-30T23:59:59Z", "1969-12-30");
	formats(1709251199, 0, "2024-02-29T23:59:59Z", "2024-02-29");
	formats(1709251200, 0, "2024-03-01T00:00:00Z", "2024-03-01");
	formats(-11670955200, 0, "1600-02-29T12:00:00Z", "1600-02-29");
	formats(-62167219200, 0, "0000-01-01T00:00:00Z", "0000-01-01");
	formats(-62135596801, 0, "0000-12-31T23:59:59Z", "0000-12-31");
	formats(253402300799, 0, "9999-12-31T23:59:59Z", "9999-12-31");
	/* beyond 4-digit years: clamped, never wider */
	formats(-62167219201, 0, "0000-01-01T00:00:00Z", "0000-01-01");
	formats(253402300800, 0, "9999-12-31T23:59:59Z", "9999-12-31");
	formats(INT64_MIN, 0, "0000-01-01T00:00:00Z", "0000-01-01");
	formats(INT64_MAX, 0, "9999-12-31T23:59:59Z", "9999-12-31");

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
