/*
 * reports.c - the run's reports: spikes.csv, the duplicates resolved,
 * budgets.csv, focus.csv, report.html, summary.json and run.json beside the
 * views' CSVs, all written to temporary files and renamed together.
 */
#include "run.h"

static void print_source_error(const char *path, const char *reason)
{
	diag_print(path, "%s", reason);
}

/* Prints d's error and clears d; 1, a step's "said already". */
static int said(struct diag *d)
{
	diag_print(NULL, "%s", diag_msg(d));
	diag_clear(d);
	return 1;
}

/* ---- the jobs of a run's end, on threads of their own ---- */

static void job_init(struct run_job *j, struct pipeline *pl)
{
	*j = (struct run_job){ .pl = pl, .d = DIAG_INIT, .started = true };
}

/* Runs fn(j) on a thread of its own, or here if none can be made. */
static void job_start(struct run_job *j, struct pipeline *pl, void *(*fn)(void *))
{
	job_init(j, pl);
	j->threaded = pthread_create(&j->id, NULL, fn, j) == 0;
	if (!j->threaded)
		fn(j);
}

/* The job's end: its rc (0, or -1 with its error in j->d). */
static int job_join(struct run_job *j)
{
	if (j->threaded)
		pthread_join(j->id, NULL);
	j->threaded = false;
	return j->rc;
}

/*
 * spikes.csv's flagged hours: the hourly cells' sorted runs merged and
 * judged. The longest step of the end of a run, it runs on a thread of its
 * own while the other tables are written (it reads only the spikes table).
 */
static void *find_spikes(void *arg)
{
	struct run_job *j = arg;
	struct pipeline *pl = j->pl;
	struct tally *ts[1] = { &pl->views };
	const struct plan_report *pr = &pl->plan->reports[LAYOUT_SPIKES];
	struct runs_merge *m = tally_merge_cells(ts, 1, LAYOUT_SPIKES);
	struct spike_rule rule = { pl->o->spike_usd, pl->o->spike_factor };
	j->rc = spikes_find(&pl->spikes, m, pr->ncols, &rule, &j->d);
	runs_merge_destroy(m);
	return NULL;
}

/* The flagged hours found (the job joined), then spikes.csv into f. */
static int write_spikes(struct run_job *j, struct report_file *f)
{
	if (job_join(j) != 0)
		return said(&j->d); /* not a set error */
	if (!f)
		return -1;
	const struct plan_report *pr = &j->pl->plan->reports[LAYOUT_SPIKES];
	layout_write_header(f, pr);
	spikes_write(&j->pl->spikes, f);
	return 0;
}

/* ---- duplicates (see dupes.h) ---- */

static uint64_t dedupe_rank(void *ctx, unsigned w, uint64_t seq, uint64_t order)
{
	struct pipeline *pl = ctx;
	return source_log_rank(&pl->threads[w].w.log, seq, order);
}

static bool dedupe_row(void *ctx, size_t log, uint64_t seq, uint64_t order, bool *has,
		       struct ts *first, struct ts *last)
{
	struct pipeline *pl = ctx;
	return dupes_row(&pl->threads[log].w.dupes, seq, order, has, first, last);
}

static int dedupe_line(void *ctx, size_t log, uint64_t *line)
{
	struct pipeline *pl = ctx;
	return dupes_next_line(&pl->threads[log].w.dupes, line);
}

static void *count_kept_main(void *arg)
{
	struct thread *t = arg;
	return worker_count_kept(&t->w) == 0 ? NULL : t;
}

/* The duplicates: every worker's runs of requestId hashes merged (job.count). */
static void *count_dupes(void *arg)
{
	struct run_job *j = arg;
	struct pipeline *pl = j->pl;
	struct dupes_log **logs = xcalloc(pl->nthreads, sizeof *logs);
	for (unsigned i = 0; i < pl->nthreads; i++)
		logs[i] = &pl->threads[i].w.dupes;
	j->rc = dupes_resolve(logs, pl->nthreads, dedupe_rank, pl, &j->count, &j->d);
	free(logs);
	return NULL;
}

