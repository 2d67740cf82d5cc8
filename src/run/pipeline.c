/*
 * pipeline.c - the order of the stages, the workers, and the books.
 *
 * load the tables -> walk -> (per input, on a worker thread) worker_read:
 * records -> facts -> ledger -> the views -> the reports (reports.c) ->
 * summary. Every line
 * read ends up counted, rejected or filtered; every object found ends up as
 * a row of sources.csv. Workers take inputs in walk order under one lock,
 * one or a few at a time, each with its sequence number, which is what
 * sources_write merges on.
 */
#include "run.h"
#include "ledger/run/sniff.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger/support/diag.h"
#include "ledger/views/focus.h"
#include "ledger/support/interrupt.h"
#include "ledger/price/tables.h"
#include "ledger/views/layout.h"
#include "ledger/support/progress.h"
#include "ledger/support/window.h"
#include "ledger/views/report.h"
#include "ledger/bill/cur.h"
#include "ledger/bill/reconcile.h"
#include "ledger/read/sources.h"
#include "ledger/views/spikes.h"
#include "ledger/views/summary.h"
#include "ledger/views/budgets.h"
#include "ledger/run/run_json.h"
#include "ledger/support/sha256.h"
#include "ledger/read/walk.h"
#include "ledger/run/worker.h"
#include "ledger/state/state.h"
#include "ledger/support/xalloc.h"
#include "ledger/views/html.h"
#include "ledger/views/views.h"

struct pipeline;

/* ---- the tables ---- */

/*
 * bedrock-ledger-formats(5), GROUPING: a -g tag that no manifest holds gives an empty column. Said
 * when the user chose the keys, or gave manifests (the default app,team without any manifest is not
 * worth a warning on every run).
 */
static void warn_unknown_tags(const struct ledger_opts *o, const struct manifest *m)
{
	if (!o->group_by_given && !m)
		return;
	const struct group_by *g = &o->group_by;
	for (size_t i = 0; i < g->n; i++) {
		const struct group_item *it = &g->items[i];
		if (it->ref.id != FIELD_TAG || (m && manifest_has_tag(m, it->header)))
			continue;
		bool is_field = false;
		for (int f = 0; f < FIELD_COUNT; f++)
			is_field |= field_name((enum field_id)f) &&
				    strcmp(field_name((enum field_id)f), it->header) == 0;
		if (is_field)
			diag_warn(NULL,
				  "--group-by: no manifest has a tag '%s', so its column is empty;"
				  " for the record's own %s, use field:%s",
				  it->header, it->header, it->header);
		else {
			char *hint = m ? manifest_tag_hint(m, it->header) : NULL;
			diag_warn(
			    NULL,
			    "--group-by: no manifest has a tag '%s', so its column is empty%s",
			    it->header, m ? hint : " (no --manifest given)");
			free(hint);
		}
	}
}

static int load_tables(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	pl->prices = prices_create();
	if (tables_load(pl->prices, o->prices_path, &pl->manifest, o->manifests, o->nmanifests) !=
	    0)
		return -1;
	warn_unknown_tags(o, pl->manifest);
	pl->ladder = ladder_create();
	ladder_load_builtin(pl->ladder);
	if (o->ladder_path && ladder_load_file(pl->ladder, o->ladder_path) != 0) {
		diag_print(NULL, "%s", ladder_error(pl->ladder));
		return -1;
	}
	struct diag d = DIAG_INIT;
	if (o->budget_path && budgets_load(&pl->budgets, o->budget_path, &o->group_by, &d) != 0) {
		diag_print(NULL, "%s", diag_msg(&d));
		diag_clear(&d);
		return -1;
	}
	return 0;
}

/* bedrock-ledger-formats(5), RECONCILIATION: every --cur file, read whole before any log (a bad one
 * ends the run with 2). */
static int load_bill(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	if (!o->ncur)
		return 0;
	struct diag d = DIAG_INIT;
	pl->names = billing_names_create();
	billing_names_load_builtin(pl->names);
	if (o->billing_names && billing_names_load_file(pl->names, o->billing_names, &d) != 0)
		goto fail;
	pl->bill = cur_bill_create();
	struct cur_reader *r = cur_reader_create(pl->names, o->has_since ? &o->since : NULL,
						 o->has_until ? &o->until : NULL, (int)o->jobs);
	for (size_t i = 0; i < o->ncur; i++) {
		if (cur_reader_read_path(r, pl->bill, o->cur[i], &d) != 0) {
			cur_reader_destroy(r);
			goto fail;
		}
	}
	cur_reader_destroy(r);
	return 0;
fail:
	diag_print(NULL, "%s", diag_msg(&d));
	diag_clear(&d);
	return -1;
}

