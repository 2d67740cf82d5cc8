/*
 * pipeline.c - the order of the stages, the workers, and the books.
 *
 * walk -> (per object, on a worker thread) inflate or archive -> record ->
 * attribute -> rollup; then merge the workers' tables in worker order and
 * write the reports. Every line read ends up counted, rejected or filtered;
 * every object found ends up as a row of sources.csv.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ledger/archive.h"
#include "ledger/attribute.h"
#include "ledger/inflate.h"
#include "ledger/manifest.h"
#include "ledger/prices.h"
#include "ledger/progress.h"
#include "ledger/record.h"
#include "ledger/report.h"
#include "ledger/rollup.h"
#include "ledger/summary.h"
#include "ledger/walk.h"
#include "ledger/xalloc.h"

/* Archives inside archives are read, but not without end. */
#define MAX_ARCHIVE_DEPTH 4

enum source_status { STATUS_OK, STATUS_SKIPPED, STATUS_ERROR };
static const char *const status_names[] = { "ok", "skipped", "error" };

/* One row of sources.csv. */
struct source_row {
	char *path;
	enum source_status status;
	char *reason;
	uint64_t bytes, records, rejected;
	bool has_ts;
	struct ts first, last;
	/* order among rows of the same path: input index, then member ordinal */
	uint64_t order;
	/* its rejects: entries [reject_start, reject_start + rejected) of the
	 * reject log of worker `worker` (one object is read by one worker, in
	 * one go, so they are contiguous) */
	unsigned worker;
	uint64_t reject_start;
};

/*
 * A worker's rejected lines, in the order they came. Kept in an unlinked
 * temporary file, not in memory, so that a file of a billion bad lines costs
 * disk, not RAM; in memory only if no temporary file can be made.
 */
struct reject_entry {
	uint64_t line;
	uint64_t why;
};

struct reject_log {
	FILE *fp;
	struct reject_entry *mem;
	size_t cap;
	uint64_t n;
};

struct pipeline;

struct worker {
	struct pipeline *pl;
	pthread_t thread;
	struct inflater *z;
	struct record_parser *rp;
	struct attributor *at;
	struct rollup *app_day, *caller, *unresolved;
	struct source_row **sources;
	size_t nsources, cap_sources;
	struct reject_log rejects;
	unsigned index;
	struct source_row *cur; /* the object being parsed */
	uint64_t order_base;    /* of the input being read */
	uint64_t members;       /* members seen in the current input */
	uint64_t read, counted, rejected, filtered;
	unsigned char *heads[MAX_ARCHIVE_DEPTH + 1];
	struct str *key; /* scratch for rollup keys */
};

