/*
 * timestamp.c - strict ISO-8601 parsing of record timestamps, UTC arithmetic
 * and printing, on Howard Hinnant's civil-date algorithms.
 */
#include "ledger/support/timestamp.h"

#include <string.h>

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what a 4-digit year can print. */
#define TS_MIN_SEC (-62167219200LL)
#define TS_MAX_SEC (253402300799LL)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool is_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int y, int m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	/* floor(y / 400) without forming y - 399, which could overflow */
	int64_t era = y / 400 - (y % 400 < 0);
	int64_t yoe = y - era * 400;			      /* [0, 399] */
	int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9; /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;    /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* The inverse of ts_days_from_civil. */
void ts_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = z / 146097 - (z % 146097 < 0);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/*
 * YYYY-MM-DD at s (10 bytes available). Returns the day number or sets *bad.
 */
static int64_t parse_date(const char *s, bool *bad)
{
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || s[4] != '-' || s[7] != '-' ||
	    d > days_in_month(y, mo)) {
		*bad = true;
		return 0;
	}
	return ts_days_from_civil(y, (unsigned)mo, (unsigned)d);
}

/*
 * An optional fraction at s[*i..n): '.' and one or more digits, as
 * nanoseconds truncated after 9 digits; 0 when there is no '.'. Returns -1
 * for a '.' without a digit.
 */
static int32_t parse_fraction(const char *s, size_t n, size_t *i)
{
	if (*i == n || s[*i] != '.')
		return 0;
	size_t start = ++*i;
	int32_t ns = 0;
	int kept = 0;
	while (*i < n && is_digit(s[*i])) {
		if (kept < 9) {
			ns = ns * 10 + (s[*i] - '0');
			kept++;
		}
		(*i)++;
	}
	if (*i == start)
		return -1;
	for (; kept < 9; kept++)
		ns *= 10;
	return ns;
}

/* +hh:mm or -hh:mm at s (6 bytes): the offset east of UTC in seconds, or sets *bad. */
static int64_t parse_offset(const char *s, bool *bad)
{
	int h = digits(s + 1, 2), m = digits(s + 4, 2);
	if ((s[0] != '+' && s[0] != '-') || s[3] != ':' || h < 0 || h > 23 || m < 0 || m > 59) {
		*bad = true;
		return 0;
	}
	int64_t off = (int64_t)h * 3600 + m * 60;
	return s[0] == '-' ? -off : off;
}

/*
 * The time zone at s[i..n) must be all that is left: Z, +hh:mm or -hh:mm,
 * or nothing when zone_optional. Returns the offset in seconds or sets *bad.
 */
static int64_t parse_zone(const char *s, size_t n, size_t i, bool zone_optional, bool *bad)
{
	if (i == n && zone_optional)
		return 0;
	if (i + 1 == n && s[i] == 'Z')
		return 0;
	if (i + 6 == n)
		return parse_offset(s + i, bad);
	*bad = true;
	return 0;
}

/*
 * HH:MM at s (5 bytes): seconds of the day, or sets *bad.
 */
static int64_t parse_hhmm(const char *s, bool *bad)
{
	int h = digits(s, 2), m = digits(s + 3, 2);
	if (h < 0 || h > 23 || s[2] != ':' || m < 0 || m > 59) {
		*bad = true;
		return 0;
	}
	return (int64_t)h * 3600 + m * 60;
}

int ts_parse(const char *s, size_t n, struct ts *out)
{
	/* the shortest form is YYYY-MM-DDTHH:MM:SSZ */
	if (n < 20 || s[10] != 'T' || s[16] != ':')
		return -1;
	bool bad = false;
	int64_t day = parse_date(s, &bad);
	int64_t tod = parse_hhmm(s + 11, &bad);
	int sec = digits(s + 17, 2);
	if (bad || sec < 0 || sec > 59)
		return -1;
	size_t i = 19;
	int32_t ns = parse_fraction(s, n, &i);
	int64_t off = parse_zone(s, n, i, false, &bad);
	if (bad || ns < 0)
		return -1;
	out->sec = day * 86400 + tod + sec - off;
	out->nsec = ns;
	return 0;
}

/* YYYY-MM: the first instant of the month. */
static int parse_month(const char *s, struct ts *out)
{
	int y = digits(s, 4), mo = digits(s + 5, 2);
	if (y < 0 || s[4] != '-' || mo < 1 || mo > 12)
		return -1;
	out->sec = ts_days_from_civil(y, (unsigned)mo, 1) * 86400;
	out->nsec = 0;
	return 0;
}

int ts_parse_bound(const char *s, struct ts *out)
{
	size_t n = strlen(s);
	if (n == 7)
		return parse_month(s, out);
	if (n < 10)
		return -1;
	bool bad = false;
	int64_t day = parse_date(s, &bad);
	if (bad)
		return -1;
	if (n == 10) {
		out->sec = day * 86400;
		out->nsec = 0;
		return 0;
	}
	if (n < 16 || s[10] != 'T')
		return -1;
	int64_t tod = parse_hhmm(s + 11, &bad);
	if (bad)
		return -1;
	size_t i = 16;
	int32_t ns = 0;
	if (i < n && s[i] == ':') {
		int sec = n >= 19 ? digits(s + 17, 2) : -1;
		if (sec < 0 || sec > 59)
			return -1;
		tod += sec;
		i = 19;
		ns = parse_fraction(s, n, &i);
	}
	int64_t off = parse_zone(s, n, i, true, &bad);
	if (bad || ns < 0)
		return -1;
	out->sec = day * 86400 + tod - off;
	out->nsec = ns;
	return 0;
}

bool ts_bound_has_zone(const char *s)
{
	size_t n = strlen(s);
	if (!strchr(s, 'T') || n < 2)
		return false;
	if (s[n - 1] == 'Z')
		return true;
	/* +hh:mm or -hh:mm at the end, after the time's HH:MM */
	return n >= 6 && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 3] == ':' &&
	       strchr(s, 'T') < s + n - 6;
}

int ts_cmp(struct ts a, struct ts b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	if (a.nsec != b.nsec)
		return a.nsec < b.nsec ? -1 : 1;
	return 0;
}

static char *put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/*
 * Writes YYYY-MM-DD (10 bytes) and returns the seconds into that day.
 * Instants outside years 0000-9999 (only reachable through an offset at the
 * edge of the range) are clamped so that the output keeps its fixed width.
 */
static int64_t put_day(int64_t sec, char *p)
{
	if (sec < TS_MIN_SEC)
		sec = TS_MIN_SEC;
	if (sec > TS_MAX_SEC)
		sec = TS_MAX_SEC;
	int64_t days = sec / 86400 - (sec % 86400 < 0);
	int64_t tod = sec - days * 86400;
	int y, m, d;
	ts_civil_from_days(days, &y, &m, &d);
	p = put2(p, y / 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	put2(p, d);
	return tod;
}

void ts_format(struct ts t, char out[21])
{
	int64_t tod = put_day(t.sec, out);
	char *p = out + 10;
	*p++ = 'T';
	p = put2(p, (int)(tod / 3600));
	*p++ = ':';
	p = put2(p, (int)(tod / 60 % 60));
	*p++ = ':';
	p = put2(p, (int)(tod % 60));
	*p++ = 'Z';
	*p = '\0';
}

void ts_format_day(struct ts t, char out[11])
{
	put_day(t.sec, out);
	out[10] = '\0';
}

void ts_format_hour(struct ts t, char out[18])
{
	char full[21];
	ts_format(t, full);
	memcpy(out, full, 13);
	memcpy(out + 13, ":00Z", 5);
}
