/*
 * facts.c - the cell of a counted record, and the record a cell stands for.
 */
#include "ledger/facts/facts.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

static const char *const field_names[] = {
	[FACT_HOUR] = "hour",
	[FACT_MODEL_ID] = "model_id",
	[FACT_REGION] = "region",
	[FACT_TIER] = "tier",
	[FACT_CONTEXT] = "context_floor",
	[FACT_PRICE_TIME] = "price_time",
	[FACT_KINDS] = "token_kinds",
	[FACT_CALLER] = "caller",
	[FACT_ACCOUNT_ID] = "account_id",
	[FACT_INFERENCE_REGION] = "inference_region",
	[FACT_OPERATION] = "operation",
	[FACT_META] = "meta",
};

const char *fact_field_name(enum fact_field f)
{
	return f >= FACT_META ? field_names[FACT_META] : field_names[f];
}

/* ---- the plan: the price classes ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_ts(const void *a, const void *b)
{
	return ts_cmp(*(const struct ts *)a, *(const struct ts *)b);
}

/* Sorts and drops repeats; returns the new count. */
static size_t sort_unique(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (!n)
		return 0;
	qsort(base, n, size, cmp);
	size_t m = 1;
	for (size_t i = 1; i < n; i++) {
		char *prev = (char *)base + (m - 1) * size, *cur = (char *)base + i * size;
		if (cmp(prev, cur) != 0)
			memcpy((char *)base + m++ * size, cur, size);
	}
	return m;
}

void fact_plan_init(struct fact_plan *p, const struct price_table *prices, size_t nmeta)
{
	memset(p, 0, sizeof *p);
	p->nmeta = nmeta;
	p->nfields = FACT_META + nmeta;
	size_t rows = prices ? prices_count(prices) : 0;
	p->contexts = xcalloc(rows + 1, sizeof *p->contexts);
	p->bounds = xcalloc(2 * rows + 1, sizeof *p->bounds);
	for (size_t i = 0; i < rows; i++) {
		const struct price_row *r = prices_row_at(prices, i);
		if (r->context_over)
			p->contexts[p->ncontexts++] = r->context_over;
		if (r->has_from)
			p->bounds[p->nbounds++] = r->valid_from;
		if (r->has_to)
			p->bounds[p->nbounds++] = r->valid_to;
	}
	p->ncontexts = sort_unique(p->contexts, p->ncontexts, sizeof *p->contexts, cmp_u64);
	p->nbounds = sort_unique(p->bounds, p->nbounds, sizeof *p->bounds, cmp_ts);
}

void fact_plan_add_bounds(struct fact_plan *p, const struct ts *t, size_t n)
{
	p->bounds = xrealloc(p->bounds, (p->nbounds + n + 1) * sizeof *p->bounds);
	memcpy(p->bounds + p->nbounds, t, n * sizeof *t);
	p->nbounds = sort_unique(p->bounds, p->nbounds + n, sizeof *p->bounds, cmp_ts);
}

void fact_plan_finish(struct fact_plan *p)
{
	free(p->contexts);
	free(p->bounds);
	memset(p, 0, sizeof *p);
}

/*
 * A row prices a context c when c > its context_over, so which rows can
 * apply depends only on the greatest threshold below c: that threshold + 1
 * (or 0 below every threshold) stands for every context of the class.
 */
static uint64_t context_floor(const struct fact_plan *p, uint64_t context)
{
	size_t lo = 0, hi = p->ncontexts; /* thresholds [0, lo) are < context */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->contexts[mid] < context)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? p->contexts[lo - 1] + 1 : 0;
}

/*
 * A row is in force at t when valid_from <= t < valid_to, so which rows are
 * depends only on the greatest bound at or before t: the later of that bound
 * and the hour's start stands for every instant of the class in the hour.
 */