/* ---- the state (bedrock-ledger(1), STATE) ---- */

/* The state opened and locked before anything is read (cells split at the window's bounds). */
static int open_state(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	struct state_config sc = { o->state_path,
				   &pl->facts,
				   o->group_by.metas,
				   { o->has_since, o->has_until, o->since, o->until },
				   o->state_batch };
	struct diag d = DIAG_INIT;
	if (state_open(&pl->state, &sc, &d) == 0)
		return 0;
	diag_print(NULL, "%s", diag_msg(&d));
	diag_clear(&d);
	return -1;
}

/* After the workers: a state found unusable ends the run before any report is written. */
static int finish_state(struct pipeline *pl)
{
	struct diag d = DIAG_INIT;
	struct state_stats s;
	if (state_finish(pl->state, true, &s, &d) != 0) {
		diag_print(NULL, "%s", diag_msg(&d));
		diag_clear(&d);
		return -1;
	}
	pl->state_stats = s;
	state_stats_format(&s, pl->state_line, sizeof pl->state_line);
	if (s.write_failed)
		diag_print(pl->o->state_path,
			   "the state was not updated (%s): %" PRIu64 " objects read in this run"
			   " are not in it and will be read again",
			   s.problem, s.unstored);
	return 0;
}

/* ---- the walk, shared by the workers ---- */

/*
 * With a time window, an object in an hour folder YYYY/MM/DD/HH that cannot
 * hold a record of the window is not opened (window.h). Files named on the
 * command line are always read.
 */
static bool outside_window(const struct ledger_opts *o, const struct input *in, struct ts *h)
{
	struct window w = { o->has_since, o->has_until, o->since, o->until };
	if (!window_given(&w) || in->kind != INPUT_FILE || in->named ||
	    walk_hour_folder(in->path, h) != 0)
		return false;
	return !window_may_hold_hour(&w, *h);
}

/*
 * How many inputs a worker takes at a time. One while objects are read:
 * then the other workers are never left waiting on the last few. Up to
 * TAKE_MAX while they are quick (taken from --state, skipped): then the
 * walk's lock is not taken, and fought over, once per object. A batch
 * taken after quick ones may hold slow ones (the new objects of a warm
 * run, an archive): TAKE_BYTES keeps it to about a mebibyte of files, and
 * a larger file comes alone.
 */
#define TAKE_MAX   16
#define TAKE_QUICK 50e-6 /* seconds an object */
#define TAKE_BYTES (1ull << 20)

/* A taken input: the walk's, its strings copied, with its sequence number. */
struct taken {
	struct input in;
	char *path, *reason;
	uint64_t seq;
};

/* The next input in walk order, under the walk's lock; 0 at the end. */
static int take_locked(struct pipeline *pl, struct taken *t)
{
	struct input *in = &t->in;
	if (!pl->walker)
		return 0;
	if (!walker_next(pl->walker, in)) {
		/* its record of the directories walked is not needed any more */
		walker_destroy(pl->walker);
		pl->walker = NULL;
		return 0;
	}
	t->seq = pl->next_seq++;
	struct ts h;
	if (outside_window(pl->o, in, &h)) {
		in->kind = INPUT_SKIP;
		in->reason = "outside-window";
		if (!pl->pruned++ || ts_cmp(h, pl->pruned_first) < 0)
			pl->pruned_first = h;
		if (pl->pruned == 1 || ts_cmp(h, pl->pruned_last) > 0)
			pl->pruned_last = h;
	}
	t->path = xstrdup(in->path);
	t->reason = in->reason ? xstrdup(in->reason) : NULL;
	in->path = t->path;
	in->reason = t->reason;
	return 1;
}

/*
 * Up to want inputs, in walk order, and files of at most about TAKE_BYTES
 * in all; how many (0 at the end).
 */
