/*
 * plans.c - the plans of a state: how a stored object's cells were split
 * (its -g meta: keys, the context thresholds and the instants), this run's
 * plan as the same texts, and whether a stored plan settles that no cell
 * needs a check.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"
#include "state_int.h"

/* This run's plan as the three texts of a plans row. */
static void run_plan_text(struct state *st)
{
	const struct fact_plan *p = st->cfg.plan;
	struct sbuf b = { 0 };
	sbuf_ch(&b, '[');
	for (size_t i = 0; i < p->nmeta; i++) {
		if (i)
			sbuf_ch(&b, ',');
		sbuf_jstr(&b, str_from(st->cfg.metas[i]));
	}
	sbuf_ch(&b, ']');
	st->plan_text[0] = b.p;
	b = (struct sbuf){ 0 };
	sbuf_ch(&b, '[');
	for (size_t i = 0; i < p->ncontexts; i++) {
		if (i)
			sbuf_ch(&b, ',');
		sbuf_u64(&b, p->contexts[i]);
	}
	sbuf_ch(&b, ']');
	st->plan_text[1] = b.p;
	b = (struct sbuf){ 0 };
	sbuf_ch(&b, '[');
	for (size_t i = 0; i < p->nbounds; i++) {
		sbuf_put(&b, i ? ",[" : "[", i ? 2 : 1);
		sbuf_i64(&b, p->bounds[i].sec);
		sbuf_ch(&b, ',');
		sbuf_i64(&b, p->bounds[i].nsec);
		sbuf_ch(&b, ']');
	}
	sbuf_ch(&b, ']');
	st->plan_text[2] = b.p;
}

int64_t state_text_sum(struct str s)
{
	return (int64_t)sum_str(TABLE_HASH_START, s);
}

int64_t plan_sum(const char *const text[3])
{
	uint64_t h = TABLE_HASH_START;
	for (int i = 0; i < 3; i++)
		h = sum_str(h, str_from(text[i]));
	return (int64_t)h;
}

/* Reads a stored plan's texts and judges it against the run's plan; -1 if unreadable. */
static int judge_plan(struct state *st, struct state_plan *sp, const char *keys,
		      const char *contexts, const char *bounds)
{
	const struct fact_plan *p = st->cfg.plan;
	struct sbuf name = { 0 };
	struct jr r = { keys, keys + strlen(keys) };
	sp->meta_at = xcalloc(p->nmeta + 1, sizeof *sp->meta_at);
	size_t found = 0;
	bool ok = jr_ch(&r, '[');
	for (bool first = true; ok && !jr_is(&r, ']'); first = false) {
		name.n = 0;
		ok = (first || jr_ch(&r, ',')) && jr_str(&r, &name);
		for (size_t i = 0; ok && i < p->nmeta; i++)
			if (str_eq((struct str){ name.p, name.n }, str_from(st->cfg.metas[i]))) {
				sp->meta_at[i] = sp->nkeys;
				found++;
			}
		sp->nkeys++;
	}
	ok = ok && jr_ch(&r, ']') && jr_end(&r);
	sbuf_free(&name);
	sp->meta_ok = found == p->nmeta;
	/* exact when every context and bound of the run is one the cells were split at */
	size_t hits = 0;
	r = (struct jr){ contexts, contexts + strlen(contexts) };
	ok = ok && jr_ch(&r, '[');
	for (bool first = true; ok && !jr_is(&r, ']'); first = false) {
		uint64_t v;
		ok = (first || jr_ch(&r, ',')) && jr_u64(&r, &v);
		for (size_t i = 0; ok && i < p->ncontexts; i++)
			hits += p->contexts[i] == v;
	}
	ok = ok && jr_ch(&r, ']') && jr_end(&r);
	bool exact = hits == p->ncontexts;
	hits = 0;
	r = (struct jr){ bounds, bounds + strlen(bounds) };
	ok = ok && jr_ch(&r, '[');
	for (bool first = true; ok && !jr_is(&r, ']'); first = false) {
		int64_t sec, nsec;
		ok = (first || jr_ch(&r, ',')) && jr_ch(&r, '[') && jr_i64(&r, &sec) &&
		     jr_ch(&r, ',') && jr_i64(&r, &nsec) && jr_ch(&r, ']');
		for (size_t i = 0; ok && i < p->nbounds; i++)
			hits += p->bounds[i].sec == sec && p->bounds[i].nsec == nsec;
	}
	ok = ok && jr_ch(&r, ']') && jr_end(&r);
	sp->exact = exact && hits == p->nbounds;
	return ok ? 0 : -1;
}

int state_load_plans(struct state *st)
{
	run_plan_text(st);
	int64_t count = 0;
	if (state_query_one(st->db, "SELECT count(*) FROM plans", &count, NULL, 0) != SQLITE_ROW)
		return -1;
	st->plans = xcalloc((size_t)count + 1, sizeof *st->plans);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, meta_keys, context_over, bounds, checksum FROM plans",
			       -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && st->nplans < (size_t)count) {
		struct state_plan *sp = &st->plans[st->nplans++];
		sp->id = sqlite3_column_int64(s, 0);
		const char *t[3];
		for (int i = 0; i < 3; i++) {
			t[i] = (const char *)sqlite3_column_text(s, i + 1);
			if (!t[i])
				t[i] = "";
		}
		if (sqlite3_column_int64(s, 4) != plan_sum(t) ||
		    judge_plan(st, sp, t[0], t[1], t[2]) != 0) {
			state_set_broken(st, "plan %" PRId64 " unreadable", sp->id);
			break;
		}
		if (strcmp(t[0], st->plan_text[0]) == 0 && strcmp(t[1], st->plan_text[1]) == 0 &&
		    strcmp(t[2], st->plan_text[2]) == 0)
			st->run_plan_id = sp->id;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

const struct state_plan *state_find_plan(const struct state *st, int64_t id)
{
	for (size_t i = 0; i < st->nplans; i++)
		if (st->plans[i].id == id)
			return &st->plans[i];
	return NULL;
}
