/*
 * layout.c - the reports as declared tables, and their writing.
 */
#include "ledger/views/layout.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

/* one initializer a line reads as the table it is */
/* clang-format off */
#define GROUPS { { FIELD_COUNT, 0 }, NULL }
#define COL(f, h) { { f, 0 }, h }
#define END { { FIELD_COUNT, 1 }, NULL }
/* clang-format on */

struct layout {
	const char *file;
	struct layout_column cols[12]; /* ended by END */
	unsigned counters;
	enum layout_filter filter;
	enum layout_writer writer;
	bool last_key_first; /* the last key column is the file's first column */
	const char *tail[3]; /* columns of the report's own writer, after the cost */
	/*
	 * FROM(id): another report of the same filter whose columns include
	 * every one of this one's: this one's rows are sums of its rows, made
	 * once at the end (tally_derive) rather than per cell. 0: none.
	 */
	int from;
};
#define FROM(id) ((int)(id) + 1)

/* bedrock-ledger-formats(5), REPORTS, one entry per report. */
static const struct layout layouts[LAYOUT_COUNT] = {
    [LAYOUT_APP_DAY] =
	{
	    "app_day.csv",
	    {COL(FIELD_DAY, "day"), GROUPS, COL(FIELD_MODEL, "model"), END},
	    COUNT_INVOCATIONS | COUNT_ERRORS | COUNT_TOKENS | COUNT_COST | COUNT_UNPRICED,
	    TAKE_ALL,
	    .from = FROM(LAYOUT_RESIDENCY),
	},
    [LAYOUT_CALLER] =
	{
	    "caller.csv",
	    {COL(FIELD_CALLER_KEY, "caller"), COL(FIELD_ACCOUNT_ID, "account_id"),
	     COL(FIELD_ROUTE, "route"), COL(FIELD_MODEL, "model"), END},
	    COUNT_INVOCATIONS | COUNT_ERRORS | COUNT_TOKENS | COUNT_COST | COUNT_UNPRICED |
		COUNT_SEEN,
	    TAKE_ALL,
	},
    [LAYOUT_UNRESOLVED] =
	{
	    "unresolved.csv",
	    {COL(FIELD_PROBLEM_MODEL, "model_id"), COL(FIELD_PROBLEM, "problem"),
	     COL(FIELD_DETAIL, "detail"), END},
	    COUNT_INVOCATIONS | COUNT_TOKENS,
	    TAKE_UNRESOLVED,
	},
    [LAYOUT_RESIDENCY] =
	{
	    "residency.csv",
	    {COL(FIELD_DAY, "day"), GROUPS, COL(FIELD_ROUTE, "route"), COL(FIELD_MODEL, "model"),
	     COL(FIELD_REGION, "region"), COL(FIELD_INFERENCE_REGION, "inference_region"),
	     COL(FIELD_POOL, "pool"), COL(FIELD_IN_POOL, "in_pool"),
	     COL(FIELD_SAME_GEOGRAPHY, "same_geography"), END},
	    COUNT_INVOCATIONS | COUNT_TOKENS | COUNT_COST | COUNT_UNPRICED,
	    TAKE_ALL,
	},
    /* the cells of K = (principal, -g values, model) by hour: the hour last, so that
     * one K's hours come together in key order; spikes.csv puts it first. The first
     * column follows --spike-by (layout_plan_spike_by) */
    [LAYOUT_SPIKES] =
	{
	    "spikes.csv",
	    {COL(FIELD_PRINCIPAL, "principal"), GROUPS, COL(FIELD_MODEL, "model"),
	     COL(FIELD_HOUR, "hour"), END},
	    COUNT_INVOCATIONS | COUNT_TOKENS | COUNT_COST,
	    TAKE_PRICED,
	    WRITE_SPIKES,
	    true,
	    {"baseline_usd", "ratio"},
	},
    /* bedrock-ledger-formats(5), RECONCILIATION's log side: one cell per key and kind of token (the kind set by tally_add);
     * the counters hold that kind's tokens (as input tokens) and cost */
    [LAYOUT_RECONCILE] =
	{
	    "reconcile.csv",
	    {COL(FIELD_UTC_DAY, "day"), COL(FIELD_REGION, "region"), COL(FIELD_BASE_MODEL, "model"),
	     COL(FIELD_KIND, "kind"), COL(FIELD_ROUTING, "routing"), COL(FIELD_TIER, "tier"),
	     COL(FIELD_CONTEXT_CLASS, "context"), COL(FIELD_UNATTRIBUTED, "note"), END},
	    COUNT_INVOCATIONS | COUNT_TOKENS | COUNT_COST,
	    TAKE_BILLABLE,
	    WRITE_RECONCILE,
	},
    /* the log side of reconcile_callers.csv: every counted record's cost by day and principal */
    [LAYOUT_RECONCILE_CALLERS] =
	{
	    "reconcile_callers.csv",
	    {COL(FIELD_UTC_DAY, "day"), COL(FIELD_PRINCIPAL, "principal"), END},
	    COUNT_INVOCATIONS | COUNT_COST,
	    TAKE_ALL,
	    WRITE_RECONCILE_CALLERS,
	},
};

