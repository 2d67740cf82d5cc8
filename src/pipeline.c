/*
 * pipeline.c - the order of the stages, the workers, and the books.
 *
 * walk -> (per object, on a worker thread) inflate or archive -> record ->
 * attribute -> rollup; then merge the workers' tables and write the reports. Every line read ends up counted, rejected or filtered;
 * every object found ends up as a row of sources.csv.
 *
 * Memory does not grow with the number of objects: the walk streams, and
 * each worker writes its sources.csv rows and rejected lines to spill files
 * as it goes. Workers take inputs in walk order (a sequence number each), so
 * every worker's spill is in sequence order, and the reports are written by
 * merging the workers' spills on that number: the byte order of paths.
 */
#include "ledger/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ledger/archive.h"
#include "ledger/attribute.h"
#include "ledger/diag.h"
#include "ledger/inflate.h"
#include "ledger/manifest.h"
#include "ledger/prices.h"
#include "ledger/progress.h"
#include "ledger/record.h"
#include "ledger/report.h"
#include "ledger/rollup.h"
#include "ledger/spill.h"
#include "ledger/summary.h"
#include "ledger/walk.h"
#include "ledger/xalloc.h"

/* Archives inside archives are read, but not without end. */
#define MAX_ARCHIVE_DEPTH 4

enum source_status { STATUS_OK, STATUS_SKIPPED, STATUS_ERROR };
static const char *const status_names[] = { "ok", "skipped", "error" };

/* One row of sources.csv, while its input is being read. */
struct source_row {
	char *path;
	enum source_status status;
	char *reason;
	uint64_t bytes, records, rejected;
	bool has_ts;
	struct ts first, last;
	uint64_t order; /* among rows of the same path: member ordinal */
	/* its rejects: entries [reject_start, reject_start + rejected) of its
	 * worker's reject spill (one object is read by one worker in one go) */
	uint64_t reject_start;
};

/* A row as spilled; path and reason follow it. */
struct row_record {
	uint64_t bytes, records, rejected, reject_start;
	int64_t first_sec, last_sec;
	int32_t first_nsec, last_nsec;
	uint32_t path_len, reason_len;
	uint8_t status, has_ts;
};

/* An input as spilled: its sequence number and the number of rows that follow. */
struct input_record {
	uint64_t seq;
	uint64_t nrows;
};

/* A rejected line as spilled. */
struct reject_entry {
	uint64_t line;
	uint64_t why;
};

struct pipeline;

struct worker {
	struct pipeline *pl;
	pthread_t thread;
	struct inflater *z;
	struct record_parser *rp;
	struct attributor *at;
	struct rollup *app_day, *caller, *unresolved;
	struct source_row **rows; /* of the input being read */
	size_t nrows, cap_rows;
	struct spill row_spill;    /* input_record, row_record... per input */
	struct spill reject_spill; /* reject_entry per rejected line */
	uint64_t nrejects;
	struct source_row *cur; /* the object being parsed */
	uint64_t members;       /* rows made for the current input */
	uint64_t read, counted, rejected, filtered;
	unsigned char *heads[MAX_ARCHIVE_DEPTH + 1];
	struct str *key; /* scratch for rollup keys */
};

struct pipeline {
	const struct ledger_opts *o;
	struct manifest *manifest;
	struct price_table *prices;
	struct walker *walker; /* shared by the workers, under `lock` */
	pthread_mutex_t lock;
	uint64_t next_seq;
	uint64_t pruned;
	atomic_uint_fast64_t objects_done, bytes_done, records_done;
	struct worker *workers;
	unsigned nworkers;
};

/*
 * SIGINT, SIGTERM, SIGHUP. Until the reports are being written nothing needs
 * undoing (the output directory is untouched and the reject logs are already
 * unlinked), so the handler leaves at once. While they are written it only
 * raises a flag: write_reports then removes its temporary files instead of
 * renaming them, and the previous reports stay as they were.
 */
static volatile sig_atomic_t interrupted, writing;

