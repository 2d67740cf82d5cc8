/*
 * summary.c - the summary computed from the views: totals, top lists,
 * causes, residency, spikes.
 */
#include "ledger/views/summary.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/attribute.h"
#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

static struct str own(struct summary *s, struct str v)
{
	return (struct str){ arena_dup(&s->arena, v), v.n };
}

static int by_cost_desc(const void *a, const void *b)
{
	const struct rollup_row *x = a, *y = b;
	if (x->c->cost != y->c->cost)
		return x->c->cost < y->c->cost ? 1 : -1;
	return str_cmp(x->key[0], y->key[0]);
}

/* A top list of the values of one key field of src (rows where keep says so), by cost. */
static void top_of(struct summary *s, struct summary_top *top, const char *label,
		   const struct rollup *src, size_t field, size_t keep_max,
		   bool (*keep)(const struct str *key, const void *ctx), const void *ctx)
{
	struct rollup *by = rollup_create(1);
	size_t pos = 0;
	struct rollup_row row;
	while (rollup_each(src, &pos, &row))
		if (!keep || keep(row.key, ctx))
			counters_merge(rollup_get(by, &row.key[field]), row.c);
	size_t n = rollup_count(by);
	struct rollup_row *rows = rollup_sorted(by);
	qsort(rows, n, sizeof *rows, by_cost_desc);
	top->label = label;
	top->total = n;
	top->n = n < keep_max ? n : keep_max;
	top->rows = arena_alloc(&s->arena, (top->n ? top->n : 1) * sizeof *top->rows);
	for (size_t i = 0; i < top->n; i++)
		top->rows[i] = (struct summary_row){ own(s, rows[i].key[0]), *rows[i].c };
	free(rows);
	rollup_destroy(by);
}

/* ---- the causes of unattributed records ---- */

/* The account and region of an application-profile ARN, as a 2-field key. */
static bool arn_where(struct str arn, struct str key[2])
{
	/* arn:PARTITION:bedrock:REGION:ACCOUNT:application-inference-profile/ID */
	const char *f[6];
	const char *p = arn.p, *end = arn.p + arn.n;
	for (int i = 0; i < 6; i++) {
		f[i] = p;
		const char *c = i < 5 ? memchr(p, ':', (size_t)(end - p)) : end;
		if (!c)
			return false;
		p = c + 1;
	}
	key[0] = (struct str){ f[4], (size_t)(f[5] - 1 - f[4]) };
	key[1] = (struct str){ f[3], (size_t)(f[4] - 1 - f[3]) };
	return key[0].n && key[1].n;
}

static void causes_of(struct summary *s, struct summary_causes *c, const struct rollup *where)
{
	struct rollup_row *rows = rollup_sorted(where);
	c->total_where = rollup_count(where);
	c->nwhere = c->total_where < SUMMARY_WHERE_MAX ? c->total_where : SUMMARY_WHERE_MAX;
	c->where = arena_alloc(&s->arena, (c->nwhere ? c->nwhere : 1) * sizeof *c->where);
	for (size_t i = 0; i < c->nwhere; i++)
		c->where[i] = (struct summary_where){ own(s, rows[i].key[0]), own(s, rows[i].key[1]) };
	free(rows);
}

/* unresolved.csv's rows: the unpriced and unattributed totals, and where those profiles live. */
static void unresolved_totals(struct summary *s, const struct layout_plan *plan,
			      const struct tally *all)
{
	const struct rollup *unresolved = all->tables[LAYOUT_UNRESOLVED];
	int col = layout_column_of(plan, LAYOUT_UNRESOLVED, FIELD_PROBLEM);
	int model_col = layout_column_of(plan, LAYOUT_UNRESOLVED, FIELD_PROBLEM_MODEL);
	struct str missing = str_from(problem_name(PROBLEM_NOT_IN_MANIFEST));
	struct str no_model = str_from(problem_name(PROBLEM_NO_MODEL));
	struct rollup *missing_where = rollup_create(2), *no_model_where = rollup_create(2);
	size_t pos = 0;
	struct rollup_row row;
	while (rollup_each(unresolved, &pos, &row)) {
		counters_merge(&s->unpriced, row.c);
		struct str p = row.key[col];
		struct rollup *where = NULL;
		if (str_eq(p, missing)) {
			s->missing.profiles++;
			where = missing_where;
		} else if (str_eq(p, no_model)) {
			s->no_model.profiles++;
			where = no_model_where;
		}
		struct str key[2];
		if (where) {
			counters_merge(&s->unattributed, row.c);
			if (arn_where(row.key[model_col], key))
				counters_merge(rollup_get(where, key), row.c);
		}
	}
	causes_of(s, &s->missing, missing_where);
	causes_of(s, &s->no_model, no_model_where);
	rollup_destroy(missing_where);
	rollup_destroy(no_model_where);
}