/*
 * The flagged hours, then the duplicates, one after the other on one
 * thread (with the tables written beside them, two jobs at once fill two
 * cores; three would add their merges' memory together).
 */
static void *spikes_then_dupes(void *arg)
{
	struct run_job *j = arg;
	find_spikes(j);
	count_dupes(&j->pl->dupes_job);
	return NULL;
}

void run_end_begin(struct pipeline *pl)
{
	if (pl->o->dedupe) /* the records kept back go to the views first: run_resolve_dupes */
		return;
	job_init(&pl->dupes_job, pl);
	job_start(&pl->spikes_job, pl, spikes_then_dupes);
}

void run_end_abandon(struct pipeline *pl)
{
	job_join(&pl->spikes_job);
	diag_clear(&pl->spikes_job.d);
	diag_clear(&pl->dupes_job.d);
}

/* The duplicates' job joined, its count in t; 0, or -1 once said. */
static int dupes_done(struct pipeline *pl, struct summary_inputs *t)
{
	int rc = job_join(&pl->dupes_job);
	t->duplicates = pl->dupes_job.count;
	if (rc != 0)
		diag_print(NULL, "%s", diag_msg(&pl->dupes_job.d));
	diag_clear(&pl->dupes_job.d);
	return rc;
}

/*
 * With --dedupe: the duplicates counted, then each worker counts the
 * records it kept back that are not duplicates, on threads of their own
 * again. Without, the count is run_end_begin's job, joined before the
 * summary. Returns 0, or -1 when a spill cannot be read (said).
 */
int run_resolve_dupes(struct pipeline *pl, struct summary_inputs *t)
{
	t->dedupe = pl->o->dedupe;
	if (!t->dedupe)
		return 0;
	job_init(&pl->dupes_job, pl);
	count_dupes(&pl->dupes_job);
	if (dupes_done(pl, t) != 0)
		return -1;
	for (unsigned i = 0; i < pl->nthreads; i++)
		if (pthread_create(&pl->threads[i].id, NULL, count_kept_main, &pl->threads[i]) != 0)
			count_kept_main(&pl->threads[i]), pl->threads[i].id = pthread_self();
	struct diag d = DIAG_INIT;
	int rc = 0;
	for (unsigned i = 0; i < pl->nthreads; i++) {
		void *bad = NULL;
		if (!pthread_equal(pl->threads[i].id, pthread_self()))
			pthread_join(pl->threads[i].id, &bad);
		if (bad || diag_has(&pl->threads[i].w.dupes.diag)) {
			diag_move(&d, &pl->threads[i].w.dupes.diag);
			rc = -1;
		}
	}
	if (rc != 0)
		diag_print(NULL, "%s", diag_msg(&d));
	diag_clear(&d);
	return rc;
}

/* The exit status of a run whose reports are written (as verdict says it; 1 wins over 4). */
static enum ledger_exit run_status(const struct pipeline *pl, const struct summary *s)
{
	char why[8];
	bool nothing = summary_nothing(s, why, sizeof why) > 0;
	if (pl->o->strict && (nothing || s->rejected || s->objects_error))
		return LEDGER_EXIT_STRICT;
	return pl->over.n ? LEDGER_EXIT_BUDGET : LEDGER_EXIT_OK;
}

/* --budget: budgets.csv, from app_day.csv's table (before the summary, which says it). */
static int write_budgets(struct pipeline *pl, struct report_set *set, struct summary_inputs *t)
{
	if (!pl->o->budget_path)
		return 0;
	budgets_check(&pl->budgets, pl->plan, pl->views.tables[LAYOUT_APP_DAY], &pl->over);
	t->budgets = &pl->over;
	struct report_file *f = report_open(set, "budgets.csv");
	if (!f)
		return -1;
	budgets_write(&pl->over, f);
	return 0;
}

