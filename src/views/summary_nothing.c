/*
 * summary_nothing.c - why a run counted no record, in one line
 * (bedrock-ledger-formats(5), The books).
 */
#include "ledger/views/summary.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct line {
	char *p;
	size_t n, cap;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct line *l, const char *fmt, ...)
{
	if (l->n + 1 >= l->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(l->p + l->n, l->cap - l->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->n += (size_t)k < l->cap - l->n ? (size_t)k : l->cap - l->n - 1;
}

static int by_count_desc(const void *a, const void *b)
{
	const struct source_reason *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* "3 not-bedrock-logs, 1 marker", the largest first; outside-window with its hour folders. */
static void put_reasons(struct line *l, const struct summary *s)
{
	struct source_reason r[SOURCE_REASONS];
	memcpy(r, s->skip_reasons, sizeof r);
	qsort(r, s->nskip_reasons, sizeof *r, by_count_desc);
	for (size_t i = 0; i < s->nskip_reasons; i++) {
		put(l, "%s%" PRIu64 " %s", i ? ", " : "", r[i].n, r[i].name);
		if (strcmp(r[i].name, "outside-window") == 0 && s->objects_pruned) {
			char a[18], b[18];
			ts_format_hour(s->pruned_first, a);
			ts_format_hour(s->pruned_last, b);
			put(l, " in hour folders %s .. %s", a, b);
		}
	}
}

static void put_seen(struct line *l, const struct summary *s)
{
	char a[21], b[21];
	ts_format(s->seen_first, a);
	ts_format(s->seen_last, b);
	put(l, "the records seen run from %s to %s", a, b);
}

size_t summary_nothing(const struct summary *s, char *out, size_t cap)
{
	if (s->counted || !cap)
		return 0;
	struct line l = { out, 0, cap };
	out[0] = '\0';
	uint64_t objects = s->objects_read + s->objects_skipped + s->objects_error;
	put(&l, "no record counted: ");
	if (!objects) {
		put(&l, "no log object found in the paths given");
	} else if (!s->records_read && !s->objects_read && !s->objects_error) {
		put(&l, "every object was skipped (");
		put_reasons(&l, s);
		put(&l, "): see %s/sources.csv", s->out_dir);
	} else if (!s->records_read) {
		put(&l, "no record in the %" PRIu64 " object%s read", s->objects_read,
		    s->objects_read == 1 ? "" : "s");
		if (s->objects_error)
			put(&l, ", %" PRIu64 " with errors", s->objects_error);
		if (s->objects_skipped)
			put(&l, ", %" PRIu64 " skipped", s->objects_skipped);
		put(&l, ": see %s/sources.csv", s->out_dir);
	} else if (!s->filtered) {
		put(&l, "every record was rejected (%" PRIu64 "): see %s/rejects.csv", s->rejected,
		    s->out_dir);
	} else if (!s->rejected) {
		put(&l, "every record (%" PRIu64 ") is outside --since/--until; ", s->filtered);
		put_seen(&l, s);
	} else {
		put(&l,
		    "%" PRIu64 " record%s rejected (see %s/rejects.csv), %" PRIu64
		    " outside --since/--until; ",
		    s->rejected, s->rejected == 1 ? "" : "s", s->out_dir, s->filtered);
		put_seen(&l, s);
	}
	return l.n;
}