/* ---- residency ---- */

/* residency.csv's rows: what ran outside its pool, and EU data on non-EU pools. */
static void residency_totals(struct summary *s, const struct layout_plan *plan,
			     const struct tally *all)
{
	const struct rollup *res = all->tables[LAYOUT_RESIDENCY];
	int in_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_IN_POOL);
	int pool_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_POOL);
	int region_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_REGION);
	int infr_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_INFERENCE_REGION);
	int geo_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_SAME_GEOGRAPHY);
	struct rollup *eu = rollup_create(1);
	size_t pos = 0;
	struct rollup_row row;
	while (rollup_each(res, &pos, &row)) {
		const struct str *k = row.key;
		uint64_t n = row.c->invocations;
		if (str_eq(k[in_col], STR_LIT("no")))
			s->out_of_pool += n;
		if (!k[infr_col].n)
			s->no_inference_region += n;
		/* did EU data leave the EU: where it ran, whatever the pool allows */
		if (str_eq(modelid_region_geography(k[region_col]), STR_LIT("eu"))) {
			s->eu_source += n;
			if (str_eq(k[geo_col], STR_LIT("no")))
				s->eu_left += n;
		}
		/* an unknown pool (route other, a profile in no manifest) says nothing of where it
		 * ran */
		if (str_starts(k[region_col], "eu-") && !str_eq(k[pool_col], STR_LIT("eu")) &&
		    !str_eq(k[pool_col], STR_LIT("in-region")) &&
		    !str_eq(k[pool_col], STR_LIT("unknown"))) {
			s->eu_outside += n;
			counters_merge(rollup_get(eu, &k[pool_col]), row.c);
		}
	}
	struct rollup_row *rows = rollup_sorted(eu);
	s->neu_pools = rollup_count(eu);
	s->eu_pools = arena_alloc(&s->arena, (s->neu_pools ? s->neu_pools : 1) * sizeof *s->eu_pools);
	for (size_t i = 0; i < s->neu_pools; i++)
		s->eu_pools[i] = own(s, rows[i].key[0]);
	free(rows);
	rollup_destroy(eu);
}

/* ---- spikes ---- */

static void largest_spikes(struct summary *s, const struct layout_plan *plan,
			   const struct spikes *sp)
{
	s->all_spikes = sp;
	if (!sp)
		return;
	const struct plan_report *pr = &plan->reports[LAYOUT_SPIKES];
	int g = layout_group_column(plan, LAYOUT_SPIKES, 0);
	/* --spike-by: the principal, the caller, or no such column */
	int who = layout_column_of(plan, LAYOUT_SPIKES, FIELD_PRINCIPAL);
	if (who < 0)
		who = layout_column_of(plan, LAYOUT_SPIKES, FIELD_CALLER);
	int model = layout_column_of(plan, LAYOUT_SPIKES, FIELD_MODEL);
	s->nspikes = sp->n;
	s->spike_group = g >= 0 ? pr->cols[g].header : NULL;
	s->spike_who = who >= 0 ? pr->cols[who].header : NULL;
	for (size_t i = 0; i < sp->n && i < SUMMARY_SPIKES; i++) {
		const struct spike *x = spikes_largest(sp, i);
		struct summary_spike *o = &s->spikes[s->nlargest++];
		o->hour = x->key[pr->ncols - 1];
		o->group = g >= 0 ? x->key[g] : (struct str){ "", 0 };
		o->who = who >= 0 ? x->key[who] : (struct str){ "", 0 };
		o->model = x->key[model];
		o->cost = x->c.cost;
		o->has_ratio = spike_ratio_text(x, o->ratio);
		o->has_baseline = x->has_baseline;
	}
}

