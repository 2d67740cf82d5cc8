/*
 * run.h - what pipeline.c (the order of the stages, the workers) and
 * reports.c (the reports written whole, the duplicates resolved) share:
 * the run's state. Private to src/run/.
 */
#ifndef LEDGER_RUN_H
#define LEDGER_RUN_H

#include "ledger/run/pipeline.h"
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

/*
 * A job of a run's end, on a thread of its own (reports.c). The duplicates'
 * job only holds its result: it runs on the flagged hours' thread.
 */
struct run_job {
	struct pipeline *pl;
	pthread_t id;
	bool started, threaded;
	int rc; /* 0, or -1 with the error in d */
	uint64_t count;
	struct diag d;
};

struct thread {
	struct pipeline *pl;
	pthread_t id;
	struct worker w;
};

struct pipeline {
	const struct ledger_opts *o;
	struct worker_config cfg;
	struct manifest *manifest;
	struct price_table *prices;
	struct ladder *ladder;	       /* whatif.csv's model families */
	struct views_config views_cfg; /* whatif, cache, coverage */
	struct layout_plan *plan;
	struct fact_plan facts;
	struct tally views; /* every report's table, filled by the workers' ledgers */
	pthread_mutex_t views_lock;
	struct report_set
	    *set;	      /* made before anything is read: an unwritable DIR is found at once */
	struct spikes spikes; /* the flagged hours, for spikes.csv and the summary */
	struct billing_names *names; /* --cur: billing names -> model IDs */
	struct cur_bill *bill;	     /* --cur: what was billed, read before any log */
	struct reconcile_totals rec;
	struct walker *walker; /* shared by the workers, under `lock` */
	pthread_mutex_t lock;
	uint64_t next_seq;
	uint64_t pruned;
	struct ts pruned_first, pruned_last; /* the hour folders of the objects pruned */
	atomic_uint_fast64_t objects_done;
	_Atomic uint64_t bytes_read; /* stored bytes, as the workers read them */
	atomic_uint running;	     /* workers not yet finished */
	struct thread *threads;
	unsigned nthreads;
	struct state *state;	   /* --state, or NULL */
	struct state_stats state_stats; /* what came from it, for run.json */
	char state_line[512];	   /* the summary's line about it */
	struct budgets budgets;	   /* --budget */
	struct budget_result over; /* ... and the rows over */
	char *summary_json;	   /* summary.json's text, for --format json */
	size_t summary_json_len;
	struct run_job spikes_job; /* spikes.csv's flagged hours */
	struct run_job dupes_job;  /* the duplicates counted */
};

/*
 * The jobs that may begin once the workers are done, on a thread of their
 * own: spikes.csv's flagged hours, then the duplicates counted (with
 * --dedupe, the records kept back go to the views first, and these wait).
 */
void run_end_begin(struct pipeline *pl);
/* Waits for them when no report is to be written (the state could not be brought up to date). */
void run_end_abandon(struct pipeline *pl);

/*
 * With --dedupe, counts the duplicates of every worker's requestIds and has
 * each worker count what it kept back. 0, or -1 once said.
 */
int run_resolve_dupes(struct pipeline *pl, struct summary_inputs *t);

/*
 * Every report, written to temporary files and renamed into place together,
 * with the summary built once (s) for the page, summary.json and stdout.
 * 0, or -1 (said; nothing replaced).
 */
int run_write_reports(struct pipeline *pl, struct summary_inputs *t, struct summary *s);

#endif