static void on_signal(int sig)
{
	if (!writing) {
		static const char m[] = "bedrock-ledger: interrupted: no report written\n";
		ssize_t w = write(STDERR_FILENO, m, sizeof m - 1);
		(void)w;
		_exit(128 + sig);
	}
	interrupted = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void msg(const char *place, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
/* stderr gets paths and names from the inputs: control characters are escaped
 * so that they cannot drive the terminal. */
static void msg(const char *place, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	char line[8192];
	size_t k = 0;
	const char *parts[3] = { place, place ? ": " : NULL, text };
	for (int i = 0; i < 3; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; p && *p && k + 5 < sizeof line; p++) {
			if (*p < 0x20 || *p == 0x7f)
				k += (size_t)snprintf(line + k, sizeof line - k, "\\x%02x", *p);
			else
				line[k++] = (char)*p;
		}
	}
	line[k] = '\0';
	fprintf(stderr, "bedrock-ledger: %s\n", line);
}

/* ---- rows ---- */

static struct source_row *add_source(struct worker *w, const char *path)
{
	if (w->nrows == w->cap_rows) {
		w->cap_rows = w->cap_rows ? 2 * w->cap_rows : 64;
		w->rows = xrealloc(w->rows, w->cap_rows * sizeof *w->rows);
	}
	struct source_row *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->order = w->members++;
	w->rows[w->nrows++] = s;
	return s;
}

static void set_status(struct source_row *s, enum source_status st, const char *reason)
{
	s->status = st;
	free(s->reason);
	s->reason = reason ? xstrdup(reason) : NULL;
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

/* The rows of the input just read, sorted, to the worker's spill. */
static void spill_rows(struct worker *w, uint64_t seq)
{
	if (w->nrows > 1)
		qsort(w->rows, w->nrows, sizeof *w->rows, by_row);
	struct input_record ir = { seq, w->nrows };
	spill_write(&w->row_spill, &ir, sizeof ir);
	for (size_t i = 0; i < w->nrows; i++) {
		struct source_row *s = w->rows[i];
		struct row_record r = {
			.bytes = s->bytes, .records = s->records, .rejected = s->rejected,
			.reject_start = s->reject_start,
			.first_sec = s->first.sec, .last_sec = s->last.sec,
			.first_nsec = s->first.nsec, .last_nsec = s->last.nsec,
			.path_len = (uint32_t)strlen(s->path),
			.reason_len = s->reason ? (uint32_t)strlen(s->reason) : 0,
			.status = (uint8_t)s->status, .has_ts = s->has_ts,
		};
		spill_write(&w->row_spill, &r, sizeof r);
		spill_write(&w->row_spill, s->path, r.path_len);
		if (r.reason_len)
			spill_write(&w->row_spill, s->reason, r.reason_len);
		free(s->path);
		free(s->reason);
		free(s);
	}
	w->nrows = 0;
	w->members = 0;
}

static void add_reject(struct worker *w, uint64_t line, enum record_reject why)
{
	struct source_row *s = w->cur;
	if (s->rejected == 0)
		s->reject_start = w->nrejects;
	struct reject_entry e = { line, (uint64_t)why };
	spill_write(&w->reject_spill, &e, sizeof e);
	w->nrejects++;
	s->rejected++;
	w->rejected++;
}

/* ---- records ---- */

static bool in_window(const struct ledger_opts *o, struct ts t)
{
	if (o->has_since && ts_cmp(t, o->since) < 0)
		return false;
	if (o->has_until && ts_cmp(t, o->until) >= 0)
		return false;
	return true;
}

static void count(struct worker *w, const struct record *r)
{
	const struct pipeline *pl = w->pl;
	const struct attribution *at = attribute(w->at, r->model_id, r->region);
	enum problem problem = at->problem;
	money_t cost = 0;
	if (problem == PROBLEM_NONE && price_cost(at->price, r->tokens, &cost) != 0)
		problem = PROBLEM_NO_PRICE;
	bool unpriced = problem != PROBLEM_NONE;

	char day[11];
	ts_format_day(r->timestamp, day);
	size_t ngroup = pl->o->ngroup;
	struct str *key = w->key;
	key[0] = (struct str){ day, 10 };
	for (size_t g = 0; g < ngroup; g++)
		key[1 + g] = at->tags[g];
	key[1 + ngroup] = at->model;
	counters_add_record(rollup_get(w->app_day, key), r, unpriced, cost);

	key[0] = r->caller;
	key[1] = r->account_id;
	key[2] = str_from(route_name(at->route));
	key[3] = at->model;
	counters_add_record(rollup_get(w->caller, key), r, unpriced, cost);

	if (problem != PROBLEM_NONE) {
		key[0] = at->problem_model;
		key[1] = str_from(problem_name(problem));
		counters_add_record(rollup_get(w->unresolved, key), r, true, 0);
	}

	struct source_row *s = w->cur;
	if (!s->has_ts || ts_cmp(r->timestamp, s->first) < 0)
		s->first = r->timestamp;
	if (!s->has_ts || ts_cmp(r->timestamp, s->last) > 0)
		s->last = r->timestamp;
	s->has_ts = true;
	w->counted++;
}

static void on_record(void *ctx, const struct record *r)
{
	struct worker *w = ctx;
	w->cur->records++;
	w->read++;
	switch (r->reject) {
	case RECORD_TOO_LARGE:
	case RECORD_INVALID_JSON:
	case RECORD_NOT_AN_OBJECT:
	case RECORD_MISSING_TIMESTAMP:
	case RECORD_BAD_TIMESTAMP:
		add_reject(w, r->line, r->reject);
		return;
	default:
		break;
	}
	/* the window comes before the modelId and token checks: a record outside
	 * it is filtered whatever else is wrong with it, as it would be had its
	 * whole hour folder been skipped */
	if (!in_window(w->pl->o, r->timestamp)) {
		w->filtered++;
		return;
	}
	if (r->reject != RECORD_OK) {
		add_reject(w, r->line, r->reject);
		return;
	}
	count(w, r);
}

static void on_bytes(void *ctx, const char *buf, size_t n)
{
	struct worker *w = ctx;
	record_parser_feed(w->rp, buf, n);
}

/* ---- objects ---- */

static struct source_row *read_object(struct worker *w, const char *path,
				      struct byte_source *src, unsigned long long size, int depth);

struct member_ctx {
	struct worker *w;
	const char *archive_path;
	int depth;
};

static void on_member(void *ctx, const char *name, enum member_kind kind,
		      unsigned long long size, struct byte_source *data)
{
	struct member_ctx *m = ctx;
	struct worker *w = m->w;
	size_t n = strlen(m->archive_path) + strlen(name) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s!%s", m->archive_path, name);
	const char *skip = NULL;
	if (kind == MEMBER_DIRECTORY) {
		/* not an object: a directory in a tree has no row either */
		free(path);
		return;
	} else if (kind == MEMBER_LINK)
		skip = "link";
	else if (kind == MEMBER_OTHER)
		skip = "not-a-regular-file";
	else
		skip = walk_skip_reason(name, size);
	if (skip) {
		struct source_row *s = add_source(w, path);
		set_status(s, STATUS_SKIPPED, skip);
		s->bytes = size;
	} else {
		read_object(w, path, data, size, m->depth + 1);
	}
	free(path);
}

/* Reads one object (a log or an archive) and returns its row. */
static struct source_row *read_object(struct worker *w, const char *path,
				      struct byte_source *src, unsigned long long size, int depth)
{
	struct source_row *s = add_source(w, path);
	s->bytes = size;
	unsigned char *head = w->heads[depth];
	ssize_t n = byte_source_fill(src, head, INFLATE_HEAD_SIZE);
	if (n < 0) {
		char buf[300];
		snprintf(buf, sizeof buf, "read error: %s", src->error);
		set_status(s, STATUS_ERROR, buf);
		return s;
	}
	enum object_format fmt = inflater_sniff(w->z, head, (size_t)n);
	if (fmt == FORMAT_ARCHIVE) {
		if (depth >= MAX_ARCHIVE_DEPTH) {
			set_status(s, STATUS_ERROR, "archive nested too deeply");
			return s;
		}
		char err[320] = "";
		struct member_ctx m = { w, path, depth };
		if (archive_each(head, (size_t)n, src, on_member, &m, err, sizeof err) != 0)
			set_status(s, STATUS_ERROR, err);
		return s;
	}
	w->cur = s;
	record_parser_reset(w->rp);
	unsigned long long stored = 0;
	int rc = inflater_run(w->z, fmt, head, (size_t)n, src, on_bytes, w, &stored);
	record_parser_finish(w->rp);
	if (rc != 0)
		set_status(s, STATUS_ERROR, inflater_error(w->z));
	if (!size)
		s->bytes = stored;
	w->cur = NULL;
	return s;
}

static void read_input(struct worker *w, const struct input *in)
{
	if (in->kind == INPUT_SKIP || in->kind == INPUT_ERROR) {
		struct source_row *s = add_source(w, in->path);
		set_status(s, in->kind == INPUT_SKIP ? STATUS_SKIPPED : STATUS_ERROR, in->reason);
		s->bytes = in->size;
		return;
	}
	if (in->kind == INPUT_STDIN) {
		struct fd_source fs;
		fd_source_init(&fs, STDIN_FILENO);
		struct source_row *s = read_object(w, in->path, &fs.src, 0, 0);
		s->bytes = fs.count; /* stdin has no size: what was read */
		return;
	}
	int fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char buf[300];
		snprintf(buf, sizeof buf, "cannot open: %s", strerror(errno));
		struct source_row *s = add_source(w, in->path);
		set_status(s, STATUS_ERROR, buf);
		s->bytes = in->size;
		return;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	struct fd_source fs;
	fd_source_init(&fs, fd);
	read_object(w, in->path, &fs.src, in->size, 0);
	close(fd);
}

/*
 * With a time window, an object in an hour folder YYYY/MM/DD/HH that cannot
 * hold a record of the window is not opened. Objects are delivered after
 * their records, so an hour-H folder may hold records from H-1h up to H+1h.
 * Files named on the command line are always read.
 */
static bool outside_window(const struct ledger_opts *o, const struct input *in)
{
	struct ts h;
	if ((!o->has_since && !o->has_until) || in->kind != INPUT_FILE || in->named ||
	    walk_hour_folder(in->path, &h) != 0)
		return false;
	struct ts lo = { h.sec - 3600, 0 }, hi = { h.sec + 3600, 0 };
	return (o->has_since && ts_cmp(hi, o->since) <= 0) ||
	       (o->has_until && ts_cmp(lo, o->until) >= 0);
}

/* The next input in walk order, copied, with its sequence number; 0 at the end. */
static int next_input(struct pipeline *pl, struct input *in, char **path, char **reason,
		      uint64_t *seq)
{
	pthread_mutex_lock(&pl->lock);
	int r = walker_next(pl->walker, in);
	if (r) {
		*seq = pl->next_seq++;
		if (outside_window(pl->o, in)) {
			in->kind = INPUT_SKIP;
			in->reason = "outside-window";
			pl->pruned++;
		}
		*path = xstrdup(in->path);
		*reason = in->reason ? xstrdup(in->reason) : NULL;
		in->path = *path;
		in->reason = *reason;
	}
	pthread_mutex_unlock(&pl->lock);
	return r;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pipeline *pl = w->pl;
	struct input in;
	char *path, *reason;
	uint64_t seq;
	while (next_input(pl, &in, &path, &reason, &seq)) {
		uint64_t before = w->read;
		read_input(w, &in);
		spill_rows(w, seq);
		free(path);
		free(reason);
		atomic_fetch_add(&pl->bytes_done, in.kind == INPUT_FILE ? in.size : 0);
		atomic_fetch_add(&pl->records_done, w->read - before);
		atomic_fetch_add(&pl->objects_done, 1);
	}
	return NULL;
}

static void worker_init(struct worker *w, struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	memset(w, 0, sizeof *w);
	w->pl = pl;
	w->z = inflater_create();
	w->rp = record_parser_create(on_record, w);
	w->at = attributor_create(pl->manifest, pl->prices, o->group_by, o->ngroup);
	w->app_day = rollup_create(2 + o->ngroup);
	w->caller = rollup_create(4);
	w->unresolved = rollup_create(2);
	for (int d = 0; d <= MAX_ARCHIVE_DEPTH; d++)
		w->heads[d] = xmalloc(INFLATE_HEAD_SIZE);
	w->key = xcalloc(4 + o->ngroup, sizeof *w->key);
	spill_init(&w->row_spill);
	spill_init(&w->reject_spill);
}

static void worker_finish(struct worker *w)
{
	inflater_destroy(w->z);
	record_parser_destroy(w->rp);
	attributor_destroy(w->at);
	rollup_destroy(w->app_day);
	rollup_destroy(w->caller);
	rollup_destroy(w->unresolved);
	free(w->rows);
	spill_finish(&w->row_spill);
	spill_finish(&w->reject_spill);
	for (int d = 0; d <= MAX_ARCHIVE_DEPTH; d++)
		free(w->heads[d]);
	free(w->key);
}

/* ---- loading the tables ---- */

static int load_tables(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	pl->prices = prices_create();
	int rc = o->prices_path ? prices_load_file(pl->prices, o->prices_path)
				: prices_load_builtin(pl->prices);
	if (rc != 0) {
		diag_print(NULL, "%s", prices_error(pl->prices));
		return -1;
	}
	if (o->nmanifests) {
		pl->manifest = manifest_create();
		for (size_t i = 0; i < o->nmanifests; i++) {
			if (manifest_load_file(pl->manifest, o->manifests[i]) != 0) {
				diag_print(NULL, "%s", manifest_error(pl->manifest));
				return -1;
			}
		}
		if (!o->quiet)
			for (size_t i = 0; i < manifest_warning_count(pl->manifest); i++)
				diag_warn(NULL, "%s", manifest_warning(pl->manifest, i));
	}
	return 0;
}

/* ---- sorting and writing ---- */

static void write_counters(struct report_file *f, const struct counters *c, bool with_errors_and_cost)
{
	report_u64(f, c->invocations);
	if (with_errors_and_cost)
		report_u64(f, c->errors);
	report_u64(f, c->tokens[TOKEN_INPUT]);
	report_u64(f, c->tokens[TOKEN_OUTPUT]);
	report_u64(f, c->tokens[TOKEN_CACHE_READ]);
	report_u64(f, c->tokens[TOKEN_CACHE_WRITE]);
	if (with_errors_and_cost) {
		if (c->unpriced)
			report_empty(f);
		else
			report_money(f, c->cost);
	}
}

static void write_ts(struct report_file *f, bool has, struct ts t)
{
	if (!has) {
		report_empty(f);
		return;
	}
	char buf[21];
	ts_format(t, buf);
	report_cstr(f, buf);
}

/* A worker's spilled rows, read back one input at a time for the merge. */
struct row_cursor {
	struct worker *w;
	char *text; /* the current row's path and reason */
	size_t text_cap;
	uint64_t off;
	bool has;
	struct input_record in;
	uint64_t rows_off; /* where the current input's rows start */
};

static int cursor_next(struct row_cursor *c)
{
	c->has = false;
	if (c->off >= spill_size(&c->w->row_spill))
		return 0;
	if (spill_read_at(&c->w->row_spill, c->off, &c->in, sizeof c->in) != 0)
		return -1;
	c->rows_off = c->off + sizeof c->in;
	c->has = true;
	return 0;
}

/*
 * Writes the rows of the cursor's current input to sources.csv, its rejected
 * lines to rejects.csv, and counts them; moves the cursor past them.
 */
static int merge_input(struct row_cursor *c, struct report_file *src, struct report_file *rej,
		       struct run_totals *t)
{
	uint64_t off = c->rows_off;
	for (uint64_t i = 0; i < c->in.nrows; i++) {
		struct row_record r;
		if (spill_read_at(&c->w->row_spill, off, &r, sizeof r) != 0)
			return -1;
		off += sizeof r;
		size_t need = (size_t)r.path_len + r.reason_len + 2;
		if (need > c->text_cap) {
			c->text_cap = need;
			c->text = xrealloc(c->text, c->text_cap);
		}
		char *path = c->text, *reason = c->text + r.path_len + 1;
		if (spill_read_at(&c->w->row_spill, off, path, r.path_len) != 0 ||
		    spill_read_at(&c->w->row_spill, off + r.path_len, reason, r.reason_len) != 0)
			return -1;
		off += r.path_len + r.reason_len;
		path[r.path_len] = reason[r.reason_len] = '\0';

		report_cstr(src, path);
		report_cstr(src, status_names[r.status]);
		report_cstr(src, reason);
		report_u64(src, r.bytes);
		report_u64(src, r.records);
		report_u64(src, r.rejected);
		write_ts(src, r.has_ts, (struct ts){ r.first_sec, r.first_nsec });
		write_ts(src, r.has_ts, (struct ts){ r.last_sec, r.last_nsec });
		report_end_row(src);
		if (r.status == STATUS_OK) {
			t->objects_read++;
		} else if (r.status == STATUS_SKIPPED) {
			t->objects_skipped++;
		} else {
			t->objects_error++;
			msg(path, "%s", reason);
		}

		struct reject_entry batch[1024];
		for (uint64_t done = 0; done < r.rejected;) {
			size_t n = r.rejected - done < 1024 ? (size_t)(r.rejected - done) : 1024;
			if (spill_read_at(&c->w->reject_spill, (r.reject_start + done) * sizeof *batch, batch,
					  n * sizeof *batch) != 0)
				return -1;
			for (size_t k = 0; k < n; k++) {
				report_cstr(rej, path);
				report_u64(rej, batch[k].line);
				report_cstr(rej, record_reject_name((enum record_reject)batch[k].why));
				report_end_row(rej);
			}
			done += n;
		}
	}
	c->off = off;
	return cursor_next(c);
}

/* sources.csv and rejects.csv: the workers' spills merged in walk order. */
static int write_sources(struct pipeline *pl, struct report_file *src, struct report_file *rej,
			 struct run_totals *t)
{
	struct row_cursor *cur = xcalloc(pl->nworkers, sizeof *cur);
	int rc = 0;
	for (unsigned i = 0; i < pl->nworkers && rc == 0; i++) {
		cur[i].w = &pl->workers[i];
		rc = cursor_next(&cur[i]);
	}
	while (rc == 0) {
		struct row_cursor *best = NULL;
		for (unsigned i = 0; i < pl->nworkers; i++)
			if (cur[i].has && (!best || cur[i].in.seq < best->in.seq))
				best = &cur[i];
		if (!best)
			break;
		rc = merge_input(best, src, rej, t);
	}
	if (rc != 0)
		msg(NULL, "cannot read back a temporary file: %s", strerror(errno));
	for (unsigned i = 0; i < pl->nworkers; i++)
		free(cur[i].text);
	free(cur);
	return rc;
}

static int write_reports(struct pipeline *pl, struct worker *all, struct run_totals *t)
{
	const struct ledger_opts *o = pl->o;
	char err[512];
	struct report_set *set = report_set_create(o->out_dir, err, sizeof err);
	if (!set) {
		msg(NULL, "%s", err);
		return -1;
	}
	struct report_file *f;
	int rc = -1;

	if (!(f = report_open(set, "app_day.csv")))
		goto fail;
	report_cstr(f, "day");
	for (size_t g = 0; g < o->ngroup; g++)
		report_cstr(f, o->group_by[g]);
	report_header(f, ",model,invocations,errors,input_tokens,output_tokens,cache_read_tokens,"
			 "cache_write_tokens,cost_usd");
	struct rollup_row *rows = rollup_sorted(all->app_day);
	for (size_t i = 0; i < rollup_count(all->app_day); i++) {
		for (size_t k = 0; k < 2 + o->ngroup; k++)
			report_text(f, rows[i].key[k]);
		write_counters(f, rows[i].c, true);
		report_end_row(f);
	}
	free(rows);

	if (!(f = report_open(set, "caller.csv")))
		goto fail;
	report_header(f, "caller,account_id,route,model,invocations,errors,input_tokens,output_tokens,"
			 "cache_read_tokens,cache_write_tokens,cost_usd,first_seen,last_seen");
	rows = rollup_sorted(all->caller);
	for (size_t i = 0; i < rollup_count(all->caller); i++) {
		for (size_t k = 0; k < 4; k++)
			report_text(f, rows[i].key[k]);
		write_counters(f, rows[i].c, true);
		write_ts(f, rows[i].c->seen, rows[i].c->first);
		write_ts(f, rows[i].c->seen, rows[i].c->last);
		report_end_row(f);
	}
	free(rows);

	if (!(f = report_open(set, "unresolved.csv")))
		goto fail;
	report_header(f, "model_id,problem,invocations,input_tokens,output_tokens,cache_read_tokens,"
			 "cache_write_tokens");
	rows = rollup_sorted(all->unresolved);
	for (size_t i = 0; i < rollup_count(all->unresolved); i++) {
		report_text(f, rows[i].key[0]);
		report_text(f, rows[i].key[1]);
		write_counters(f, rows[i].c, false);
		report_end_row(f);
	}
	free(rows);

	struct report_file *src = report_open(set, "sources.csv");
	if (!src)
		goto fail;
	report_header(src, "path,status,reason,bytes,records,rejected,first_timestamp,last_timestamp");
	if (!(f = report_open(set, "rejects.csv")))
		goto fail;
	report_header(f, "path,line,reason");
	if (write_sources(pl, src, f, t) != 0)
		goto done;

	if (interrupted) /* before anything replaces the previous reports */
		goto done;
	if (report_set_commit(set) != 0)
		goto fail;
	rc = 0;
	goto done;
fail:
	msg(NULL, "%s", report_set_error(set));
done:
	report_set_destroy(set);
	return rc;
}

/* ---- the run ---- */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* For the progress line: how many objects and bytes the walk will give. */
static void count_inputs(const struct ledger_opts *o, uint64_t *objects, uint64_t *bytes)
{
	struct walker *w = walker_create(o->paths, o->npaths);
	struct input in;
	*objects = *bytes = 0;
	while (walker_next(w, &in)) {
		(*objects)++;
		if (in.kind == INPUT_FILE && !outside_window(o, &in))
			*bytes += in.size;
	}
	walker_destroy(w);
}

static void totals_from_unresolved(struct run_totals *t, const struct rollup *unresolved)
{
	struct rollup_row *rows = rollup_sorted(unresolved);
	for (size_t i = 0; i < rollup_count(unresolved); i++) {
		counters_merge(&t->unpriced, rows[i].c);
		struct str p = rows[i].key[1];
		if (str_eq(p, str_from(problem_name(PROBLEM_NOT_IN_MANIFEST))) ||
		    str_eq(p, str_from(problem_name(PROBLEM_NO_MODEL))))
			counters_merge(&t->unattributed, rows[i].c);
		if (str_eq(p, str_from(problem_name(PROBLEM_NOT_IN_MANIFEST))))
			t->profiles_missing++;
	}
	free(rows);
}

enum ledger_exit pipeline_run(const struct ledger_opts *o)
{
	struct pipeline pl = { .o = o };
	enum ledger_exit status = LEDGER_EXIT_OK;

	catch_signals();
	pl.walker = walker_create(o->paths, o->npaths);
	if (walker_missing_count(pl.walker)) {
		for (size_t i = 0; i < walker_missing_count(pl.walker); i++)
			msg(walker_missing(pl.walker, i), "no such file or directory");
		walker_destroy(pl.walker);
		return LEDGER_EXIT_IO;
	}
	if (load_tables(&pl) != 0) {
		status = LEDGER_EXIT_USAGE;
		goto out;
	}

	uint64_t objects_total = 0, bytes_total = 0;
	if (o->progress)
		count_inputs(o, &objects_total, &bytes_total);

	unsigned nworkers = o->jobs ? o->jobs : 1;
	pthread_mutex_init(&pl.lock, NULL);
	pl.workers = xcalloc(nworkers, sizeof *pl.workers);
	pl.nworkers = nworkers;
	for (unsigned i = 0; i < nworkers; i++)
		worker_init(&pl.workers[i], &pl);
	struct worker *w0 = &pl.workers[0];

	double t0 = now();
	if (nworkers == 1 && !o->progress) {
		worker_main(w0);
	} else {
		for (unsigned i = 0; i < nworkers; i++)
			pthread_create(&pl.workers[i].thread, NULL, worker_main, &pl.workers[i]);
		if (o->progress) {
			struct timespec tick = { 0, 200 * 1000 * 1000 };
			while (atomic_load(&pl.objects_done) < objects_total) {
				nanosleep(&tick, NULL);
				struct progress_state ps = {
					.objects_done = atomic_load(&pl.objects_done),
					.objects_total = objects_total,
					.bytes_done = atomic_load(&pl.bytes_done),
					.bytes_total = bytes_total,
					.records = atomic_load(&pl.records_done),
					.elapsed = now() - t0,
				};
				progress_draw(stderr, &ps);
			}
			progress_clear(stderr);
		}
		for (unsigned i = 0; i < nworkers; i++)
			pthread_join(pl.workers[i].thread, NULL);
	}

	/* merge in worker order */
	struct run_totals t = { .objects_pruned = pl.pruned };
	for (unsigned i = 0; i < nworkers; i++) {
		struct worker *w = &pl.workers[i];
		if (i > 0) {
			rollup_merge(w0->app_day, w->app_day);
			rollup_merge(w0->caller, w->caller);
			rollup_merge(w0->unresolved, w->unresolved);
		}
		t.records_read += w->read;
		t.counted += w->counted;
		t.rejected += w->rejected;
		t.filtered += w->filtered;
	}

	writing = 1;
	if (write_reports(&pl, w0, &t) != 0) {
		status = LEDGER_EXIT_IO;
		if (interrupted) {
			msg(NULL, "interrupted: no report written, the previous ones are as they were");
			status = 128 + interrupted;
		}
	} else {
		struct rollup_row *rows = rollup_sorted(w0->caller);
		for (size_t i = 0; i < rollup_count(w0->caller); i++)
			counters_merge(&t.all, rows[i].c);
		free(rows);
		t.has_period = t.all.seen;
		t.first = t.all.first;
		t.last = t.all.last;
		totals_from_unresolved(&t, w0->unresolved);
		char pname[64];
		if (o->prices_path) {
			t.prices_name = o->prices_path;
		} else {
			snprintf(pname, sizeof pname, "built-in (%s)", prices_builtin_date());
			t.prices_name = pname;
		}
		if (!o->prices_path && t.has_period) {
			char last[11];
			ts_format_day(t.last, last);
			if (strcmp(last, prices_builtin_date()) > 0)
				msg(NULL, "warning: records run to %s, after the built-in price table's date (%s);"
				    " prices may have changed since: see --print-prices and --prices",
				    last, prices_builtin_date());
		}
		if (!o->quiet)
			summary_print(stdout, &t, w0->app_day, o->ngroup, o->group_by, w0->caller,
				      o->out_dir);
		if (o->strict && (t.rejected || t.objects_error))
			status = LEDGER_EXIT_STRICT;
	}

	for (unsigned i = 0; i < nworkers; i++)
		worker_finish(&pl.workers[i]);
	free(pl.workers);
	pthread_mutex_destroy(&pl.lock);
out:
	manifest_destroy(pl.manifest);
	prices_destroy(pl.prices);
	walker_destroy(pl.walker);
	return status;
}