/*
 * After every other report: summary.json, and run.json last (see
 * bedrock-ledger(1), AUDIT). Returns 0, or -1 with the set's error.
 */
static int write_audit(struct pipeline *pl, struct report_set *set, const struct summary_inputs *in,
		       struct summary *s)
{
	const struct ledger_opts *o = pl->o;
	size_t n = report_set_count(set);
	const char **names = xcalloc(n + 2, sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = report_set_name(set, i);
	names[n] = "summary.json";
	names[n + 1] = RUN_JSON_NAME;
	summary_set_reports(s, names, n + 2); /* the text summary lists what summary.json lists */
	struct report_file *f = report_open(set, "summary.json");
	if (f) {
		FILE *mem = open_memstream(&pl->summary_json, &pl->summary_json_len);
		summary_print_json(mem, s, names, n + 2);
		fclose(mem);
		fwrite(pl->summary_json, 1, pl->summary_json_len, report_stream(f));
	}
	free(names);
	if (!f)
		return -1;
	run_json_mark_stale(set, o->out_dir);
	(void)in;
	return run_json_write(set, o, s, pl->state ? &pl->state_stats : NULL,
			      (int)run_status(pl, s));
}

/* --focus: focus.csv, app_day.csv's priced rows in FOCUS 1.2 columns. */
static int write_focus(struct pipeline *pl, struct report_set *set, const struct tally *all)
{
	if (!pl->o->focus)
		return 0;
	struct report_file *f = report_open(set, "focus.csv");
	if (!f)
		return -1;
	report_header(f, FOCUS_HEADER);
	focus_write(f, pl->plan, all->tables[LAYOUT_APP_DAY], pl->o->focus_account);
	return 0;
}

/* report.html: the page, from the same tables as the CSVs and the same summary. */
static int write_html(struct pipeline *pl, const struct summary *s, struct report_set *set)
{
	struct report_file *f = report_open(set, "report.html");
	if (!f)
		return -1;
	html_write(report_stream(f), s, pl->plan, &pl->views);
	return 0;
}

/* The views' CSVs and focus.csv; 0, or -1 for the set's error. */
static int write_tables(struct pipeline *pl, struct report_set *set)
{
	struct tally *all = &pl->views;
	return tally_write(all, set) != 0 || views_write(&all->views, set) != 0 ||
		       write_focus(pl, set, all) != 0
		   ? -1
		   : 0;
}

/* --cur: reconcile.csv. 0, -1 for the set's error, 1 for an error said. */
static int write_reconcile(struct pipeline *pl, struct report_set *set)
{
	if (!pl->bill)
		return 0;
	struct report_file *rf = report_open(set, "reconcile.csv");
	if (!rf)
		return -1;
	report_header(rf, RECONCILE_HEADER);
	struct diag d = DIAG_INIT;
	if (reconcile_write(rf, pl->plan, pl->views.tables[LAYOUT_RECONCILE], pl->bill, &pl->rec,
			    &d) != 0)
		return said(&d);
	if (reconcile_period_warning(&pl->rec, &d))
		diag_warn(NULL, "%s", diag_msg(&d));
	diag_clear(&d);
	return 0;
}

/* reconcile_callers.csv, when the CUR names callers; as write_reconcile returns. */
static int write_reconcile_callers(struct pipeline *pl, struct report_set *set)
{
	if (!pl->plan->reports[LAYOUT_RECONCILE_CALLERS].active)
		return 0;
	struct report_file *rf = report_open(set, "reconcile_callers.csv");
	if (!rf)
		return -1;
	report_header(rf, RECONCILE_CALLERS_HEADER);
	struct diag d = DIAG_INIT;
	if (reconcile_callers_write(rf, pl->views.tables[LAYOUT_RECONCILE_CALLERS], pl->bill,
				    &pl->rec.callers, &d) != 0)
		return said(&d);
	return 0;
}

/*
 * sources.csv and rejects.csv, merged from every worker's log, and the
 * objects' counts into t; as write_reconcile returns.
 */
static int write_sources(struct pipeline *pl, struct report_set *set, struct summary_inputs *t)
{
	struct report_file *src = report_open(set, "sources.csv");
	struct report_file *rej = src ? report_open(set, "rejects.csv") : NULL;
	if (!rej)
		return -1;
	struct source_log **logs = xcalloc(pl->nthreads, sizeof *logs);
	for (unsigned i = 0; i < pl->nthreads; i++)
		logs[i] = &pl->threads[i].w.log;
	struct source_counts *sc = &t->sources;
	struct source_extras dx = { dedupe_row, dedupe_line, pl };
	int merged = sources_write(logs, pl->nthreads, src, rej, sc, print_source_error,
				   pl->o->dedupe ? &dx : NULL);
	free(logs);
	t->objects_read = sc->read;
	t->objects_skipped = sc->skipped;
	t->objects_error = sc->error;
	if (merged == 0)
		return 0;
	for (unsigned i = 0; i < pl->nthreads; i++) {
		const struct source_log *l = &pl->threads[i].w.log;
		if (diag_has(&l->row_spill.diag))
			diag_print(NULL, "%s", diag_msg(&l->row_spill.diag));
		if (diag_has(&l->reject_spill.diag))
			diag_print(NULL, "%s", diag_msg(&l->reject_spill.diag));
	}
	return 1;
}

/*
 * Every report, written to temporary files and renamed into place together.
 * Each step returns 0 to go on, -1 for the set's error (said here), or 1
 * for an error it has said already (a spill that cannot be read back).
 */
int run_write_reports(struct pipeline *pl, struct summary_inputs *t, struct summary *s)
{
	struct report_set *set = pl->set;
	tally_derive(&pl->views);
	if (!pl->spikes_job.started)
		job_start(&pl->spikes_job, pl, find_spikes);
	int rc = write_tables(pl, set);
	if (rc == 0) /* the views' CSVs are whole: synced and hashed while the rest is written */
		report_set_seal_start(set);
	/*
	 * spikes.csv is opened in its place in the list of reports, and written
	 * once its thread is done: the reports after it are written meanwhile
	 * (none of them reads the flagged hours; the summary does).
	 */
	struct report_file *sf =
	    rc == 0 ? report_open(set, pl->plan->reports[LAYOUT_SPIKES].file) : NULL;
	if (rc == 0 && !sf)
		rc = -1;
	if (rc == 0)
		rc = write_reconcile(pl, set);
	if (rc == 0)
		rc = write_reconcile_callers(pl, set);
	if (rc == 0)
		rc = write_sources(pl, set, t);
	if (rc == 0)
		rc = write_budgets(pl, set, t);
	int sp = write_spikes(&pl->spikes_job, sf); /* joined, whatever the others did */
	if (rc == 0)
		rc = sp;
	sp = pl->o->dedupe ? 0 : dupes_done(pl, t) != 0 ? 1 : 0;
	if (rc == 0)
		rc = sp;
	if (rc == 0) /* the other CSVs too, while the page is written */
		report_set_seal_start(set);
	if (rc == 0) {
		summary_build(s, t, pl->plan, &pl->views);
		if (!pl->o->no_html)
			rc = write_html(pl, s, set);
	}
	if (rc == 0)
		rc = write_audit(pl, set, t, s);
	if (rc == 0 && interrupt_pending()) /* before anything replaces the previous reports */
		rc = 1;
	if (rc == 0 && report_set_commit(set) != 0)
		rc = -1;
	if (rc < 0)
		diag_print(NULL, "%s", report_set_error(set));
	report_set_destroy(set);
	pl->set = NULL;
	return rc == 0 ? 0 : -1;
}