struct pipeline {
	const struct ledger_opts *o;
	struct manifest *manifest;
	struct price_table *prices;
	struct input_list inputs;
	size_t *queue; /* indexes of inputs to read, biggest first */
	size_t nqueue;
	atomic_size_t next;
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
static void msg(const char *place, const char *fmt, ...)
{
	va_list ap;
	if (place)
		fprintf(stderr, "bedrock-ledger: %s: ", place);
	else
		fprintf(stderr, "bedrock-ledger: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- rows ---- */

static struct source_row *add_source(struct worker *w, const char *path, uint64_t order)
{
	if (w->nsources == w->cap_sources) {
		w->cap_sources = w->cap_sources ? 2 * w->cap_sources : 64;
		w->sources = xrealloc(w->sources, w->cap_sources * sizeof *w->sources);
	}
	struct source_row *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->order = order;
	w->sources[w->nsources++] = s;
	return s;
}

static void set_status(struct source_row *s, enum source_status st, const char *reason)
{
	s->status = st;
	free(s->reason);
	s->reason = reason ? xstrdup(reason) : NULL;
}

static void reject_log_open(struct reject_log *log)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/bedrock-ledger-rejects.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd >= 0) {
		unlink(path);
		log->fp = fdopen(fd, "w+");
	}
}

static void reject_log_add(struct reject_log *log, uint64_t line, enum record_reject why)
{
	struct reject_entry e = { line, (uint64_t)why };
	if (log->fp && fwrite(&e, sizeof e, 1, log->fp) == 1) {
		log->n++;
		return;
	}
	if (log->fp) { /* the disk is full: go on in memory */
		fflush(log->fp);
		if (log->n > log->cap) {
			log->mem = xrealloc(log->mem, (size_t)log->n * sizeof *log->mem);
			rewind(log->fp);
			if (fread(log->mem, sizeof *log->mem, (size_t)log->n, log->fp) != log->n)
				memset(log->mem, 0, (size_t)log->n * sizeof *log->mem);
			log->cap = (size_t)log->n;
		}
		fclose(log->fp);
		log->fp = NULL;
	}
	if (log->n == log->cap) {
		log->cap = log->cap ? 2 * log->cap : 256;
		log->mem = xrealloc(log->mem, log->cap * sizeof *log->mem);
	}
	log->mem[log->n++] = e;
}

/* Reads entries [start, start + n) into out; returns 0 or -1. */
static int reject_log_read(struct reject_log *log, uint64_t start, size_t n, struct reject_entry *out)
{
	if (!log->fp) {
		memcpy(out, log->mem + start, n * sizeof *out);
		return 0;
	}
	if (fseeko(log->fp, (off_t)(start * sizeof *out), SEEK_SET) != 0)
		return -1;
	return fread(out, sizeof *out, n, log->fp) == n ? 0 : -1;
}

static void reject_log_close(struct reject_log *log)
{
	if (log->fp)
		fclose(log->fp);
	free(log->mem);
}

static void add_reject(struct worker *w, uint64_t line, enum record_reject why)
{
	struct source_row *s = w->cur;
	if (s->rejected == 0) {
		s->worker = w->index;
		s->reject_start = w->rejects.n;
	}
	reject_log_add(&w->rejects, line, why);
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
		key[0] = problem == PROBLEM_NO_PRICE ? at->model : at->problem_model;
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
		struct source_row *s = add_source(w, path, w->order_base + ++w->members);
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
	struct source_row *s = add_source(w, path, w->order_base + ++w->members);
	s->bytes = size;
	unsigned char *head = w->heads[depth];
	ssize_t n = byte_source_fill(src, head, INFLATE_HEAD_SIZE);
	if (n < 0) {
		char buf[300];
		snprintf(buf, sizeof buf, "read error: %s", src->error);
		set_status(s, STATUS_ERROR, buf);
		return s;
	}
	enum object_format fmt = inflate_sniff(head, (size_t)n);
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

static void read_input(struct worker *w, size_t index)
{
	struct pipeline *pl = w->pl;
	const struct input *in = &pl->inputs.v[index];
	w->order_base = (uint64_t)index << 32;
	w->members = 0;
	if (in->kind == INPUT_STDIN) {
		struct fd_source fs;
		fd_source_init(&fs, STDIN_FILENO);
		struct source_row *s = read_object(w, in->path, &fs.src, 0, 0);
		s->bytes = fs.count; /* stdin has no size: what was read */
		return;
	}
	int fd = open(in->fs_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char buf[300];
		snprintf(buf, sizeof buf, "cannot open: %s", strerror(errno));
		struct source_row *s = add_source(w, in->path, w->order_base);
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

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pipeline *pl = w->pl;
	for (;;) {
		size_t i = atomic_fetch_add(&pl->next, 1);
		if (i >= pl->nqueue)
			break;
		uint64_t before = w->read;
		read_input(w, pl->queue[i]);
		atomic_fetch_add(&pl->bytes_done, pl->inputs.v[pl->queue[i]].size);
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
	reject_log_open(&w->rejects);
}

static void worker_finish(struct worker *w)
{
	inflater_destroy(w->z);
	record_parser_destroy(w->rp);
	attributor_destroy(w->at);
	rollup_destroy(w->app_day);
	rollup_destroy(w->caller);
	rollup_destroy(w->unresolved);
	for (size_t i = 0; i < w->nsources; i++) {
		free(w->sources[i]->path);
		free(w->sources[i]->reason);
		free(w->sources[i]);
	}
	free(w->sources);
	reject_log_close(&w->rejects);
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
		msg(NULL, "%s", prices_error(pl->prices));
		return -1;
	}
	if (o->nmanifests) {
		pl->manifest = manifest_create();
		for (size_t i = 0; i < o->nmanifests; i++) {
			if (manifest_load_file(pl->manifest, o->manifests[i]) != 0) {
				msg(NULL, "%s", manifest_error(pl->manifest));
				return -1;
			}
		}
		if (!o->quiet)
			for (size_t i = 0; i < manifest_warning_count(pl->manifest); i++)
				msg(NULL, "warning: %s", manifest_warning(pl->manifest, i));
	}
	return 0;
}

/* ---- sorting and writing ---- */

static int by_source(const void *a, const void *b)
{
	const struct source_row *x = *(const struct source_row *const *)a;
	const struct source_row *y = *(const struct source_row *const *)b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return (x->order > y->order) - (x->order < y->order);
}

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

static int write_reports(struct pipeline *pl, struct worker *all, struct source_row **sources,
			 size_t nsources)
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

	if (!(f = report_open(set, "sources.csv")))
		goto fail;
	report_header(f, "path,status,reason,bytes,records,rejected,first_timestamp,last_timestamp");
	for (size_t i = 0; i < nsources; i++) {
		const struct source_row *s = sources[i];
		report_cstr(f, s->path);
		report_cstr(f, status_names[s->status]);
		report_cstr(f, s->reason ? s->reason : "");
		report_u64(f, s->bytes);
		report_u64(f, s->records);
		report_u64(f, s->rejected);
		write_ts(f, s->has_ts, s->first);
		write_ts(f, s->has_ts, s->last);
		report_end_row(f);
	}

	if (!(f = report_open(set, "rejects.csv")))
		goto fail;
	report_header(f, "path,line,reason");
	struct reject_entry batch[4096];
	for (size_t i = 0; i < nsources; i++) {
		const struct source_row *s = sources[i];
		struct reject_log *log = &pl->workers[s->worker].rejects;
		for (uint64_t done = 0; done < s->rejected;) {
			size_t n = s->rejected - done < 4096 ? (size_t)(s->rejected - done) : 4096;
			if (reject_log_read(log, s->reject_start + done, n, batch) != 0) {
				msg(NULL, "cannot read back the rejects: %s", strerror(errno));
				goto done;
			}
			for (size_t k = 0; k < n; k++) {
				report_cstr(f, s->path);
				report_u64(f, batch[k].line);
				report_cstr(f, record_reject_name((enum record_reject)batch[k].why));
				report_end_row(f);
			}
			done += n;
		}
	}

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

/* ---- pruning ---- */

/*
 * With a time window, an object in an hour folder YYYY/MM/DD/HH that cannot
 * hold a record of the window is not opened. Objects are delivered after
 * their records, so an hour-H folder may hold records from H-1h up to H+1h.
 * Files named on the command line are always read.
 */
static uint64_t prune_by_hour_folder(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	if (!o->has_since && !o->has_until)
		return 0;
	uint64_t pruned = 0;
	for (size_t i = 0; i < pl->inputs.n; i++) {
		struct input *in = &pl->inputs.v[i];
		struct ts h;
		if (in->kind != INPUT_FILE || in->named || walk_hour_folder(in->path, &h) != 0)
			continue;
		struct ts lo = { h.sec - 3600, 0 }, hi = { h.sec + 3600, 0 };
		if ((o->has_since && ts_cmp(hi, o->since) <= 0) ||
		    (o->has_until && ts_cmp(lo, o->until) >= 0)) {
			in->kind = INPUT_SKIP;
			in->reason = xstrdup("outside-window");
			pruned++;
		}
	}
	return pruned;
}

/* ---- the run ---- */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t *size_order_inputs; /* for by_size: qsort has no context */
static const struct input *size_inputs;

static int by_size(const void *a, const void *b)
{
	const struct input *x = &size_inputs[*(const size_t *)a];
	const struct input *y = &size_inputs[*(const size_t *)b];
	if (x->size != y->size)
		return x->size < y->size ? 1 : -1; /* biggest first: no straggler at the end */
	return strcmp(x->path, y->path);
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
	walk_paths(o->paths, o->npaths, &pl.inputs);
	if (pl.inputs.nmissing) {
		for (size_t i = 0; i < pl.inputs.nmissing; i++)
			msg(pl.inputs.missing[i], "no such file or directory");
		walk_list_free(&pl.inputs);
		return LEDGER_EXIT_IO;
	}
	if (load_tables(&pl) != 0) {
		status = LEDGER_EXIT_USAGE;
		goto out;
	}

	unsigned nworkers = o->jobs ? o->jobs : 1;
	pl.queue = xcalloc(pl.inputs.n ? pl.inputs.n : 1, sizeof *pl.queue);
	uint64_t bytes_total = 0;
	uint64_t pruned = prune_by_hour_folder(&pl);
	for (size_t i = 0; i < pl.inputs.n; i++) {
		enum input_kind k = pl.inputs.v[i].kind;
		if (k == INPUT_FILE || k == INPUT_STDIN) {
			pl.queue[pl.nqueue++] = i;
			bytes_total += pl.inputs.v[i].size;
		}
	}
	size_inputs = pl.inputs.v;
	(void)size_order_inputs;
	qsort(pl.queue, pl.nqueue, sizeof *pl.queue, by_size);
	if (nworkers > pl.nqueue)
		nworkers = pl.nqueue ? (unsigned)pl.nqueue : 1;

	pl.workers = xcalloc(nworkers, sizeof *pl.workers);
	pl.nworkers = nworkers;
	for (unsigned i = 0; i < nworkers; i++) {
		worker_init(&pl.workers[i], &pl);
		pl.workers[i].index = i;
	}

	/* skipped and unlistable inputs become rows at once, on worker 0 */
	struct worker *w0 = &pl.workers[0];
	for (size_t i = 0; i < pl.inputs.n; i++) {
		const struct input *in = &pl.inputs.v[i];
		if (in->kind != INPUT_SKIP && in->kind != INPUT_ERROR)
			continue;
		struct source_row *s = add_source(w0, in->path, (uint64_t)i << 32);
		set_status(s, in->kind == INPUT_SKIP ? STATUS_SKIPPED : STATUS_ERROR, in->reason);
		s->bytes = in->size;
	}

	double t0 = now();
	if (nworkers == 1 && !o->progress) {
		worker_main(w0);
	} else {
		for (unsigned i = 0; i < nworkers; i++)
			pthread_create(&pl.workers[i].thread, NULL, worker_main, &pl.workers[i]);
		if (o->progress) {
			struct timespec tick = { 0, 200 * 1000 * 1000 };
			while (atomic_load(&pl.objects_done) < pl.nqueue) {
				nanosleep(&tick, NULL);
				struct progress_state ps = {
					.objects_done = atomic_load(&pl.objects_done),
					.objects_total = pl.nqueue,
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
	struct run_totals t = { .objects_pruned = pruned };
	size_t nsources = 0;
	for (unsigned i = 0; i < nworkers; i++)
		nsources += pl.workers[i].nsources;
	struct source_row **sources = xcalloc(nsources ? nsources : 1, sizeof *sources);
	size_t ks = 0;
	for (unsigned i = 0; i < nworkers; i++) {
		struct worker *w = &pl.workers[i];
		if (i > 0) {
			rollup_merge(w0->app_day, w->app_day);
			rollup_merge(w0->caller, w->caller);
			rollup_merge(w0->unresolved, w->unresolved);
		}
		if (w->nsources)
			memcpy(sources + ks, w->sources, w->nsources * sizeof *sources);
		ks += w->nsources;
		if (w->rejects.fp)
			fflush(w->rejects.fp);
		t.records_read += w->read;
		t.counted += w->counted;
		t.rejected += w->rejected;
		t.filtered += w->filtered;
	}
	qsort(sources, nsources, sizeof *sources, by_source);
	for (size_t i = 0; i < nsources; i++) {
		const struct source_row *s = sources[i];
		if (s->status == STATUS_OK) {
			t.objects_read++;
		} else if (s->status == STATUS_SKIPPED) {
			t.objects_skipped++;
		} else {
			t.objects_error++;
			msg(s->path, "%s", s->reason);
		}
	}

	writing = 1;
	if (write_reports(&pl, w0, sources, nsources) != 0) {
		status = LEDGER_EXIT_IO;
		if (interrupted) {
			msg(NULL, "interrupted: no report written, the previous ones are as they were");
			status = 128 + interrupted;
		}
		status = LEDGER_EXIT_IO;
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

	free(sources);
	for (unsigned i = 0; i < nworkers; i++)
		worker_finish(&pl.workers[i]);
	free(pl.workers);
	free(pl.queue);
out:
	manifest_destroy(pl.manifest);
	prices_destroy(pl.prices);
	walk_list_free(&pl.inputs);
	return status;
}