const char *const layout_token_columns[TOKEN_KINDS] = {
	[TOKEN_INPUT] = "input_tokens",
	[TOKEN_OUTPUT] = "output_tokens",
	[TOKEN_CACHE_READ] = "cache_read_tokens",
	[TOKEN_CACHE_WRITE] = "cache_write_tokens",
	[TOKEN_CACHE_WRITE_1H] = "cache_write_1h_tokens",
};

static bool is_end(const struct layout_column *c)
{
	return c->ref.id == FIELD_COUNT && c->ref.arg == 1;
}

static bool is_groups(const struct layout_column *c)
{
	return c->ref.id == FIELD_COUNT && c->ref.arg == 0;
}

/* Is h the header of one of the layout's own columns? */
static bool own_column(const struct layout *l, const char *h)
{
	for (const struct layout_column *c = l->cols; !is_end(c); c++)
		if (!is_groups(c) && strcmp(c->header, h) == 0)
			return true;
	return false;
}

static void plan_report(struct plan_report *pr, enum layout_id id, const struct layout *l,
			const struct group_by *g)
{
	size_t n = 0;
	for (const struct layout_column *c = l->cols; !is_end(c); c++)
		n += is_groups(c) ? g->n : 1;
	pr->id = id;
	pr->file = l->file;
	pr->counters = l->counters;
	pr->filter = l->filter;
	pr->writer = l->writer;
	pr->last_key_first = l->last_key_first;
	pr->tail = l->tail;
	pr->cols = xcalloc(n ? n : 1, sizeof *pr->cols);
	pr->ncols = 0;
	for (const struct layout_column *c = l->cols; !is_end(c); c++) {
		if (!is_groups(c)) {
			pr->cols[pr->ncols++] = (struct plan_column){ c->ref, c->header, false, 0 };
			continue;
		}
		/* bedrock-ledger-formats(5), GROUPING: a -g column that repeats one of the report's
		 * own is left out */
		for (size_t i = 0; i < g->n; i++)
			if (!own_column(l, g->items[i].header))
				pr->cols[pr->ncols++] =
				    (struct plan_column){ g->items[i].ref, g->items[i].header, true,
							  i };
	}
}

/*
 * A report declared FROM another: the other's column of each of its own, by
 * field. With some -g items a column has no match (the other report left
 * the item out, its header being one of its own): the report is then
 * counted per cell as the others are.
 */
static void plan_derived(struct layout_plan *p, struct plan_report *pr, const struct layout *l)
{
	pr->from = -1;
	if (!l->from)
		return;
	const struct plan_report *src = &p->reports[l->from - 1];
	if (src->filter != pr->filter)
		return;
	size_t *map = xcalloc(pr->ncols ? pr->ncols : 1, sizeof *map);
	for (size_t i = 0; i < pr->ncols; i++) {
		size_t j = 0;
		while (j < src->ncols && (src->cols[j].ref.id != pr->cols[i].ref.id ||
					  src->cols[j].ref.arg != pr->cols[i].ref.arg))
			j++;
		if (j == src->ncols) {
			free(map);
			return;
		}
		map[i] = j;
	}
	pr->from = l->from - 1;
	pr->from_cols = map;
}

struct layout_plan *layout_plan_create(const struct group_by *g, bool reconcile)
{
	struct layout_plan *p = xcalloc(1, sizeof *p);
	p->g = g;
	for (int id = 0; id < LAYOUT_COUNT; id++) {
		plan_report(&p->reports[id], (enum layout_id)id, &layouts[id], g);
		p->reports[id].active =
		    (id != LAYOUT_RECONCILE && id != LAYOUT_RECONCILE_CALLERS) || reconcile;
	}
	for (int id = 0; id < LAYOUT_COUNT; id++)
		plan_derived(p, &p->reports[id], &layouts[id]);
	return p;
}

