/*
 * timestamp.h - the record timestamp: strict parsing, UTC conversion, printing.
 *
 * Used by record (the `timestamp` field), the options (--since/--until),
 * window.h, facts (hours), the bill (usage start) and the reports
 * (first_seen/last_seen, day, hour).
 * A timestamp is an instant in UTC: seconds since 1970-01-01T00:00:00Z
 * (negative before) plus nanoseconds. Fractions beyond 9 digits are truncated.
 */
#ifndef LEDGER_TIMESTAMP_H
#define LEDGER_TIMESTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ts {
	int64_t sec;  /* UTC seconds since the epoch */
	int32_t nsec; /* 0..999999999 */
};

/*
 * Parses a record timestamp in the only form bedrock-ledger-formats(5), WHAT IS READ accepts:
 * YYYY-MM-DDTHH:MM:SS[.f+](Z|+hh:mm|-hh:mm), uppercase T and Z, a real
 * calendar date (leap years), hour 00-23, minute and second 00-59, offset
 * hours 00-23 and minutes 00-59, one or more fraction digits.
 * s need not be NUL-terminated. Returns 0 and sets *out (converted to UTC),
 * or -1 if s is not exactly such a timestamp.
 */
int ts_parse(const char *s, size_t n, struct ts *out);

/*
 * Parses a --since/--until bound: YYYY-MM (the first instant of the month,
 * UTC), YYYY-MM-DD (midnight UTC), or
 * YYYY-MM-DDTHH:MM[:SS[.f+]] with an optional Z or +hh:mm/-hh:mm (no zone =
 * UTC). s is NUL-terminated. Returns 0 or -1.
 */
int ts_parse_bound(const char *s, struct ts *out);

/* -1, 0 or 1 as a is before, equal to or after b. */
int ts_cmp(struct ts a, struct ts b);

/* Writes YYYY-MM-DDTHH:MM:SSZ (seconds truncated) and a NUL: 21 bytes. */
void ts_format(struct ts t, char out[21]);

/* Writes the UTC hour YYYY-MM-DDTHH:00Z and a NUL: 18 bytes. */
void ts_format_hour(struct ts t, char out[18]);

/* Writes the UTC day YYYY-MM-DD and a NUL: 11 bytes. */
void ts_format_day(struct ts t, char out[11]);

/* Days since 1970-01-01 of civil date y-m-d (proleptic Gregorian). */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);

/* The civil date of day z (days since 1970-01-01): its inverse. */
void ts_civil_from_days(int64_t z, int *y, int *m, int *d);

/*
 * Does a --since/--until bound (as ts_parse_bound reads it) name its zone:
 * a Z or an offset after the time? Without one it is a wall-clock time,
 * read in --tz's zone when that is given.
 */
bool ts_bound_has_zone(const char *s);

#endif
