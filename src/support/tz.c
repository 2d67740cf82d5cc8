/*
 * tz.c - a TZif file (RFC 8536) read once: its transitions, and the POSIX
 * TZ rule of its footer for the instants after the last one.
 */
#include "ledger/support/tz.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/timestamp.h"
#include "ledger/support/xalloc.h"

#define TZ_FILE_MAX (1 << 20)

/* A DST rule's day: Jn (1..365, no Feb 29), n (0..365), or Mm.w.d. */
struct rule {
	char kind; /* 'J', 'N' or 'M' */
	int n, m, w, d;
	int32_t time; /* seconds after local midnight (may be negative or past a day) */
};

/* The footer: std offset, and a DST offset with its start and end rules. */
struct posix {
	bool present, has_dst;
	int32_t std_off, dst_off; /* east of UTC */
	struct rule start, end;
};

struct tz {
	char *name;
	int64_t *times; /* transitions, ascending */
	int32_t *offs;	/* the offset from each transition on */
	size_t n;
	int32_t first_off; /* before the first transition */
	struct posix rule;
};

/* ---- the POSIX TZ string ---- */

static const char *skip_name(const char *s)
{
	if (*s == '<') {
		const char *e = strchr(s, '>');
		return e ? e + 1 : NULL;
	}
	const char *p = s;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] as seconds; NULL when malformed. */
static const char *parse_hms(const char *s, int32_t *out)
{
	int sign = 1;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	int32_t v = 0, part = 0;
	for (int i = 0; i < 3; i++) {
		if (*s < '0' || *s > '9')
			return NULL;
		part = 0;
		while (*s >= '0' && *s <= '9' && part < 1000)
			part = part * 10 + (*s++ - '0');
		v += part * (i == 0 ? 3600 : i == 1 ? 60 : 1);
		if (*s != ':')
			break;
		s++;
	}
	*out = sign * v;
	return s;
}

static const char *parse_rule(const char *s, struct rule *r)
{
	memset(r, 0, sizeof *r);
	r->time = 7200;
	char *end;
	if (*s == 'M') {
		r->kind = 'M';
		r->m = (int)strtol(s + 1, &end, 10);
		if (*end != '.')
			return NULL;
		r->w = (int)strtol(end + 1, &end, 10);
		if (*end != '.')
			return NULL;
		r->d = (int)strtol(end + 1, &end, 10);
		if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6)
			return NULL;
	} else {
		r->kind = *s == 'J' ? 'J' : 'N';
		const char *p = s + (*s == 'J');
		if (*p < '0' || *p > '9')
			return NULL;
		r->n = (int)strtol(p, &end, 10);
		if (r->n > 365 || (r->kind == 'J' && r->n < 1))
			return NULL;
	}
	s = end;
	if (*s == '/')
		s = parse_hms(s + 1, &r->time);
	return s;
}

/* "CET-1CEST,M3.5.0,M10.5.0/3", "IST-5:30", "<+0545>-5:45": 0, or -1 when unreadable. */
static int parse_posix(const char *s, struct posix *p)
{
	memset(p, 0, sizeof *p);
	int32_t west;
	if (!(s = skip_name(s)) || !(s = parse_hms(s, &west)))
		return -1;
	p->present = true;
	p->std_off = -west;
	if (!*s)
		return 0;
	if (!(s = skip_name(s)))
		return -1;
	p->has_dst = true;
	p->dst_off = p->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = parse_hms(s, &west)))
			return -1;
		p->dst_off = -west;
	}
	if (*s != ',' || !(s = parse_rule(s + 1, &p->start)) || *s != ',' ||
	    !(s = parse_rule(s + 1, &p->end)))
		return -1;
	return *s ? -1 : 0;
}

static bool leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* The local second (since the epoch) at which rule r fires in year y. */
static int64_t rule_local(const struct rule *r, int y)
{
	int64_t jan1 = ts_days_from_civil(y, 1, 1), day;
	if (r->kind == 'J') {
		day = jan1 + r->n - 1 + (leap(y) && r->n >= 60);
	} else if (r->kind == 'N') {
		day = jan1 + r->n;
	} else {
		static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int64_t first = ts_days_from_civil(y, (unsigned)r->m, 1);
		int dow = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
		int d = 1 + (r->d - dow + 7) % 7 + (r->w - 1) * 7;
		int last = dim[r->m - 1] + (r->m == 2 && leap(y));
		while (d > last)
			d -= 7;
		day = first + d - 1;
	}
	return day * 86400 + r->time;
}

static int32_t posix_offset(const struct posix *p, int64_t t)
{
	if (!p->has_dst)
		return p->std_off;
	int64_t local = t + p->std_off;
	int64_t days = local / 86400 - (local % 86400 < 0);
	int y, m, d;
	ts_civil_from_days(days, &y, &m, &d);
	int64_t start = rule_local(&p->start, y) - p->std_off;
	int64_t end = rule_local(&p->end, y) - p->dst_off;
	bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
	return dst ? p->dst_off : p->std_off;
}

/* ---- the TZif file ---- */

static uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* The counts of a TZif header at h: isut, isstd, leap, time, type, char. */
static void counts(const unsigned char *h, uint64_t c[6])
{
	for (int i = 0; i < 6; i++)
		c[i] = be(h + 20 + 4 * i, 4);
}

static size_t block_size(const uint64_t c[6], int tsize)
{
	return c[3] * tsize + c[3] + c[4] * 6 + c[5] + c[2] * (tsize + 4) + c[1] + c[0];
}

