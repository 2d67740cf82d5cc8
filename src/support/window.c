/*
 * window.c - --since/--until, and the hour folders that can hold their records.
 */
#include "ledger/support/window.h"

bool window_given(const struct window *w)
{
	return w->has_since || w->has_until;
}

bool window_contains(const struct window *w, struct ts t)
{
	if (w->has_since && ts_cmp(t, w->since) < 0)
		return false;
	if (w->has_until && ts_cmp(t, w->until) >= 0)
		return false;
	return true;
}

bool window_may_hold_hour(const struct window *w, struct ts hour)
{
	struct ts lo = { hour.sec - WINDOW_FOLDER_BEFORE, 0 };
	struct ts hi = { hour.sec + WINDOW_FOLDER_AFTER, 0 };
	return !(w->has_since && ts_cmp(hi, w->since) <= 0) &&
	       !(w->has_until && ts_cmp(lo, w->until) >= 0);
}

static int64_t floor_hour(int64_t sec)
{
	return sec / 3600 * 3600 - (sec % 3600 < 0 ? 3600 : 0);
}

void window_hours(const struct window *w, bool *has_first, struct ts *first, bool *has_last,
		  struct ts *last)
{
	/* H is read when H + AFTER > since and H - BEFORE < until */
	*has_first = w->has_since;
	*has_last = w->has_until;
	if (w->has_since)
		*first = (struct ts){ floor_hour(w->since.sec - WINDOW_FOLDER_AFTER) + 3600, 0 };
	if (w->has_until) {
		int64_t u = w->until.sec + WINDOW_FOLDER_BEFORE;
		bool exact = w->until.nsec == 0 && floor_hour(u) == u;
		*last = (struct ts){ exact ? u - 3600 : floor_hour(u), 0 };
	}
}
