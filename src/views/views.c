/*
 * views.c - the views' tables: set up, merged, coverage counted, and written.
 */
#include "ledger/views/views.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/facts/facts.h"
#include "ledger/views/layout.h"
#include "ledger/support/xalloc.h"

static const char *const whatif_own[] = { "model", "alternative", "invocations",
					  "alternative_usd", "saving_usd", NULL };
static const char *const cache_own[] = { "model", "invocations", "read_saving_usd",
					 "write_premium_usd", "net_saving_usd", NULL };

/* As in residency.csv: a -g column that repeats one of the view's own is left out. */
static void pick_groups(struct views_groups *out, const struct group_by *g,
			const char *const *own)
{
	out->n = 0;
	for (size_t i = 0; i < g->n && out->n < sizeof out->idx / sizeof *out->idx; i++) {
		bool clash = false;
		for (const char *const *o = own; *o && !clash; o++)
			clash = strcmp(*o, g->items[i].header) == 0;
		if (!clash)
			out->idx[out->n++] = i;
	}
}

void views_init(struct views *v, const struct views_config *cfg)
{
	memset(v, 0, sizeof *v);
	v->cfg = cfg;
	size_t ng = cfg ? cfg->g->n : 0;
	if (cfg) {
		pick_groups(&v->whatif_groups, cfg->g, whatif_own);
		pick_groups(&v->cache_groups, cfg->g, cache_own);
	}
	v->whatif = sums_create(v->whatif_groups.n + 2);
	v->cache = sums_create(v->cache_groups.n + 1);
	v->coverage = sums_create(3);
	v->hourly = sums_create(1);
	v->key = xcalloc(ng + 3, sizeof *v->key);
	v->alts = (struct whatif_alts){ .t = TABLE_INIT,
					.ladder = cfg ? cfg->ladder : NULL,
					.prices = cfg ? cfg->prices : NULL };
}

void views_finish(struct views *v)
{
	whatif_alts_finish(&v->alts);
	sums_destroy(v->whatif);
	sums_destroy(v->cache);
	sums_destroy(v->coverage);
	sums_destroy(v->hourly);
	free(v->key);
	memset(v, 0, sizeof *v);
}

/* Sets v->key[0..] to the view's -g values; returns how many. */
static size_t group_key(struct views *v, const struct views_groups *g, struct record_view *rv)
{
	for (size_t i = 0; i < g->n; i++)
		v->key[i] = view_field(rv, v->cfg->g->items[g->idx[i]].ref);
	return g->n;
}

void views_add(struct views *v, struct record_view *rv, uint64_t invocations)
{
	if (!v->cfg || rv->unpriced || !rv->price_row)
		return;
	size_t ng = group_key(v, &v->whatif_groups, rv);
	whatif_add(v->whatif, &v->alts, v->key, ng, rv, invocations);
	ng = group_key(v, &v->cache_groups, rv);
	cache_add(v->cache, v->key, ng, rv, invocations);
	v->key[0] = view_field(rv, (struct field_ref){ FIELD_HOUR, 0 });
	struct sums_row *h = sums_get(v->hourly, v->key);
	h->count[0] += invocations;
	h->usd[0] += (sums_usd_t)rv->cost;
}

void views_object(struct views *v)
{
	v->object++;
}

/*
 * The coverage row of (account, region, the local day of t) with t's hour
 * marked, and the object counted once: the one home of coverage.csv's day
 * and hour (local to --tz: a day's hours are counted from its midnight, 23
 * to 25 of them).
 */
static struct sums_row *coverage_row(struct views *v, struct str account, struct str region,
				     struct ts t)
{
	const struct tz *z = v->cfg->tz;
	int64_t sec = t.sec, local = z ? sec + tz_offset(z, sec) : sec;
	int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	if (!v->day_set || day != v->day_num) { /* records come in runs of one day */
		ts_format_day((struct ts){ local, 0 }, v->day);
		v->day_num = day;
		v->day_start = z ? tz_utc_of_local(z, day * 86400) : day * 86400;
		v->day_set = true;
	}
	v->key[0] = account;
	v->key[1] = region;
	v->key[2] = (struct str){ v->day, 10 };
	struct sums_row *row = sums_get(v->coverage, v->key);
	/* an object is read by one worker, start to end: a row counts it once */
	if (row->mark != v->object) {
		row->mark = v->object;
		row->count[COVERAGE_OBJECTS]++;
	}
	int64_t hour = sec > v->day_start ? (sec - v->day_start) / 3600 : 0;
	row->hours |= UINT64_C(1) << (hour < 63 ? hour : 63);
	return row;
}

void views_saw(struct views *v, const struct record *r, bool rejected)
{
	if (!v->cfg)
		return;
	struct sums_row *row = coverage_row(v, r->account_id, fact_source_region(r), r->timestamp);
	row->count[COVERAGE_RECORDS]++;
	row->count[COVERAGE_REJECTED] += rejected;
	sums_row_saw(row, r->timestamp);
}