static size_t take_inputs(struct pipeline *pl, struct taken *out, size_t want)
{
	size_t n = 0;
	unsigned long long bytes = 0;
	pthread_mutex_lock(&pl->lock);
	while (n < want && bytes < TAKE_BYTES && take_locked(pl, &out[n])) {
		if (out[n].in.kind == INPUT_FILE)
			bytes += out[n].in.size;
		n++;
	}
	pthread_mutex_unlock(&pl->lock);
	return n;
}

/* A monotonic clock in seconds (the batches below, the progress line). */
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	struct pipeline *pl = t->pl;
	struct taken batch[TAKE_MAX];
	size_t want = 1, n;
	while ((n = take_inputs(pl, batch, want)) > 0) {
		double start = now();
		for (size_t i = 0; i < n; i++) {
			worker_read(&t->w, &batch[i].in, batch[i].seq);
			free(batch[i].path);
			free(batch[i].reason);
			atomic_fetch_add(&pl->objects_done, 1);
		}
		bool quick = now() - start < TAKE_QUICK * (double)n;
		want = !quick ? 1 : want < TAKE_MAX ? want * 2 : TAKE_MAX;
	}
	worker_end(&t->w);
	atomic_fetch_sub(&pl->running, 1);
	return NULL;
}

/* ---- progress ---- */

/* For the progress line only: how many objects and bytes the walk will give. */
static void count_inputs(const struct ledger_opts *o, uint64_t *objects, uint64_t *bytes)
{
	struct walker *w = walker_create(o->paths, o->npaths, o->tables, o->ntables);
	struct input in;
	*objects = *bytes = 0;
	while (walker_next(w, &in)) {
		(*objects)++;
		struct ts h;
		if (in.kind == INPUT_FILE && !outside_window(o, &in, &h))
			*bytes += in.size;
	}
	walker_destroy(w);
}

/* Redraws the progress line until every worker has finished (the totals
 * are for display: files may vanish or appear while the run goes on). */
static void show_progress(struct pipeline *pl)
{
	uint64_t objects_total, bytes_total;
	count_inputs(pl->o, &objects_total, &bytes_total);
	double t0 = now();
	struct timespec tick = { 0, 200 * 1000 * 1000 };
	interrupt_set_progress(true);
	while (atomic_load(&pl->running) > 0) {
		nanosleep(&tick, NULL);
		struct progress_state ps = {
			.objects_done = atomic_load(&pl->objects_done),
			.objects_total = objects_total,
			.objects_from_state = pl->state ? state_taken(pl->state) : 0,
			.bytes_done = atomic_load(&pl->bytes_read),
			.bytes_total = bytes_total,
			.elapsed = now() - t0,
		};
		for (unsigned i = 0; i < pl->nthreads; i++)
			ps.records += atomic_load_explicit(&pl->threads[i].w.records_seen,
							   memory_order_relaxed);
		progress_draw(stderr, &ps, 0);
	}
	progress_clear(stderr);
	interrupt_set_progress(false);
}

/* ---- the run ---- */

static int run_workers(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	pl->nthreads = o->jobs ? o->jobs : 1;
	pl->threads = xcalloc(pl->nthreads, sizeof *pl->threads);
	for (unsigned i = 0; i < pl->nthreads; i++) {
		pl->threads[i].pl = pl;
		worker_init(&pl->threads[i].w, &pl->cfg);
		pl->threads[i].w.dupes.worker = i;
	}
	if (pl->nthreads == 1 && !o->progress) {
		atomic_store(&pl->running, 1);
		thread_main(&pl->threads[0]);
		return 0;
	}
	unsigned started = 0;
	atomic_store(&pl->running, pl->nthreads);
	for (; started < pl->nthreads; started++) {
		int e = pthread_create(&pl->threads[started].id, NULL, thread_main,
				       &pl->threads[started]);
		if (e != 0) {
			diag_print(NULL, "cannot start a worker thread: %s", strerror(e));
			atomic_fetch_sub(&pl->running, pl->nthreads - started);
			break;
		}
	}
	if (started && o->progress)
		show_progress(pl);
	for (unsigned i = 0; i < started; i++)
		pthread_join(pl->threads[i].id, NULL);
	if (!started) /* not one thread: read on this one */
		thread_main(&pl->threads[0]);
	return 0;
}

