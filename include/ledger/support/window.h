/*
 * window.h - the time window of --since/--until, and which hour folders can
 * hold a record of it: the one home of both rules.
 *
 * A record is in the window when since <= timestamp < until (either bound
 * may be absent). Which hour folder a record near an hour boundary lands in
 * is not documented by AWS, so the folder of hour H is taken to hold
 * records from H-1h up to (not including) H+2h (bedrock-ledger-formats(5), WHAT IS
 * READ). The walk, the workers, the bill and the SQL generator all ask here.
 */
#ifndef LEDGER_WINDOW_H
#define LEDGER_WINDOW_H

#include <stdbool.h>

#include "ledger/support/timestamp.h"

struct window {
	bool has_since, has_until;
	struct ts since, until;
};

/* How far before and after its hour a folder's records may lie, in seconds. */
#define WINDOW_FOLDER_BEFORE 3600
#define WINDOW_FOLDER_AFTER 7200

/* Is either bound given? */
bool window_given(const struct window *w);

/* Is t inside the window? */
bool window_contains(const struct window *w, struct ts t);

/* Can the folder of the hour starting at `hour` hold a record of the window? */
bool window_may_hold_hour(const struct window *w, struct ts hour);

/*
 * The first and the last hour (their starts) whose folders can hold a record
 * of the window; *has_first (*has_last) is false without since (until).
 */
void window_hours(const struct window *w, bool *has_first, struct ts *first, bool *has_last,
		  struct ts *last);

#endif
