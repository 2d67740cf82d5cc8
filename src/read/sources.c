/*
 * sources.c - the rows of sources.csv and rejects.csv: spill encoding and the
 * k-way merge that reads them back.
 */
#include "ledger/read/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

static const char *const status_names[] = { "ok", "skipped", "error" };

/* An input as spilled: its sequence number and the number of rows that follow. */
struct input_record {
	uint64_t seq;
	uint64_t nrows;
};

/* A row as spilled; its path and reason follow it. */
struct row_record {
	uint64_t bytes, records, rejected, reject_start, order;
	int64_t first_sec, last_sec;
	int32_t first_nsec, last_nsec;
	uint32_t path_len, reason_len;
	uint8_t status, has_ts, has_sha256;
	unsigned char sha256[SHA256_SIZE];
};

/* A rejected line as spilled. */
struct reject_entry {
	uint64_t line;
	uint64_t why;
};

void source_log_init(struct source_log *l)
{
	memset(l, 0, sizeof *l);
	spill_init(&l->row_spill);
	spill_init(&l->reject_spill);
	spill_init(&l->perm_spill);
}

void source_log_finish(struct source_log *l)
{
	for (size_t i = 0; i < l->nrows; i++) {
		free(l->rows[i]->path);
		free(l->rows[i]->reason);
		free(l->rows[i]);
	}
	free(l->rows);
	spill_finish(&l->row_spill);
	spill_finish(&l->reject_spill);
	spill_finish(&l->perm_spill);
	free(l->perms);
}

struct source_row *source_log_add(struct source_log *l, const char *path)
{
	if (l->nrows == l->cap_rows) {
		l->cap_rows = l->cap_rows ? 2 * l->cap_rows : 64;
		l->rows = xrealloc(l->rows, l->cap_rows * sizeof *l->rows);
	}
	struct source_row *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->order = l->nrows;
	l->rows[l->nrows++] = s;
	return s;
}

void source_row_set(struct source_row *s, enum source_status st, const char *reason)
{
	s->status = st;
	free(s->reason);
	s->reason = reason ? xstrdup(reason) : NULL;
}

void source_row_saw(struct source_row *s, struct ts t)
{
	if (!s->has_ts || ts_cmp(t, s->first) < 0)
		s->first = t;
	if (!s->has_ts || ts_cmp(t, s->last) > 0)
		s->last = t;
	s->has_ts = true;
}

void source_log_reject(struct source_log *l, struct source_row *s, uint64_t line,
		       enum record_reject why)
{
	if (s->rejected == 0)
		s->reject_start = l->nrejects;
	struct reject_entry e = { line, (uint64_t)why };
	spill_write(&l->reject_spill, &e, sizeof e);
	l->nrejects++;
	s->rejected++;
}

static int by_row(const void *a, const void *b)
{
	const struct source_row *x = *(const struct source_row *const *)a;
	const struct source_row *y = *(const struct source_row *const *)b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return (x->order > y->order) - (x->order < y->order);
}

/* Keeps the ranks of an input whose rows the sort moved (for source_log_rank). */
static void keep_perm(struct source_log *l, uint64_t seq)
{
	size_t i = 0;
	while (i < l->nrows && l->rows[i]->order == i)
		i++;
	if (i == l->nrows)
		return;
	if (l->nperms == l->cap_perms) {
		l->cap_perms = l->cap_perms ? 2 * l->cap_perms : 8;
		l->perms = xrealloc(l->perms, l->cap_perms * sizeof *l->perms);
	}
	l->perms[l->nperms++] = (struct source_perm){ seq, spill_size(&l->perm_spill) };
	uint32_t *rank = xmalloc(l->nrows * sizeof *rank);
	for (i = 0; i < l->nrows; i++)
		rank[l->rows[i]->order] = (uint32_t)i;
	spill_write(&l->perm_spill, rank, l->nrows * sizeof *rank);
	free(rank);
}