static void merge_workers(struct pipeline *pl, struct summary_inputs *t)
{
	for (unsigned i = 0; i < pl->nthreads; i++) {
		struct worker *w = &pl->threads[i].w;
		t->records_read += w->n.read;
		t->counted += w->n.counted;
		t->rejected += w->n.rejected;
		t->filtered += w->n.filtered;
		t->ignored_1h += w->n.ignored_1h;
		if (w->n.seen && (!t->seen || ts_cmp(w->n.first, t->seen_first) < 0))
			t->seen_first = w->n.first;
		if (w->n.seen && (!t->seen || ts_cmp(w->n.last, t->seen_last) > 0))
			t->seen_last = w->n.last;
		t->seen |= w->n.seen;
		views_merge(&pl->views.views, &w->coverage);
	}
}

/*
 * The exit status of a run whose reports are written: with --strict, 1 when
 * no record was counted, or something was rejected or unreadable; said in
 * one line on stderr even with -q, so that a script is never left with a
 * bare 1. Without --strict, a run that counted nothing says why as a warning.
 */
static enum ledger_exit verdict(const struct ledger_opts *o, const struct summary *t)
{
	char why[1024];
	bool nothing = summary_nothing(t, why, sizeof why) > 0;
	fflush(stdout);
	if (nothing && !o->strict)
		diag_warn(NULL, "%s", why);
	if (!o->strict || (!nothing && !t->rejected && !t->objects_error))
		return LEDGER_EXIT_OK;
	if (nothing)
		diag_print(NULL, "--strict: %s", why);
	else
		diag_print(NULL,
			   "--strict: %" PRIu64 " record%s rejected, %" PRIu64 " object%s with"
			   " errors: see %s/rejects.csv and %s/sources.csv",
			   t->rejected, t->rejected == 1 ? "" : "s", t->objects_error,
			   t->objects_error == 1 ? "" : "s", o->out_dir, o->out_dir);
	return LEDGER_EXIT_STRICT;
}

static enum ledger_exit finish_run(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	char pname[64];
	snprintf(pname, sizeof pname, "built-in (%s)", prices_builtin_date());
	struct summary_inputs in = {
		.objects_pruned = pl->pruned,
		.pruned_first = pl->pruned_first,
		.pruned_last = pl->pruned_last,
		.prices_name = o->prices_path ? o->prices_path : pname,
		.prices_date = o->prices_path ? NULL : prices_builtin_date(),
		.spikes = &pl->spikes,
		.bill = pl->bill,
		.rec = &pl->rec,
		.out_dir = o->out_dir,
		.tz_name = o->tz ? tz_name(o->tz) : NULL,
	};
	if (run_resolve_dupes(pl, &in) != 0)
		return LEDGER_EXIT_IO;
	merge_workers(pl, &in);
	interrupt_begin_writing();
	struct summary t = { 0 };
	int written = run_write_reports(pl, &in, &t);
	source_counts_finish(&in.sources);
	if (written != 0) {
		summary_finish(&t);
		if (interrupt_pending()) {
			diag_print(
			    NULL,
			    "interrupted: no report written, the previous ones are as they were");
			return (enum ledger_exit)(128 + interrupt_pending());
		}
		return LEDGER_EXIT_IO;
	}
	t.state_line = pl->state ? pl->state_line : NULL;
	if (!o->quiet && o->format_json) /* the same document as summary.json */
		fwrite(pl->summary_json, 1, pl->summary_json_len, stdout);
	else if (!o->quiet)
		summary_print(stdout, &t);
	enum ledger_exit status = verdict(o, &t);
	summary_finish(&t);
	if (status == LEDGER_EXIT_OK && pl->over.n)
		status = LEDGER_EXIT_BUDGET;
	if (pl->over.n) { /* as for --strict: exit 4 is never bare */
		fflush(stdout);
		diag_print(NULL, "--budget: %zu limit%s exceeded: see %s/budgets.csv", pl->over.n,
			   pl->over.n == 1 ? "" : "s", o->out_dir);
	}
	return status;
}