/* Reads the data block (times of tsize bytes) after header h; 0 or -1. */
static int read_block(struct tz *z, const unsigned char *h, size_t room, int tsize)
{
	uint64_t c[6];
	counts(h, c);
	if (c[4] == 0 || c[4] > 256 || c[3] > 100000 || 44 + block_size(c, tsize) > room)
		return -1;
	const unsigned char *times = h + 44, *idx = times + c[3] * tsize, *types = idx + c[3];
	z->n = c[3];
	z->times = xcalloc(z->n + 1, sizeof *z->times);
	z->offs = xcalloc(z->n + 1, sizeof *z->offs);
	for (size_t i = 0; i < z->n; i++) {
		uint64_t v = be(times + i * tsize, tsize);
		z->times[i] = tsize == 8 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
		if (idx[i] >= c[4] || (i && z->times[i] <= z->times[i - 1]))
			return -1;
		z->offs[i] = (int32_t)(uint32_t)be(types + 6 * idx[i], 4);
	}
	z->first_off = (int32_t)(uint32_t)be(types, 4);
	return 0;
}

static int parse_tzif(struct tz *z, const unsigned char *b, size_t n)
{
	if (n < 44 || memcmp(b, "TZif", 4) != 0)
		return -1;
	if (b[4] == 0)
		return read_block(z, b, n, 4);
	uint64_t c[6];
	counts(b, c);
	size_t v2 = 44 + block_size(c, 4);
	if (v2 + 44 > n || memcmp(b + v2, "TZif", 4) != 0 || read_block(z, b + v2, n - v2, 8) != 0)
		return -1;
	counts(b + v2, c);
	size_t f = v2 + 44 + block_size(c, 8);
	if (f < n && b[f] == '\n') {
		const unsigned char *nl = memchr(b + f + 1, '\n', n - f - 1);
		if (!nl)
			return -1;
		char footer[128];
		size_t len = (size_t)(nl - (b + f + 1));
		if (len >= sizeof footer)
			return -1;
		memcpy(footer, b + f + 1, len);
		footer[len] = '\0';
		if (len && parse_posix(footer, &z->rule) != 0)
			return -1;
	}
	return 0;
}

static bool good_name(const char *s)
{
	if (!*s || *s == '/' || strlen(s) > 255)
		return false;
	for (const char *p = s; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-.",
			    *p))
			return false;
	return strncmp(s, "../", 3) != 0 && !strstr(s, "/../") && strcmp(s, "..") != 0 &&
	       (strlen(s) < 3 || strcmp(s + strlen(s) - 3, "/..") != 0);
}

struct tz *tz_load(const char *name, struct diag *d)
{
	if (!good_name(name)) {
		diag_set(d, "'%s' is not a time zone name: use an IANA name such as Europe/Berlin",
			 name);
		return NULL;
	}
	const char *dir = getenv("TZDIR");
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	size_t plen = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(plen);
	snprintf(path, plen, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_set(d,
			 "no time zone '%s' in %s (%s): use an IANA name such as Europe/Berlin"
			 " (timedatectl list-timezones lists them; the tzdata package holds them)",
			 name, dir, strerror(errno));
		free(path);
		return NULL;
	}
	unsigned char *buf = xmalloc(TZ_FILE_MAX);
	size_t n = fread(buf, 1, TZ_FILE_MAX, f);
	fclose(f);
	struct tz *z = xcalloc(1, sizeof *z);
	if (parse_tzif(z, buf, n) != 0) {
		diag_set(d, "%s: not a time zone file (TZif) that can be read", path);
		tz_free(z);
		z = NULL;
	} else {
		z->name = xstrdup(name);
	}
	free(buf);
	free(path);
	return z;
}

void tz_free(struct tz *z)
{
	if (!z)
		return;
	free(z->name);
	free(z->times);
	free(z->offs);
	free(z);
}

const char *tz_name(const struct tz *z)
{
	return z->name;
}

int32_t tz_offset(const struct tz *z, int64_t t)
{
	if (!z->n || t < z->times[0])
		return z->n || !z->rule.present ? z->first_off : posix_offset(&z->rule, t);
	if (t >= z->times[z->n - 1] && z->rule.present)
		return posix_offset(&z->rule, t);
	size_t lo = 0, hi = z->n; /* times[0, lo) are <= t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->times[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return z->offs[lo - 1];
}

int64_t tz_utc_of_local(const struct tz *z, int64_t local)
{
	/* the offsets in force a little before and after: every candidate instant */
	int32_t before = tz_offset(z, local - 2 * 86400), after = tz_offset(z, local + 2 * 86400);
	int64_t a = local - before, b = local - after;
	bool a_ok = tz_offset(z, a) == before, b_ok = tz_offset(z, b) == after;
	if (a_ok && b_ok)
		return a < b ? a : b;
	if (b_ok)
		return b;
	return a; /* a_ok, or a skipped time: the offset before the change */
}

int64_t tz_hour_start(const struct tz *z, int64_t t)
{
	int64_t local = t + tz_offset(z, t);
	return t - (local % 3600 + 3600) % 3600;
}

void tz_format_day(const struct tz *z, int64_t t, char out[11])
{
	ts_format_day((struct ts){ t + tz_offset(z, t), 0 }, out);
}

void tz_format_hour(const struct tz *z, int64_t t, char out[23])
{
	int32_t off = tz_offset(z, t);
	char hour[18];
	ts_format_hour((struct ts){ t + off, 0 }, hour);
	int32_t a = off < 0 ? -off : off;
	/* YYYY-MM-DDTHH:00 and the offset in whole minutes */
	snprintf(out, 23, "%.16s%c%02d:%02d", hour, off < 0 ? '-' : '+', (int)(a / 3600 % 100),
		 (int)(a / 60 % 60));
}