uint64_t source_log_rank(struct source_log *l, uint64_t seq, uint64_t order)
{
	size_t lo = 0, hi = l->nperms;
	while (lo < hi) { /* inputs end in walk order: perms are sorted by seq */
		size_t mid = lo + (hi - lo) / 2;
		if (l->perms[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t rank;
	if (lo == l->nperms || l->perms[lo].seq != seq ||
	    spill_read_at(&l->perm_spill, l->perms[lo].off + order * sizeof rank, &rank,
			  sizeof rank) != 0)
		return order;
	return rank;
}

void source_log_end_input(struct source_log *l, uint64_t seq)
{
	if (l->nrows > 1) {
		qsort(l->rows, l->nrows, sizeof *l->rows, by_row);
		keep_perm(l, seq);
	}
	struct input_record ir = { seq, l->nrows };
	spill_write(&l->row_spill, &ir, sizeof ir);
	for (size_t i = 0; i < l->nrows; i++) {
		struct source_row *s = l->rows[i];
		struct row_record r = {
			.bytes = s->bytes,
			.records = s->records,
			.rejected = s->rejected,
			.reject_start = s->reject_start,
			.order = s->order,
			.first_sec = s->first.sec,
			.last_sec = s->last.sec,
			.first_nsec = s->first.nsec,
			.last_nsec = s->last.nsec,
			.path_len = (uint32_t)strlen(s->path),
			.reason_len = s->reason ? (uint32_t)strlen(s->reason) : 0,
			.status = (uint8_t)s->status,
			.has_ts = s->has_ts,
			.has_sha256 = s->has_sha256,
		};
		memcpy(r.sha256, s->sha256, SHA256_SIZE);
		spill_write(&l->row_spill, &r, sizeof r);
		spill_write(&l->row_spill, s->path, r.path_len);
		if (r.reason_len)
			spill_write(&l->row_spill, s->reason, r.reason_len);
		free(s->path);
		free(s->reason);
		free(s);
	}
	l->nrows = 0;
}

/* A log's spilled rows, read back one input at a time for the merge. */
struct cursor {
	struct source_log *l;
	size_t index; /* of the log, for source_extras */
	char *text; /* the current row's path and reason */
	size_t text_cap;
	struct spill_range rd; /* the log's rows, read in order: an input, its rows, the next */
	bool has;
	struct input_record in;
};

/* The next n bytes of the log's rows (a problem is left in the row spill's diag). */
static int take(struct cursor *c, void *p, size_t n)
{
	return spill_range_read(&c->rd, p, n, &c->l->row_spill.diag);
}

static int cursor_next(struct cursor *c)
{
	c->has = false;
	if (!spill_range_more(&c->rd))
		return 0;
	if (take(c, &c->in, sizeof c->in) != 0)
		return -1;
	c->has = true;
	return 0;
}

/* A row's text (path, reason) read back into the cursor's buffer. */
static int read_text(struct cursor *c, const struct row_record *r, char **path, char **reason)
{
	size_t need = (size_t)r->path_len + r->reason_len + 2;
	if (need > c->text_cap) {
		c->text_cap = need;
		c->text = xrealloc(c->text, c->text_cap);
	}
	*path = c->text;
	*reason = c->text + r->path_len + 1;
	if (take(c, *path, r->path_len) != 0 || take(c, *reason, r->reason_len) != 0)
		return -1;
	(*path)[r->path_len] = (*reason)[r->reason_len] = '\0';
	return 0;
}

static void put_reject(struct report_file *rej, const char *path, uint64_t line,
		       const char *why)
{
	report_cstr(rej, path);
	report_u64(rej, line);
	report_cstr(rej, why);
	report_end_row(rej);
}

/* The row's rejected lines, and (--dedupe) its duplicates, merged in line order. */
static int write_rejects(struct cursor *c, const struct row_record *r, const char *path,
			 struct report_file *rej, const struct source_extras *x, bool dups)
{
	struct reject_entry batch[1024];
	size_t bn = 0, bi = 0;
	uint64_t loaded = 0, dup = 0;
	int more = dups ? x->next_line(x->ctx, c->index, &dup) : 0;
	for (;;) {
		if (bi == bn && loaded < r->rejected) {
			uint64_t left = r->rejected - loaded;
			bn = left < 1024 ? (size_t)left : 1024;
			bi = 0;
			if (spill_read_at(&c->l->reject_spill, (r->reject_start + loaded) * sizeof *batch,
					  batch, bn * sizeof *batch) != 0)
				return -1;
			loaded += bn;
		}
		if (more < 0)
			return -1;
		if (bi == bn && more == 0)
			return 0;
		if (bi < bn && (more == 0 || batch[bi].line <= dup)) {
			put_reject(rej, path, batch[bi].line,
				   record_reject_name((enum record_reject)batch[bi].why));
			bi++;
		} else {
			put_reject(rej, path, dup, "duplicate");
			more = x->next_line(x->ctx, c->index, &dup);
		}
	}
}

static void count_reason(struct source_counts *t, const char *reason)
{
	if (!reason || !*reason)
		reason = "other";
	size_t i = 0;
	while (i < t->nreasons && strcmp(t->reasons[i].name, reason) != 0)
		i++;
	if (i == SOURCE_REASONS) {
		i--; /* full: the last one becomes "other" and takes the rest */
		reason = "other";
	} else if (i == t->nreasons) {
		t->nreasons++;
	}
	snprintf(t->reasons[i].name, sizeof t->reasons[i].name, "%s", reason);
	t->reasons[i].n++;
}

void source_counts_finish(struct source_counts *c)
{
	free(c->most_rejected_path);
	memset(c, 0, sizeof *c);
}

/* The rows of the cursor's current input, and their rejects; moves past them. */
static int merge_input(struct cursor *c, struct report_file *src, struct report_file *rej,
		       struct source_counts *t, source_error_fn on_error,
		       const struct source_extras *x)
{
	for (uint64_t i = 0; i < c->in.nrows; i++) {
		struct row_record r;
		char *path, *reason;
		if (take(c, &r, sizeof r) != 0 || read_text(c, &r, &path, &reason) != 0)
			return -1;
		bool has = r.has_ts, dups = false;
		struct ts first = { r.first_sec, r.first_nsec }, last = { r.last_sec, r.last_nsec };
		if (x)
			dups = x->row(x->ctx, c->index, c->in.seq, r.order, &has, &first, &last);
		report_cstr(src, path);
		report_cstr(src, status_names[r.status]);
		report_cstr(src, reason);
		report_u64(src, r.bytes);
		report_u64(src, r.records);
		report_u64(src, r.rejected);
		report_ts(src, has, first);
		report_ts(src, has, last);
		char hex[SHA256_HEX];
		if (r.has_sha256)
			sha256_hex(r.sha256, hex);
		report_cstr(src, r.has_sha256 ? hex : "");
		report_end_row(src);
		if (r.status == SOURCE_OK) {
			t->read++;
		} else if (r.status == SOURCE_SKIPPED) {
			t->skipped++;
			count_reason(t, reason);
		} else {
			t->error++;
			if (on_error)
				on_error(path, reason);
		}
		if (r.rejected > t->most_rejected) {
			free(t->most_rejected_path);
			t->most_rejected_path = xstrdup(path);
			t->most_rejected = r.rejected;
		}
		if (write_rejects(c, &r, path, rej, x, dups) != 0)
			return -1;
	}
	return cursor_next(c);
}

int sources_write(struct source_log *const *logs, size_t n, struct report_file *src,
		  struct report_file *rej, struct source_counts *counts, source_error_fn on_error,
		  const struct source_extras *x)
{
	report_header(src, SOURCES_HEADER);
	report_header(rej, REJECTS_HEADER);
	struct cursor *cur = xcalloc(n ? n : 1, sizeof *cur);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		cur[i].l = logs[i];
		cur[i].index = i;
		cur[i].rd = (struct spill_range){ .s = &logs[i]->row_spill,
						  .end = spill_size(&logs[i]->row_spill) };
		rc = cursor_next(&cur[i]);
	}
	while (rc == 0) {
		struct cursor *best = NULL;
		for (size_t i = 0; i < n; i++)
			if (cur[i].has && (!best || cur[i].in.seq < best->in.seq))
				best = &cur[i];
		if (!best)
			break;
		rc = merge_input(best, src, rej, counts, on_error, x);
	}
	for (size_t i = 0; i < n; i++) {
		free(cur[i].text);
		spill_range_finish(&cur[i].rd);
	}
	free(cur);
	return rc;
}
