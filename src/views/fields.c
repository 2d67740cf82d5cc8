/*
 * fields.c - -g items, and the value of each field for one record.
 */
#include "ledger/views/fields.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/keynames.h"
#include "ledger/support/xalloc.h"

static const char *const field_names[FIELD_COUNT] = {
	[FIELD_ACCOUNT_ID] = "account_id",
	[FIELD_REGION] = "region",
	[FIELD_INFERENCE_REGION] = "inference_region",
	[FIELD_CALLER] = "caller",
	[FIELD_PRINCIPAL] = "principal",
	[FIELD_ROUTE] = "route",
	[FIELD_OPERATION] = "operation",
	[FIELD_TIER] = "tier",
	[FIELD_POOL] = "pool",
};

const char *field_name(enum field_id id)
{
	return (unsigned)id < FIELD_COUNT ? field_names[id] : NULL;
}

/* The fixed columns of app_day.csv, which no -g header may repeat. */
static const char *const app_day_fixed[] = {
	"day",
	"model",
	"invocations",
	"errors",
	"input_tokens",
	"output_tokens",
	"cache_read_tokens",
	"cache_write_tokens",
	"cache_write_1h_tokens",
	"cost_usd",
	"unpriced",
};

static int parse_item(struct group_by *g, char *s, struct diag *d)
{
	struct group_item *it = &g->items[g->n];
	if (strncmp(s, "field:", 6) == 0) {
		const char *name = s + 6;
		for (int f = 0; f < FIELD_COUNT; f++) {
			if (field_names[f] && strcmp(field_names[f], name) == 0) {
				*it = (struct group_item){ { (enum field_id)f, 0 }, name };
				return 0;
			}
		}
		return diag_set(d,
				"'%s' is not a field: use one of account_id, region, "
				"inference_region, caller, principal, route, operation, tier, pool",
				s);
	}
	if (strncmp(s, "meta:", 5) == 0) {
		*it = (struct group_item){ { FIELD_META, (unsigned)g->nmeta }, s + 5 };
		g->metas[g->nmeta++] = s + 5;
	} else {
		const char *key = strncmp(s, "tag:", 4) == 0 ? s + 4 : s;
		*it = (struct group_item){ { FIELD_TAG, (unsigned)g->ntags }, key };
		g->tags[g->ntags++] = key;
	}
	if (!*it->header)
		return diag_set(d, "'%s' names no key", s);
	return 0;
}

int group_by_parse(struct group_by *g, const char *arg, struct diag *d)
{
	memset(g, 0, sizeof *g);
	g->text = xstrdup(arg);
	size_t cap = 1;
	for (const char *p = arg; *p; p++)
		cap += *p == ',';
	g->items = xcalloc(cap, sizeof *g->items);
	g->tags = xcalloc(cap, sizeof *g->tags);
	g->metas = xcalloc(cap, sizeof *g->metas);
	for (char *s = g->text, *end;; s = end + 1) {
		end = strchr(s, ',');
		if (end)
			*end = '\0';
		if (!*s) {
			diag_set(d, "'%s' has an empty item", arg);
			goto fail;
		}
		if (parse_item(g, s, d) != 0)
			goto fail;
		const char *h = g->items[g->n].header;
		for (size_t i = 0; i < g->n; i++) {
			if (strcmp(g->items[i].header, h) == 0) {
				diag_set(d, "'%s' names the column '%s' twice", arg, h);
				goto fail;
			}
		}
		for (size_t i = 0; i < sizeof app_day_fixed / sizeof *app_day_fixed; i++) {
			if (strcmp(app_day_fixed[i], h) == 0) {
				diag_set(d, "'%s': '%s' is a column of app_day.csv already", arg,
					 h);
				goto fail;
			}
		}
		g->n++;
		if (!end)
			break;
	}
	return 0;
fail:
	group_by_finish(g);
	return -1;
}

void group_by_finish(struct group_by *g)
{
	free(g->items);
	free(g->tags);
	free(g->metas);
	free(g->text);
	memset(g, 0, sizeof *g);
}

const char *fields_kind_name(enum record_token k)
{
	_Static_assert((int)TOKEN_KINDS == (int)KEY_KINDS &&
			   (int)TOKEN_CACHE_WRITE_1H == (int)KEY_CACHE_WRITE_1H,
		       "keynames.h's kinds are record.h's");
	return key_kind_name((unsigned)k);
}

void view_set(struct record_view *v, const struct record *r, const struct attribution *at,
	      struct str region)
{
	v->r = r;
	v->at = at;
	v->region = region;
	v->price_row = NULL;
	v->problem = at->problem;
	v->detail = (struct str){ "", 0 };
	v->unpriced = at->problem != PROBLEM_NONE;
	v->cost = 0;
	v->have = 0;
}

/* No manifest row or no model: at->model is the modelId as logged. */
static bool unattributed(const struct attribution *at)
{
	return at->problem == PROBLEM_NOT_IN_MANIFEST || at->problem == PROBLEM_NO_MODEL;
}

/*
 * view_field runs some 23 times a cell, mostly for a field it only loads.
 * The helpers that do more are kept out of line, so that those loads do
 * not save and restore registers for them (a warm --state run on 1 GiB:
 * 2,006 M to 1,962 M instructions).
 */
#define OUT_OF_LINE __attribute__((noinline))

static struct str verdict_text(enum pool_verdict v)
{
	return v == POOL_IN ? STR_LIT("yes") : v == POOL_OUT ? STR_LIT("no") : STR_LIT("unknown");
}