/* The walk, the check that no table is named as a log, the report set: OK, or the exit. */
static enum ledger_exit open_inputs(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	enum ledger_exit status = LEDGER_EXIT_OK;
	struct diag d = DIAG_INIT;
	pl->walker = walker_create(o->paths, o->npaths, o->tables, o->ntables);
	if (walker_missing_count(pl->walker)) {
		for (size_t i = 0; i < walker_missing_count(pl->walker); i++)
			diag_print(walker_missing(pl->walker, i), "no such file or directory");
		status = LEDGER_EXIT_IO;
	} else if (sniff_paths(o->paths, o->npaths, &d) != 0) {
		status = LEDGER_EXIT_USAGE; /* a table named as a log: exit 2 */
	} else if (!(pl->set = report_set_create(o->out_dir, &d))) {
		status = LEDGER_EXIT_IO;
	}
	if (diag_has(&d))
		diag_print(NULL, "%s", diag_msg(&d));
	diag_clear(&d);
	if (status != LEDGER_EXIT_OK) {
		walker_destroy(pl->walker);
		pl->walker = NULL;
	}
	return status;
}

/* The reports' layout, the facts' plan and the shared views. */
static void make_plans(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	pl->plan = layout_plan_create(&o->group_by, o->ncur > 0);
	layout_plan_spike_by(pl->plan, o->spike_by);
	/* reconcile_callers.csv only when a CUR file names the callers */
	pl->plan->reports[LAYOUT_RECONCILE_CALLERS].active =
	    pl->bill && cur_bill_counts(pl->bill)->principal_files > 0;
	fact_plan_init(&pl->facts, pl->prices, o->group_by.nmeta);
	pl->facts.tz = o->tz;
	pl->views_cfg = (struct views_config){ &o->group_by, pl->ladder, pl->prices, o->tz };
	pl->plan->views = &pl->views_cfg;
	tally_init(&pl->views, pl->plan, o->tally_cells);
	pthread_mutex_init(&pl->views_lock, NULL);
}

static void release_plans(struct pipeline *pl)
{
	state_destroy(pl->state);
	layout_plan_destroy(pl->plan);
	fact_plan_finish(&pl->facts);
	tally_finish(&pl->views);
	pthread_mutex_destroy(&pl->views_lock);
	spikes_finish(&pl->spikes);
}

static void release_tables(struct pipeline *pl)
{
	report_set_destroy(pl->set);
	cur_bill_destroy(pl->bill);
	billing_names_destroy(pl->names);
	manifest_destroy(pl->manifest);
	ladder_destroy(pl->ladder);
	prices_destroy(pl->prices);
	budget_result_finish(&pl->over);
	free(pl->summary_json);
	budgets_finish(&pl->budgets);
	sha256_tables_clear();
	walker_destroy(pl->walker);
}

/* The workers read, the state is brought up to date, the reports are written. */
static enum ledger_exit read_and_write(struct pipeline *pl)
{
	const struct ledger_opts *o = pl->o;
	pl->cfg = (struct worker_config){
		.facts = &pl->facts,
		.views = &pl->views,
		.views_lock = &pl->views_lock,
		.manifest = pl->manifest,
		.prices = pl->prices,
		.plan = pl->plan,
		.group_by = &o->group_by,
		.window = { o->has_since, o->has_until, o->since, o->until },
		.callers_principal = o->callers_principal,
		.bytes_read = o->progress ? &pl->bytes_read : NULL,
		.tally_cells = o->tally_cells,
		.state = pl->state,
		.hash = o->hash,
		.dedupe = o->dedupe,
	};
	pthread_mutex_init(&pl->lock, NULL);
	run_workers(pl);
	run_end_begin(pl); /* while the state is brought up to date */
	enum ledger_exit status;
	if (pl->state && finish_state(pl) != 0) {
		run_end_abandon(pl);
		status = LEDGER_EXIT_USAGE;
	} else {
		status = finish_run(pl);
	}
	for (unsigned i = 0; i < pl->nthreads; i++)
		worker_finish(&pl->threads[i].w);
	free(pl->threads);
	pthread_mutex_destroy(&pl->lock);
	return status;
}

enum ledger_exit pipeline_run(const struct ledger_opts *o)
{
	struct pipeline pl = { .o = o };
	enum ledger_exit status;

	diag_set_warnings(!o->quiet);
	interrupt_catch();
	if ((status = open_inputs(&pl)) != LEDGER_EXIT_OK)
		return status;
	if (load_tables(&pl) != 0 || load_bill(&pl) != 0) {
		release_tables(&pl);
		return LEDGER_EXIT_USAGE;
	}
	make_plans(&pl);
	if (o->state_path && open_state(&pl) != 0)
		status = LEDGER_EXIT_USAGE;
	else
		status = read_and_write(&pl);
	release_plans(&pl);
	release_tables(&pl);
	return status;
}
