/*
 * worker.c - one input read to its end: objects, records, and their fate;
 * counted records into facts, facts through the ledger into the views.
 */
#include "ledger/run/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/read/inflate.h"
#include "ledger/read/record.h"
#include "ledger/read/source.h"
#include "ledger/read/unpack.h"
#include "ledger/support/xalloc.h"

/* ---- records ---- */

/*
 * A cell of an object just read, or taken from the state, goes to the
 * ledger as it is when it lies inside the window: with --state an object's
 * cells are made before the window and split at its bounds
 * (bedrock-ledger(1), STATE), so each lies wholly inside or outside it.
 */
static void fold(void *ctx, const struct str *key, const struct counters *c)
{
	struct worker *w = ctx;
	if (window_contains(&w->cfg->window, c->first))
		ledger_hold(&w->ledger, key, c); /* a cell already: no fact table */
}

static void count(struct worker *w, const struct record *r, bool in)
{
	fact_key_set(&w->key, w->cfg->facts, r);
	struct rollup *cells = w->sw ? state_capture_cells(w->sw) : NULL;
	if (cells) {
		const struct counters *cell = facts_add(cells, &w->key, r);
		unsigned char id[DUPES_HASH_SIZE];
		/* a warm run counts duplicates as this one does; 64 hashes a cell (1.5 MiB) */
		size_t ids = dupes_hash(r, id) ? state_capture_id(w->sw, cell, id) : 0;
		if (ids >= 64 * w->fact_cells || rollup_count(cells) >= w->fact_cells)
			state_capture_flush(w->sw, w->cur, fold, w);
		if (!in) {
			w->n.filtered++;
			return;
		}
	} else {
		facts_add(w->facts, &w->key, r);
		if (rollup_count(w->facts) >= w->fact_cells)
			ledger_try_flush(&w->ledger, w->facts);
	}
	views_saw(&w->coverage, r, false);
	source_row_saw(w->cur, r->timestamp);
	w->n.counted++;
	w->n.ignored_1h += r->cache_write_1h_ignored;
}

/* late: a record that only the window decides about (the state keeps its timestamp). */
static void reject(struct worker *w, const struct record *r, bool late, bool in)
{
	if (w->sw)
		state_capture_reject(w->sw, w->cur, r->line, r->reject, late ? r : NULL);
	if (!in) {
		w->n.filtered++;
		return;
	}
	if (late)
		views_saw(&w->coverage, r, true);
	source_log_reject(&w->log, w->cur, r->line, r->reject);
	w->n.rejected++;
}

/* bedrock-ledger-formats(5), RECORDS: rejected, filtered or counted. */
static void on_record(void *ctx, const struct record *r)
{
	struct worker *w = ctx;
	w->cur->records++;
	w->n.read++;
	switch (r->reject) {
	case RECORD_TOO_LARGE:
	case RECORD_INVALID_JSON:
	case RECORD_NOT_AN_OBJECT:
	case RECORD_MISSING_TIMESTAMP:
	case RECORD_BAD_TIMESTAMP:
		reject(w, r, false, true);
		return;
	default:
		break;
	}
	if (!w->n.seen || ts_cmp(r->timestamp, w->n.first) < 0)
		w->n.first = r->timestamp;
	if (!w->n.seen || ts_cmp(r->timestamp, w->n.last) > 0)
		w->n.last = r->timestamp;
	w->n.seen = true;
	/* the window comes before the modelId and token checks: a record outside
	 * it is filtered whatever else is wrong with it, as it would be had its
	 * whole hour folder been skipped */
	bool in = window_contains(&w->cfg->window, r->timestamp);
	if (r->reject != RECORD_OK) {
		reject(w, r, true, in);
		return;
	}
	if (!in && !(w->sw && state_capture_cells(w->sw))) {
		w->n.filtered++;
		return;
	}
	if (in && dupes_note(&w->dupes, r, w->seq, w->cur->order)) {
		views_saw(&w->coverage, r, false); /* coverage counts every record read, now */
		return; /* --dedupe: counted once known not to be a duplicate (count_kept) */
	}
	count(w, r, in);
}

/* A record kept back: counted after all, unless a duplicate; coverage has seen it. */
static void count_kept(void *ctx, const struct record *r, struct source_row *row, bool duplicate)
{
	struct worker *w = ctx;
	if (duplicate)
		return;
	const struct views_config *seen = w->coverage.cfg;
	w->coverage.cfg = NULL; /* views_saw: nothing */
	w->cur = row;
	count(w, r, true);
	w->cur = NULL;
	w->coverage.cfg = seen;
}

int worker_count_kept(struct worker *w)
{
	if (!w->facts) /* worker_end gave it back */
		w->facts = rollup_create(w->cfg->facts->nfields);
	int rc = dupes_replay(&w->dupes, count_kept, w);
	worker_end(w);
	return rc;
}

static void on_bytes(void *ctx, const char *buf, size_t n)
{
	struct worker *w = ctx;
	record_parser_feed(w->rp, buf, n);
	atomic_store_explicit(&w->records_seen, w->n.read, memory_order_relaxed);
}

/* ---- objects ---- */