static struct ts price_time(const struct fact_plan *p, struct ts t, struct ts hour)
{
	size_t lo = 0, hi = p->nbounds; /* bounds [0, lo) are <= t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ts_cmp(p->bounds[mid], t) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && ts_cmp(p->bounds[lo - 1], hour) > 0)
		return p->bounds[lo - 1];
	return hour;
}

/* ---- keys ---- */

static void put_be(unsigned char *out, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		out[i] = (unsigned char)v;
}

static uint64_t get_be(const char *in, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | (unsigned char)in[i];
	return v;
}

#define BIAS ((uint64_t)1 << 63) /* signed seconds and hours in unsigned byte order */

int64_t fact_hour(struct ts t)
{
	return t.sec >= 0 ? t.sec / 3600 : -((-t.sec + 3599) / 3600);
}

struct str fact_source_region(const struct record *r)
{
	if (r->region.n)
		return r->region;
	return modelid_arn_field(r->model_id, 3);
}

void fact_key_init(struct fact_key *k, const struct fact_plan *p)
{
	memset(k, 0, sizeof *k);
	k->fields = xcalloc(p->nfields, sizeof *k->fields);
}

void fact_key_finish(struct fact_key *k)
{
	free(k->fields);
	memset(k, 0, sizeof *k);
}

uint64_t fact_record_context(const struct record *r)
{
	return r->tokens[TOKEN_INPUT] + r->tokens[TOKEN_CACHE_READ] + r->tokens[TOKEN_CACHE_WRITE];
}

/* Which kinds of token a price must have for this record (cache writes split by TTL). */
static unsigned billed_kinds(const uint64_t tokens[TOKEN_KINDS])
{
	unsigned kinds = 0;
	for (int t = 0; t < TOKEN_KINDS; t++) {
		uint64_t n = tokens[t];
		if (t == TOKEN_CACHE_WRITE)
			n -= tokens[TOKEN_CACHE_WRITE_1H];
		if (n)
			kinds |= 1u << t;
	}
	return kinds;
}

/*
 * Where the cell of an instant t of UTC hour h starts: the hour's start, or
 * with --tz the start of t's local hour when that lies inside the UTC hour
 * (bedrock-ledger-formats(5), TIME: a +05:30 zone splits each UTC hour).
 */
static struct ts cell_hour_start(const struct fact_plan *p, int64_t h, struct ts t)
{
	struct ts hour = { h * 3600, 0 };
	if (p->tz) {
		int64_t local = tz_hour_start(p->tz, t.sec);
		if (local > hour.sec)
			hour.sec = local;
	}
	return hour;
}

void fact_key_set_class(struct fact_key *k, const struct fact_plan *p, int64_t h, uint64_t context,
			struct ts t, unsigned kinds)
{
	struct str *f = k->fields;
	struct ts at = price_time(p, t, cell_hour_start(p, h, t));
	put_be(k->hour, (uint64_t)h + BIAS, 8);
	put_be(k->context, context_floor(p, context), 8);
	put_be(k->price_time, (uint64_t)at.sec + BIAS, 8);
	put_be(k->price_time + 8, (uint64_t)at.nsec, 4);
	k->kinds[0] = (unsigned char)kinds;
	f[FACT_HOUR] = (struct str){ (const char *)k->hour, 8 };
	f[FACT_CONTEXT] = (struct str){ (const char *)k->context, 8 };
	f[FACT_PRICE_TIME] = (struct str){ (const char *)k->price_time, 12 };
	f[FACT_KINDS] = (struct str){ (const char *)k->kinds, 1 };
}

bool fact_one_context_class(const struct fact_plan *p, uint64_t lo, uint64_t hi)
{
	return context_floor(p, lo) == context_floor(p, hi);
}

bool fact_one_time_class(const struct fact_plan *p, struct ts first, struct ts last)
{
	int64_t h = fact_hour(first);
	return fact_hour(last) == h &&
	       ts_cmp(price_time(p, first, cell_hour_start(p, h, first)),
		      price_time(p, last, cell_hour_start(p, h, last))) == 0;
}

void fact_key_set(struct fact_key *k, const struct fact_plan *p, const struct record *r)
{
	struct str *f = k->fields;
	const uint64_t *tok = r->tokens;
	fact_key_set_class(k, p, fact_hour(r->timestamp), fact_record_context(r), r->timestamp,
			   billed_kinds(tok));
	f[FACT_MODEL_ID] = r->model_id;
	f[FACT_REGION] = fact_source_region(r);
	f[FACT_TIER] = r->tier;
	f[FACT_CALLER] = r->caller;
	f[FACT_ACCOUNT_ID] = r->account_id;
	f[FACT_INFERENCE_REGION] = r->inference_region;
	f[FACT_OPERATION] = r->operation;
	for (size_t i = 0; i < p->nmeta; i++)
		f[FACT_META + i] = r->meta[i];
}

const struct counters *facts_add(struct rollup *t, const struct fact_key *k, const struct record *r)
{
	struct counters *c = rollup_get(t, k->fields);
	uint64_t context = fact_record_context(r);
	if (!c->seen || context < c->context_min)
		c->context_min = context;
	if (!c->seen || context > c->context_max)
		c->context_max = context;
	counters_add_record(c, r, false, 0);
	c->ignored_1h += r->cache_write_1h_ignored;
	return c;
}

void fact_record(const struct fact_plan *p, const struct str *key, const struct counters *c,
		 struct record *r, uint64_t *context)
{
	memset(r, 0, sizeof *r);
	const char *t = key[FACT_PRICE_TIME].p;
	r->timestamp = (struct ts){ (int64_t)(get_be(t, 8) - BIAS), (int32_t)get_be(t + 8, 4) };
	r->model_id = key[FACT_MODEL_ID];
	r->region = key[FACT_REGION];
	r->tier = key[FACT_TIER];
	r->caller = key[FACT_CALLER];
	r->account_id = key[FACT_ACCOUNT_ID];
	r->inference_region = key[FACT_INFERENCE_REGION];
	r->operation = key[FACT_OPERATION];
	r->meta = p->nmeta ? key + FACT_META : NULL;
	r->error = c->errors > 0;
	memcpy(r->tokens, c->tokens, sizeof r->tokens);
	*context = get_be(key[FACT_CONTEXT].p, 8);
}
