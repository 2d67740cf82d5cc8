/*
 * worker.c - one input read to its end: objects, records, and their fate.
 */
#include "ledger/facts/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/price/attribute.h"
#include "ledger/read/inflate.h"
#include "ledger/read/record.h"
#include "ledger/read/source.h"
#include "ledger/read/unpack.h"
#include "ledger/support/xalloc.h"

/* Is t inside --since/--until? */
static bool in_window(const struct worker_config *cfg, struct ts t)
{
	if (cfg->has_since && ts_cmp(t, cfg->since) < 0)
		return false;
	if (cfg->has_until && ts_cmp(t, cfg->until) >= 0)
		return false;
	return true;
}

/* ---- records ---- */

/* SPEC §5.2-5.3: the record's price row and cost, or why it has none. */
static void price_record(struct record_view *v)
{
	const struct record *r = v->r;
	const struct attribution *at = v->at;
	uint64_t context =
	    r->tokens[TOKEN_INPUT] + r->tokens[TOKEN_CACHE_READ] + r->tokens[TOKEN_CACHE_WRITE];
	enum price_miss miss;
	const struct price_row *row = prices_pick(&at->steps, context, r->timestamp, &miss);
	v->price_row = row;
	const char *missing = NULL;
	if (row && price_cost(&row->price, r->tokens, &v->cost, &missing) == 0)
		return;
	v->problem = PROBLEM_NO_PRICE;
	v->unpriced = true;
	v->cost = 0;
	size_t n = prices_detail(v->detail_buf, sizeof v->detail_buf, miss, r->tier, row, missing);
	v->detail = (struct str){ v->detail_buf, n };
}

static void count(struct worker *w, const struct record *r)
{
	struct str region = fields_source_region(r);
	const struct attribution *at = attribute(w->at, r->model_id, region, r->tier);
	struct record_view *v = &w->view;
	view_set(v, r, at, region);
	if (v->problem == PROBLEM_NONE)
		price_record(v);
	tally_add(&w->tally, v);
	source_row_saw(w->cur, r->timestamp);
	w->n.counted++;
	w->n.ignored_1h += r->cache_write_1h_ignored;
}

static void reject(struct worker *w, const struct record *r)
{
	source_log_reject(&w->log, w->cur, r->line, r->reject);
	w->n.rejected++;
}

/* SPEC §2.1: rejected, filtered or counted. */
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
		reject(w, r);
		return;
	default:
		break;
	}
	/* the window comes before the modelId and token checks: a record outside
	 * it is filtered whatever else is wrong with it, as it would be had its
	 * whole hour folder been skipped */
	if (!in_window(w->cfg, r->timestamp)) {
		w->n.filtered++;
		return;
	}
	if (r->reject != RECORD_OK) {
		reject(w, r);
		return;
	}
	if (dupes_note(&w->dupes, r, w->seq, w->cur->order))
		return; /* --dedupe: counted once known not to be a duplicate */
	count(w, r);
}

static void count_kept(void *ctx, const struct record *r, struct source_row *row)
{
	struct worker *w = ctx;
	w->cur = row;
	count(w, r);
	w->cur = NULL;
}

int worker_count_kept(struct worker *w)
{
	return dupes_replay(&w->dupes, count_kept, w);
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
	record_parser_reset(w->rp);
	unsigned long long stored = 0;
	int rc = inflater_run(w->z, fmt, head, (size_t)n, src, on_bytes, w, &stored);
	record_parser_finish(w->rp);
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

void worker_read(struct worker *w, const struct input *in, uint64_t seq)
{
	w->seq = seq;
	read_input(w, in);
	source_log_end_input(&w->log, seq);
	atomic_store_explicit(&w->records_seen, w->n.read, memory_order_relaxed);
}

void worker_init(struct worker *w, const struct worker_config *cfg)
{
	memset(w, 0, sizeof *w);
	w->cfg = cfg;
	w->z = inflater_create();
	w->rp = record_parser_create(on_record, w);
	const struct group_by *g = cfg->group_by;
	record_parser_want_meta(w->rp, g->metas, g->nmeta);
	w->at = attributor_create(cfg->manifest, cfg->prices, g->tags, g->ntags);
	tally_init(&w->tally, cfg->plan, cfg->tally_cells);
	source_log_init(&w->log);
	dupes_init(&w->dupes, cfg->dedupe, 0, g->nmeta);
	w->view.callers_principal = cfg->callers_principal;
	for (int d = 0; d <= WORKER_MAX_ARCHIVE_DEPTH; d++) {
		w->heads[d] = xmalloc(INFLATE_HEAD_SIZE);
		w->sha[d] = cfg->hash ? sha256_create() : NULL;
	}
}

void worker_finish(struct worker *w)
{
	inflater_destroy(w->z);
	record_parser_destroy(w->rp);
	attributor_destroy(w->at);
	tally_finish(&w->tally);
	source_log_finish(&w->log);
	dupes_finish(&w->dupes);
	view_finish(&w->view);
	for (int d = 0; d <= WORKER_MAX_ARCHIVE_DEPTH; d++) {
		free(w->heads[d]);
		sha256_destroy(w->sha[d]);
	}
}