static struct source_row *read_object(struct worker *w, const char *path, struct byte_source *src,
				      unsigned long long size, int depth);

struct member_ctx {
	struct worker *w;
	const char *archive_path;
	int depth;
};

static void on_member(void *ctx, const char *name, enum member_kind kind, unsigned long long size,
		      struct byte_source *data)
{
	struct member_ctx *m = ctx;
	struct worker *w = m->w;
	if (kind == MEMBER_DIRECTORY)
		return; /* not an object: a directory in a tree has no row either */
	size_t n = strlen(m->archive_path) + strlen(name) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s!%s", m->archive_path, name);
	const char *skip;
	if (kind == MEMBER_LINK)
		skip = "link";
	else if (kind == MEMBER_OTHER)
		skip = "not-a-regular-file";
	else
		skip = walk_skip_reason(name, size);
	if (skip) {
		struct source_row *s = source_log_add(&w->log, path);
		source_row_set(s, SOURCE_SKIPPED, skip);
		s->bytes = size;
	} else {
		read_object(w, path, data, size, m->depth + 1);
	}
	free(path);
}

/* Reads one object (a log or an archive) and returns its row. */
static struct source_row *read_stored(struct worker *w, const char *path, struct byte_source *src,
				      unsigned long long size, int depth)
{
	struct source_row *s = source_log_add(&w->log, path);
	s->bytes = size;
	unsigned char *head = w->heads[depth];
	ssize_t n = byte_source_fill(src, head, INFLATE_HEAD_SIZE);
	if (n < 0) {
		diag_prefix(&src->diag, "read error");
		source_row_set(s, SOURCE_ERROR, diag_msg(&src->diag));
		diag_clear(&src->diag);
		return s;
	}
	enum object_format fmt = inflater_sniff(w->z, head, (size_t)n);
	if (fmt == FORMAT_ARCHIVE) {
		if (depth >= WORKER_MAX_ARCHIVE_DEPTH) {
			source_row_set(s, SOURCE_ERROR, "archive nested too deeply");
			return s;
		}
		struct diag d = DIAG_INIT;
		struct member_ctx m = { w, path, depth };
		if (unpack_members(head, (size_t)n, src, on_member, &m, &d) != 0)
			source_row_set(s, SOURCE_ERROR, diag_msg(&d));
		diag_clear(&d);
		return s;
	}
	w->cur = s;
	views_object(&w->coverage);
	record_parser_reset(w->rp);
	unsigned long long stored = 0;
	int rc = inflater_run(w->z, fmt, head, (size_t)n, src, on_bytes, w, &stored);
	record_parser_finish(w->rp);
	if (w->sw)
		state_capture_flush(w->sw, s, fold, w);
	if (rc != 0)
		source_row_set(s, SOURCE_ERROR, inflater_error(w->z));
	if (!size)
		s->bytes = stored;
	w->cur = NULL;
	return s;
}

/* read_stored, and with --hash the SHA-256 of every stored byte, hashed as it is read. */
static struct source_row *read_object(struct worker *w, const char *path, struct byte_source *src,
				      unsigned long long size, int depth)
{
	if (!w->cfg->hash)
		return read_stored(w, path, src, size, depth);
	struct hash_source hs;
	hash_source_init(&hs, src, w->sha[depth]);
	sha256_reset(w->sha[depth]);
	struct source_row *s = read_stored(w, path, &hs.src, size, depth);
	if (s->status != SOURCE_ERROR && byte_source_drain(&hs.src) == 0) {
		sha256_final(w->sha[depth], s->sha256);
		s->has_sha256 = true;
	}
	diag_clear(&hs.src.diag);
	return s;
}

static void read_input(struct worker *w, const struct input *in)
{
	if (in->kind == INPUT_SKIP || in->kind == INPUT_ERROR) {
		struct source_row *s = source_log_add(&w->log, in->path);
		source_row_set(s, in->kind == INPUT_SKIP ? SOURCE_SKIPPED : SOURCE_ERROR,
			       in->reason);
		s->bytes = in->size;
		return;
	}
	if (in->kind == INPUT_STDIN) {
		struct fd_source fs;
		fd_source_init(&fs, STDIN_FILENO);
		fs.progress = w->cfg->bytes_read;
		struct source_row *s = read_object(w, in->path, &fs.src, 0, 0);
		s->bytes = fs.count; /* stdin has no size: what was read */
		return;
	}
	int fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		struct diag d = DIAG_INIT;
		diag_set(&d, "cannot open: %s", strerror(errno));
		struct source_row *s = source_log_add(&w->log, in->path);
		source_row_set(s, SOURCE_ERROR, diag_msg(&d));
		diag_clear(&d);
		s->bytes = in->size;
		return;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	struct fd_source fs;
	fd_source_init(&fs, fd);
	fs.progress = w->cfg->bytes_read;
	read_object(w, in->path, &fs.src, in->size, 0);
	close(fd);
}

/* ---- objects taken from the state (bedrock-ledger(1), STATE) ---- */