void layout_plan_spike_by(struct layout_plan *p, enum spike_by by)
{
	struct layout l = layouts[LAYOUT_SPIKES];
	if (by == SPIKE_BY_CALLER)
		l.cols[0] = (struct layout_column)COL(FIELD_CALLER, "caller");
	else if (by == SPIKE_BY_NONE)
		memmove(&l.cols[0], &l.cols[1], sizeof l.cols - sizeof l.cols[0]);
	struct plan_report *pr = &p->reports[LAYOUT_SPIKES];
	bool active = pr->active;
	free(pr->cols);
	plan_report(pr, LAYOUT_SPIKES, &l, p->g);
	pr->tail = layouts[LAYOUT_SPIKES].tail; /* not the copy's */
	pr->active = active;
}

void layout_plan_destroy(struct layout_plan *p)
{
	if (!p)
		return;
	for (int id = 0; id < LAYOUT_COUNT; id++) {
		free(p->reports[id].cols);
		free(p->reports[id].from_cols);
	}
	free(p);
}

int layout_column_of(const struct layout_plan *p, enum layout_id id, enum field_id f)
{
	const struct plan_report *pr = &p->reports[id];
	for (size_t i = 0; i < pr->ncols; i++)
		if (!pr->cols[i].group && pr->cols[i].ref.id == f)
			return (int)i;
	return -1;
}

int layout_group_column(const struct layout_plan *p, enum layout_id id, size_t g)
{
	const struct plan_report *pr = &p->reports[id];
	for (size_t i = 0; i < pr->ncols; i++)
		if (pr->cols[i].group && pr->cols[i].group_index == g)
			return (int)i;
	return -1;
}

void tally_init(struct tally *t, const struct layout_plan *p, size_t cells)
{
	size_t most = 1;
	t->plan = p;
	t->cells = cells ? cells : TALLY_CELLS;
	for (int id = 0; id < LAYOUT_COUNT; id++) {
		t->tables[id] = rollup_create(p->reports[id].ncols);
		rollup_share_texts(t->tables[id]); /* texts once; sorted by their ranks */
		runs_init(&t->runs[id], p->reports[id].ncols);
		if (p->reports[id].ncols > most)
			most = p->reports[id].ncols;
	}
	t->key = xcalloc(most, sizeof *t->key);
	views_init(&t->views, p->views);
}

void tally_finish(struct tally *t)
{
	for (int id = 0; id < LAYOUT_COUNT; id++) {
		rollup_destroy(t->tables[id]);
		runs_finish(&t->runs[id]);
	}
	free(t->key);
	views_finish(&t->views);
	memset(t, 0, sizeof *t);
}

static bool takes(const struct plan_report *pr, const struct record_view *v)
{
	if (!pr->active)
		return false;
	switch (pr->filter) {
	case TAKE_UNRESOLVED:
		return v->problem != PROBLEM_NONE;
	case TAKE_PRICED:
		return !v->unpriced;
	case TAKE_BILLABLE:
		return v->at->route != ROUTE_OTHER;
	default:
		return true;
	}
}

static struct counters *row_of(struct tally *t, const struct plan_report *pr, struct record_view *v)
{
	for (size_t i = 0; i < pr->ncols; i++)
		t->key[i] = view_field(v, pr->cols[i].ref);
	return rollup_get(t->tables[pr->id], t->key);
}

/* bedrock-ledger-formats(5), RECONCILIATION: a record's tokens split by kind (cache writes less the
 * 1-hour ones), each with its cost.
 */
static void add_by_kind(struct tally *t, const struct plan_report *pr, struct record_view *v,
			const struct counters *cell)
{
	const struct record *r = v->r;
	for (int k = 0; k < TOKEN_KINDS; k++) {
		uint64_t n = r->tokens[k];
		if (k == TOKEN_CACHE_WRITE)
			n -= r->tokens[TOKEN_CACHE_WRITE_1H];
		if (!n)
			continue;
		v->kind = (enum record_token)k;
		struct counters *c = row_of(t, pr, v);
		c->invocations += cell->invocations;
		c->tokens[TOKEN_INPUT] += n;
		if (v->unpriced) {
			c->unpriced = true;
			c->unpriced_records += cell->invocations;
		} else {
			c->cost += money_cost(n, v->price_row->price.nanos[k]);
		}
	}
}

void tally_add(struct tally *t, struct record_view *v, const struct counters *cell)
{
	for (int id = 0; id < LAYOUT_COUNT; id++) {
		const struct plan_report *pr = &t->plan->reports[id];
		if (pr->from >= 0 || !takes(pr, v))
			continue;
		if (pr->writer == WRITE_RECONCILE) {
			add_by_kind(t, pr, v, cell);
			continue;
		}
		counters_add_cell(row_of(t, pr, v), cell, v->unpriced, v->cost);
		if (pr->writer == WRITE_SPIKES && rollup_count(t->tables[id]) > t->cells)
			runs_dump(&t->runs[id], t->tables[id]);
	}
	views_add(&t->views, v, cell->invocations);
}

