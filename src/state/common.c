/*
 * common.c - what every file of the state uses: the clock of the batches,
 * the one message that says the state is unusable, and one-value queries.
 * It calls no other file of the state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "state_int.h"

double state_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void state_set_broken(struct state *st, const char *fmt, ...)
{
	pthread_mutex_lock(&st->lock);
	if (!atomic_load(&st->broken)) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(st->broken_msg, sizeof st->broken_msg, fmt, ap);
		va_end(ap);
		atomic_store(&st->broken, true);
	}
	pthread_mutex_unlock(&st->lock);
}

int state_query_one(sqlite3 *db, const char *sql, int64_t *num, char *text, size_t cap)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (num)
			*num = sqlite3_column_int64(s, 0);
		if (text) {
			const unsigned char *t = sqlite3_column_text(s, 0);
			snprintf(text, cap, "%s", t ? (const char *)t : "");
		}
	}
	sqlite3_finalize(s);
	return rc;
}