/* The built-in table's age at the newest record: days between their UTC dates. */
static void prices_age(struct summary *s)
{
	struct ts date;
	if (!s->prices_date || !s->has_period || ts_parse_bound(s->prices_date, &date) != 0)
		return;
	int64_t last = s->last.sec / 86400 - (s->last.sec % 86400 < 0);
	int64_t days = last - date.sec / 86400;
	s->prices_age_days = days > 0 ? days : 0;
}

/* ---- the whole ---- */

static bool direct_route(const struct str *key, const void *ctx)
{
	int route_col = *(const int *)ctx;
	return str_eq(key[route_col], str_from(route_name(ROUTE_FOUNDATION_MODEL))) ||
	       str_eq(key[route_col], str_from(route_name(ROUTE_SYSTEM_PROFILE)));
}

static void totals(struct summary *s, const struct layout_plan *plan, const struct tally *all)
{
	const struct rollup *caller = all->tables[LAYOUT_CALLER];
	int route_col = layout_column_of(plan, LAYOUT_CALLER, FIELD_ROUTE);
	size_t pos = 0;
	struct rollup_row row;
	while (rollup_each(caller, &pos, &row)) {
		counters_merge(&s->all, row.c);
		if (direct_route(row.key, &route_col))
			counters_merge(&s->direct, row.c);
	}
	s->has_period = s->all.seen;
	s->first = s->all.first;
	s->last = s->all.last;
	size_t caller_col = (size_t)layout_column_of(plan, LAYOUT_CALLER, FIELD_CALLER_KEY);
	int g = layout_group_column(plan, LAYOUT_APP_DAY, 0);
	if (g >= 0) {
		s->group_header = plan->reports[LAYOUT_APP_DAY].cols[g].header;
		top_of(s, &s->top_group, "", all->tables[LAYOUT_APP_DAY], (size_t)g, SUMMARY_TOP,
		       NULL, NULL);
	}
	top_of(s, &s->top_callers, "top callers", caller, caller_col, SUMMARY_TOP, NULL, NULL);
	top_of(s, &s->top_models, "top models", caller,
	       (size_t)layout_column_of(plan, LAYOUT_CALLER, FIELD_MODEL), SUMMARY_TOP, NULL, NULL);
	top_of(s, &s->top_direct, "", caller, caller_col, SUMMARY_TOP_DIRECT, direct_route,
	       &route_col);
}

void summary_build(struct summary *s, const struct summary_inputs *in,
		   const struct layout_plan *plan, const struct tally *all)
{
	memset(s, 0, sizeof *s);
	s->objects_read = in->objects_read;
	s->objects_skipped = in->objects_skipped;
	s->objects_error = in->objects_error;
	s->objects_pruned = in->objects_pruned;
	s->records_read = in->records_read;
	s->counted = in->counted;
	s->rejected = in->rejected;
	s->filtered = in->filtered;
	s->ignored_1h = in->ignored_1h;
	s->seen = in->seen;
	s->seen_first = in->seen_first;
	s->seen_last = in->seen_last;
	s->pruned_first = in->pruned_first;
	s->pruned_last = in->pruned_last;
	s->nskip_reasons = in->sources.nreasons;
	memcpy(s->skip_reasons, in->sources.reasons, sizeof s->skip_reasons);
	s->most_rejected = in->sources.most_rejected;
	if (in->sources.most_rejected_path)
		s->most_rejected_path = own(s, str_from(in->sources.most_rejected_path));
	s->prices_name = in->prices_name;
	s->prices_date = in->prices_date;
	s->bill = in->bill;
	s->rec = in->rec;
	s->duplicates = in->duplicates;
	s->dedupe = in->dedupe;
	s->budgets = in->budgets;
	s->out_dir = in->out_dir;
	s->tz_name = in->tz_name;
	totals(s, plan, all);
	prices_age(s);
	unresolved_totals(s, plan, all);
	residency_totals(s, plan, all);
	largest_spikes(s, plan, in->spikes);
}

void summary_set_reports(struct summary *s, const char *const *names, size_t n)
{
	s->reports = arena_alloc(&s->arena, (n ? n : 1) * sizeof *s->reports);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]) + 1;
		s->reports[i] = memcpy(arena_alloc(&s->arena, len), names[i], len);
	}
	s->nreports = n;
}

void summary_finish(struct summary *s)
{
	arena_free(&s->arena);
	memset(s, 0, sizeof *s);
}