/* The records seen, window or not (the summary's "nothing counted" names them). */
static void saw_time(struct worker *w, struct ts t)
{
	if (!w->n.seen || ts_cmp(t, w->n.first) < 0)
		w->n.first = t;
	if (!w->n.seen || ts_cmp(t, w->n.last) > 0)
		w->n.last = t;
	w->n.seen = true;
}

static void take_row(void *ctx, struct source_row *s)
{
	(void)s;
	views_object(&((struct worker *)ctx)->coverage);
}

static void take_cell(void *ctx, struct source_row *s, const struct str *key,
		      const struct counters *c, const unsigned char *ids, size_t nids)
{
	struct worker *w = ctx;
	saw_time(w, c->first);
	saw_time(w, c->last);
	if (!window_contains(&w->cfg->window, c->first))
		return;
	views_saw_cell(&w->coverage, key[FACT_ACCOUNT_ID], key[FACT_REGION], c);
	source_row_saw(s, c->first);
	source_row_saw(s, c->last);
	w->n.counted += c->invocations;
	w->n.ignored_1h += c->ignored_1h;
	dupes_note_hashes(&w->dupes, ids, nids);
	fold(w, key, c);
}

static void take_reject(void *ctx, struct source_row *s, uint64_t line, enum record_reject why,
			const struct record *late)
{
	struct worker *w = ctx;
	if (late) {
		saw_time(w, late->timestamp);
		if (!window_contains(&w->cfg->window, late->timestamp))
			return; /* filtered */
		views_saw(&w->coverage, late, true);
	}
	source_log_reject(&w->log, s, line, why);
	w->n.rejected++;
}

/* An unchanged object: its rows, rejects and cells as if it had been read. */
static bool take(struct worker *w, const struct input *in)
{
	struct worker_counts before = w->n;
	struct state_sink sink = { w, &w->log, take_row, take_cell, take_reject };
	if (!state_take(w->sw, in, &sink))
		return false;
	uint64_t records = 0;
	for (size_t i = 0; i < w->log.nrows; i++)
		records += w->log.rows[i]->records;
	w->n.read += records;
	w->n.filtered +=
	    records - (w->n.counted - before.counted) - (w->n.rejected - before.rejected);
	if (w->cfg->bytes_read)
		atomic_fetch_add(w->cfg->bytes_read, in->size);
	return true;
}

void worker_read(struct worker *w, const struct input *in, uint64_t seq)
{
	w->seq = seq;
	if (!w->sw || !take(w, in))
		read_input(w, in);
	if (w->sw)
		state_capture_end(w->sw, &w->log);
	source_log_end_input(&w->log, seq);
	atomic_store_explicit(&w->records_seen, w->n.read, memory_order_relaxed);
}

/*
 * What only reading needs (the inflater, the record parser, the archives'
 * heads and hashes) and the emptied fact table: given back at the worker's
 * end, so that the end of the run (merges, reports) reuses their memory
 * instead of adding to it. worker_finish then has nothing left of them.
 */
static void release_reading(struct worker *w)
{
	inflater_destroy(w->z);
	record_parser_destroy(w->rp);
	rollup_destroy(w->facts);
	w->z = NULL;
	w->rp = NULL;
	w->facts = NULL;
	for (int d = 0; d <= WORKER_MAX_ARCHIVE_DEPTH; d++) {
		free(w->heads[d]);
		sha256_destroy(w->sha[d]);
		w->heads[d] = NULL;
		w->sha[d] = NULL;
	}
}

void worker_end(struct worker *w)
{
	state_worker_rest(w->sw);
	ledger_flush(&w->ledger, w->facts);
	ledger_rest(&w->ledger);
	release_reading(w);
}

void worker_init(struct worker *w, const struct worker_config *cfg)
{
	memset(w, 0, sizeof *w);
	w->cfg = cfg;
	w->z = inflater_create();
	w->rp = record_parser_create(on_record, w);
	const struct group_by *g = cfg->group_by;
	record_parser_want_meta(w->rp, g->metas, g->nmeta);
	w->facts = rollup_create(cfg->facts->nfields);
	fact_key_init(&w->key, cfg->facts);
	w->fact_cells = cfg->tally_cells ? cfg->tally_cells : FACT_CELLS;
	ledger_init(&w->ledger, cfg->facts, cfg->manifest, cfg->prices, g, cfg->callers_principal,
		    cfg->views, cfg->views_lock, w->fact_cells);
	views_init(&w->coverage, cfg->plan->views);
	source_log_init(&w->log);
	w->sw = cfg->state ? state_worker_create(cfg->state) : NULL;
	dupes_init(&w->dupes, cfg->dedupe, 0, g->nmeta);
	for (int d = 0; d <= WORKER_MAX_ARCHIVE_DEPTH; d++) {
		w->heads[d] = xmalloc(INFLATE_HEAD_SIZE);
		w->sha[d] = cfg->hash ? sha256_create() : NULL;
	}
}

void worker_finish(struct worker *w)
{
	release_reading(w);
	ledger_finish(&w->ledger);
	views_finish(&w->coverage);
	fact_key_finish(&w->key);
	source_log_finish(&w->log);
	state_worker_destroy(w->sw);
	dupes_finish(&w->dupes);
}
