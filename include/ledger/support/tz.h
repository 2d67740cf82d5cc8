/*
 * tz.h - a time zone of the system's database (--tz): the offset from UTC
 * at any instant, the instant of a wall-clock time, and local days and
 * hours as the reports write them.
 *
 * Used by the options (--since/--until without an offset), facts (a
 * record's local hour) and fields (the day and hour columns).
 * tz_load reads the zone's TZif file once ($TZDIR, else /usr/share/zoneinfo;
 * RFC 8536: its transitions, then the POSIX TZ rule of its footer for the
 * instants after the last one). A loaded zone is read-only: any number of
 * threads may ask it at once, and the process's TZ is never touched.
 * Ownership: a zone owns its tables; tz_free releases them.
 */
#ifndef LEDGER_TZ_H
#define LEDGER_TZ_H

#include <stdint.h>

#include "ledger/support/diag.h"

struct tz;

/*
 * The zone NAME (an IANA name such as Europe/Berlin). Returns it, or NULL
 * with d set to what is wrong: a malformed name, a zone the database does
 * not have, a file that is not TZif.
 */
struct tz *tz_load(const char *name, struct diag *d);
void tz_free(struct tz *z); /* NULL is a no-op */

/* The name it was loaded by. */
const char *tz_name(const struct tz *z);

/* The offset east of UTC, in seconds, at the instant of UTC second t. */
int32_t tz_offset(const struct tz *z, int64_t t);

/*
 * The instant (UTC seconds) at which z's clocks read `local` (seconds since
 * 1970-01-01T00:00 of the wall clock). A time the clocks repeat is the
 * first of the two instants; a time they skip is read with the offset in
 * force before the change.
 */
int64_t tz_utc_of_local(const struct tz *z, int64_t local);

/* The start (UTC seconds) of the local hour that holds t. */
int64_t tz_hour_start(const struct tz *z, int64_t t);

/* Writes the local hour of t with its offset, YYYY-MM-DDTHH:00+hh:mm, and a NUL: 23 bytes. */
void tz_format_hour(const struct tz *z, int64_t t, char out[23]);

/* Writes the local day of t, YYYY-MM-DD, and a NUL: 11 bytes. */
void tz_format_day(const struct tz *z, int64_t t, char out[11]);

#endif