/*
 * bedrock-ledger-formats(5), POOLS: whether the inference region is in the pool
 * where Bedrock may run the model; the pool is the attribution's (made once per
 * modelId, region and tier).
 */
OUT_OF_LINE static struct str in_pool_of(const struct record_view *v)
{
	if (str_eq(v->at->pool, STR_LIT("unknown")))
		return STR_LIT("unknown");
	return verdict_text(modelid_in_geo(v->at->geo, v->region, v->r->inference_region));
}

OUT_OF_LINE static struct str principal_of(struct record_view *v)
{
	struct str caller = v->r->caller;
	if (caller.n + 8 > v->scratch_cap) {
		v->scratch_cap = caller.n + 64;
		v->scratch = xrealloc(v->scratch, v->scratch_cap);
	}
	size_t n = modelid_principal(caller, v->scratch, v->scratch_cap);
	return n ? (struct str){ v->scratch, n } : caller;
}

/*
 * The memo of a day or an hour, for instant sec: its text is made once per
 * instant while it stays in the memo (which = 0 day, 1 UTC day, 2 hour).
 */
static struct view_memo *memo_of(struct record_view *v, int which, int64_t sec, bool *fresh)
{
	struct view_memo *m = &v->memo[which][((uint64_t)sec / 3600) & (VIEW_MEMO - 1)];
	*fresh = !m->set || m->sec != sec;
	m->set = true;
	m->sec = sec;
	return m;
}

OUT_OF_LINE static struct str day_of(struct record_view *v)
{
	bool fresh;
	int64_t sec = v->r->timestamp.sec;
	char *t = memo_of(v, 0, sec, &fresh)->text;
	if (fresh && v->tz)
		tz_format_day(v->tz, sec, t);
	else if (fresh)
		ts_format_day(v->r->timestamp, t);
	return (struct str){ t, 10 };
}

OUT_OF_LINE static struct str utc_day_of(struct record_view *v)
{
	bool fresh;
	char *t = memo_of(v, 1, v->r->timestamp.sec, &fresh)->text;
	if (fresh)
		ts_format_day(v->r->timestamp, t);
	return (struct str){ t, 10 };
}

OUT_OF_LINE static struct str hour_of(struct record_view *v)
{
	bool fresh;
	int64_t sec = v->r->timestamp.sec;
	struct view_memo *m = memo_of(v, 2, sec, &fresh);
	if (fresh) {
		if (v->tz)
			tz_format_hour(v->tz, sec, m->text);
		else
			ts_format_hour(v->r->timestamp, m->text);
		m->len = strlen(m->text);
	}
	return (struct str){ m->text, m->len };
}

OUT_OF_LINE static struct str principal_once(struct record_view *v)
{
	unsigned bit = 1u << FIELD_PRINCIPAL;
	if (!(v->have & bit))
		v->principal = principal_of(v);
	v->have |= bit;
	return v->principal;
}

/* The model without its geographic prefix; unattributed, the modelId as logged. */
OUT_OF_LINE static struct str base_model_of(const struct record_view *v)
{
	if (unattributed(v->at))
		return v->at->model;
	size_t n = modelid_geo_prefix_len(v->at->model);
	return (struct str){ v->at->model.p + n, v->at->model.n - n };
}

struct str view_field(struct record_view *v, struct field_ref f)
{
	const struct record *r = v->r;
	switch (f.id) {
	case FIELD_DAY:
		return day_of(v);
	case FIELD_UTC_DAY:
		return utc_day_of(v);
	case FIELD_HOUR:
		return hour_of(v);
	case FIELD_ACCOUNT_ID:
		return r->account_id;
	case FIELD_REGION:
		return v->region;
	case FIELD_INFERENCE_REGION:
		return r->inference_region;
	case FIELD_CALLER:
		return r->caller;
	case FIELD_CALLER_KEY:
		if (!v->callers_principal)
			return r->caller;
		/* fall through */
	case FIELD_PRINCIPAL:
		return principal_once(v);
	case FIELD_ROUTE:
		return str_from(route_name(v->at->route));
	case FIELD_OPERATION:
		return r->operation;
	case FIELD_TIER:
		return r->tier.n ? r->tier : STR_LIT("standard");
	case FIELD_POOL:
		return v->at->pool;
	case FIELD_IN_POOL:
		return in_pool_of(v);
	case FIELD_SAME_GEOGRAPHY:
		return verdict_text(modelid_same_geography(v->region, r->inference_region));
	case FIELD_MODEL:
		return v->at->model;
	case FIELD_PROBLEM_MODEL:
		return v->at->problem_model;
	case FIELD_PROBLEM:
		return str_from(problem_name(v->problem));
	case FIELD_DETAIL:
		return v->detail;
	case FIELD_BASE_MODEL:
		return base_model_of(v);
	case FIELD_ROUTING:
		return str_from(key_routing_name(str_starts(v->at->model, "global.")));
	case FIELD_CONTEXT_CLASS:
		return str_from(key_context_name(v->price_row && v->price_row->context_over));
	case FIELD_KIND:
		return str_from(fields_kind_name(v->kind));
	case FIELD_UNATTRIBUTED:
		return unattributed(v->at) ? STR_LIT("unattributed") : STR_LIT("");
	case FIELD_TAG:
		return v->at->tags[f.arg];
	case FIELD_META:
		return r->meta[f.arg];
	case FIELD_COUNT:
		break;
	}
	return (struct str){ "", 0 };
}

void view_finish(struct record_view *v)
{
	free(v->scratch);
	v->scratch = NULL;
	v->scratch_cap = 0;
}