void views_saw_cell(struct views *v, struct str account, struct str region,
		    const struct counters *c)
{
	if (!v->cfg)
		return;
	/* a cell lies in one hour (local to --tz too: facts.h), so its first record marks it */
	struct sums_row *row = coverage_row(v, account, region, c->first);
	row->count[COVERAGE_RECORDS] += c->invocations;
	sums_row_saw(row, c->first);
	sums_row_saw(row, c->last);
}

unsigned views_hours(const struct sums_row *r)
{
	return (unsigned)__builtin_popcountll(r->hours);
}

void views_merge(struct views *dst, const struct views *src)
{
	sums_merge(dst->whatif, src->whatif);
	sums_merge(dst->cache, src->cache);
	sums_merge(dst->coverage, src->coverage);
	sums_merge(dst->hourly, src->hourly);
}

static void group_headers(const struct views *v, const struct views_groups *g,
			  struct report_file *f)
{
	for (size_t i = 0; i < g->n; i++)
		report_cstr(f, v->cfg->g->items[g->idx[i]].header);
}

void views_whatif_header(const struct views *v, struct report_file *f)
{
	if (v->cfg)
		group_headers(v, &v->whatif_groups, f);
	report_cstr(f, "model");
	report_cstr(f, "alternative");
	report_cstr(f, "invocations");
	for (int k = 0; k < TOKEN_KINDS; k++)
		report_cstr(f, layout_token_columns[k]);
	report_cstr(f, "cost_usd");
	report_cstr(f, "alternative_usd");
	report_cstr(f, "saving_usd");
	report_end_row(f);
}

void views_cache_header(const struct views *v, struct report_file *f)
{
	if (v->cfg)
		group_headers(v, &v->cache_groups, f);
	static const char *const names[] = { "model",
					     "invocations",
					     "input_tokens",
					     "cache_read_tokens",
					     "cache_write_tokens",
					     "cache_write_1h_tokens",
					     "read_saving_usd",
					     "write_premium_usd",
					     "net_saving_usd" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		report_cstr(f, names[i]);
	report_end_row(f);
}

static void put_usd(struct report_file *f, sums_usd_t u)
{
	char text[48];
	sums_format_usd(u, text);
	report_number(f, text);
}

static void put_key(struct report_file *f, const struct str *key, size_t n)
{
	for (size_t i = 0; i < n; i++)
		report_text(f, key[i]);
}

static void write_whatif(const struct views *v, struct report_file *f)
{
	views_whatif_header(v, f);
	struct sums_entry *rows = sums_sorted(v->whatif);
	for (size_t i = 0; i < sums_count(v->whatif); i++) {
		const struct sums_row *r = rows[i].row;
		put_key(f, rows[i].key, v->whatif_groups.n + 2);
		report_u64(f, r->count[0]);
		for (int k = 0; k < TOKEN_KINDS; k++)
			report_u64(f, r->tokens[k]);
		put_usd(f, r->usd[WHATIF_COST]);
		put_usd(f, r->usd[WHATIF_ALT]);
		put_usd(f, r->usd[WHATIF_COST] - r->usd[WHATIF_ALT]);
		report_end_row(f);
	}
	free(rows);
}

static void write_cache(const struct views *v, struct report_file *f)
{
	views_cache_header(v, f);
	struct sums_entry *rows = sums_sorted(v->cache);
	for (size_t i = 0; i < sums_count(v->cache); i++) {
		const struct sums_row *r = rows[i].row;
		put_key(f, rows[i].key, v->cache_groups.n + 1);
		report_u64(f, r->count[0]);
		report_u64(f, r->tokens[TOKEN_INPUT]);
		report_u64(f, r->tokens[TOKEN_CACHE_READ]);
		report_u64(f, r->tokens[TOKEN_CACHE_WRITE]);
		report_u64(f, r->tokens[TOKEN_CACHE_WRITE_1H]);
		put_usd(f, r->usd[CACHE_READ_SAVING]);
		put_usd(f, r->usd[CACHE_WRITE_PREMIUM]);
		put_usd(f, r->usd[CACHE_READ_SAVING] - r->usd[CACHE_WRITE_PREMIUM]);
		report_end_row(f);
	}
	free(rows);
}

static void write_coverage(const struct views *v, struct report_file *f)
{
	report_header(f, VIEWS_COVERAGE_HEADER);
	struct sums_entry *rows = sums_sorted(v->coverage);
	for (size_t i = 0; i < sums_count(v->coverage); i++) {
		const struct sums_row *r = rows[i].row;
		put_key(f, rows[i].key, 3);
		report_u64(f, r->count[COVERAGE_OBJECTS]);
		report_u64(f, r->count[COVERAGE_RECORDS]);
		report_u64(f, r->count[COVERAGE_REJECTED]);
		report_ts(f, r->seen, r->first);
		report_ts(f, r->seen, r->last);
		report_u64(f, views_hours(r));
		report_end_row(f);
	}
	free(rows);
}

int views_write(const struct views *v, struct report_set *set)
{
	struct report_file *f = report_open(set, "whatif.csv");
	if (!f)
		return -1;
	write_whatif(v, f);
	if (!(f = report_open(set, "cache.csv")))
		return -1;
	write_cache(v, f);
	if (!(f = report_open(set, "coverage.csv")))
		return -1;
	write_coverage(v, f);
	return 0;
}