void tally_derive(struct tally *t)
{
	for (int id = 0; id < LAYOUT_COUNT; id++) {
		const struct plan_report *pr = &t->plan->reports[id];
		if (pr->from < 0 || !pr->active)
			continue;
		size_t pos = 0;
		for (struct rollup_row row; rollup_each(t->tables[pr->from], &pos, &row);) {
			for (size_t i = 0; i < pr->ncols; i++)
				t->key[i] = row.key[pr->from_cols[i]];
			counters_merge(rollup_get(t->tables[id], t->key), row.c);
		}
	}
}

struct runs_merge *tally_merge_cells(struct tally *const *t, size_t n, enum layout_id id)
{
	struct runs_merge *m = runs_merge_create(rollup_nfields(t[0]->tables[id]));
	for (size_t i = 0; i < n; i++) {
		runs_merge_add_runs(m, &t[i]->runs[id]);
		runs_merge_add_table(m, t[i]->tables[id]);
	}
	return m;
}

size_t layout_value_headers(const struct plan_report *pr, const char *out[LAYOUT_VALUES_MAX])
{
	size_t n = 0;
	if (pr->counters & COUNT_INVOCATIONS)
		out[n++] = "invocations";
	if (pr->counters & COUNT_ERRORS)
		out[n++] = "errors";
	if (pr->counters & COUNT_TOKENS)
		for (int k = 0; k < TOKEN_KINDS; k++)
			out[n++] = layout_token_columns[k];
	if (pr->counters & COUNT_COST)
		out[n++] = "cost_usd";
	if (pr->counters & COUNT_UNPRICED)
		out[n++] = "unpriced";
	for (size_t i = 0; i < 3 && pr->tail[i]; i++)
		out[n++] = pr->tail[i];
	if (pr->counters & COUNT_SEEN) {
		out[n++] = "first_seen";
		out[n++] = "last_seen";
	}
	return n;
}

void layout_write_header(struct report_file *f, const struct plan_report *pr)
{
	size_t lead = pr->last_key_first;
	if (lead)
		report_cstr(f, pr->cols[pr->ncols - 1].header);
	for (size_t i = 0; i < pr->ncols - lead; i++)
		report_cstr(f, pr->cols[i].header);
	const char *values[LAYOUT_VALUES_MAX];
	size_t n = layout_value_headers(pr, values);
	for (size_t i = 0; i < n; i++)
		report_cstr(f, values[i]);
	report_end_row(f);
}

static void write_row(struct report_file *f, const struct plan_report *pr,
		      const struct rollup_row *row)
{
	const struct counters *c = row->c;
	for (size_t i = 0; i < pr->ncols; i++)
		report_text(f, row->key[i]);
	if (pr->counters & COUNT_INVOCATIONS)
		report_u64(f, c->invocations);
	if (pr->counters & COUNT_ERRORS)
		report_u64(f, c->errors);
	if (pr->counters & COUNT_TOKENS)
		for (int k = 0; k < TOKEN_KINDS; k++)
			report_u64(f, c->tokens[k]);
	/* bedrock-ledger-formats(5), PRICING: the priced part, empty only when none is */
	if (pr->counters & COUNT_COST) {
		if (c->unpriced_records == c->invocations)
			report_empty(f);
		else
			report_money(f, c->cost);
	}
	if (pr->counters & COUNT_UNPRICED)
		report_u64(f, c->unpriced_records);
	if (pr->counters & COUNT_SEEN) {
		report_ts(f, c->seen, c->first);
		report_ts(f, c->seen, c->last);
	}
	report_end_row(f);
}

int tally_write(const struct tally *t, struct report_set *set)
{
	for (int id = 0; id < LAYOUT_COUNT; id++) {
		const struct plan_report *pr = &t->plan->reports[id];
		if (pr->writer != WRITE_ROWS)
			continue;
		struct report_file *f = report_open(set, pr->file);
		if (!f)
			return -1;
		layout_write_header(f, pr);
		const struct rollup *table = t->tables[id];
		struct rollup_row *rows = rollup_sorted(table);
		for (size_t i = 0; i < rollup_count(table); i++)
			write_row(f, pr, &rows[i]);
		free(rows);
	}
	return 0;
}
