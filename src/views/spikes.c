/*
 * spikes.c - the median of a key's other hours, exactly; and the flagged rows.
 */
#include "ledger/views/spikes.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

#define FEMTO_PER_NANO	1000000 /* 1e-9 USD in 1e-15 USD */
#define FEMTO_PER_MICRO ((money_t)1000000000)

int spike_parse_usd(const char *s, money_t *out)
{
	uint64_t nanos;
	if (money_parse_price(s, strlen(s), &nanos) != 0)
		return -1;
	*out = (money_t)nanos * FEMTO_PER_NANO;
	return 0;
}

int spike_parse_factor(const char *s, uint64_t *out)
{
	return money_parse_price(s, strlen(s), out);
}

/* One active hour of the key being read. */
struct hour {
	struct str key_hour; /* into text */
	size_t text_at;
	struct counters c;
};

struct group {
	struct hour *h;
	size_t n, cap;
	char *text;
	size_t text_n, text_cap;
	money_t *sorted;
	struct str *k; /* the key's K fields (into text) */
};

static int cmp_money(const void *a, const void *b)
{
	money_t x = *(const money_t *)a, y = *(const money_t *)b;
	return (x > y) - (x < y);
}

static char *keep_text(struct group *g, struct str s, size_t *at)
{
	if (g->text_n + s.n > g->text_cap) {
		g->text_cap = (g->text_n + s.n) * 2 + 64;
		g->text = xrealloc(g->text, g->text_cap);
	}
	*at = g->text_n;
	if (s.n)
		memcpy(g->text + g->text_n, s.p, s.n);
	g->text_n += s.n;
	return g->text + *at;
}

/* K's fields (all but the hour) equal? */
static bool same_k(const struct str *a, const struct str *b, size_t nk)
{
	for (size_t f = 0; f < nk; f++)
		if (!str_eq(a[f], b[f]))
			return false;
	return true;
}

static void flag(struct spikes *s, const struct group *g, size_t nk, const struct hour *h,
		 bool has_b, money_t num, unsigned den)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	struct spike *sp = &s->v[s->n++];
	size_t bytes = h->key_hour.n;
	for (size_t f = 0; f < nk; f++)
		bytes += g->k[f].n;
	sp->key = xmalloc(s->nfields * sizeof *sp->key + bytes + 1);
	char *p = (char *)(sp->key + s->nfields);
	for (size_t f = 0; f <= nk; f++) {
		struct str v = f < nk ? g->k[f] : h->key_hour;
		if (v.n)
			memcpy(p, v.p, v.n);
		sp->key[f] = (struct str){ p, v.n };
		p += v.n;
	}
	sp->c = h->c;
	sp->has_baseline = has_b;
	sp->baseline_num = num;
	sp->baseline_den = den;
}

/* The hours of one key K: flag those the rule says. */
static void judge(struct spikes *s, struct group *g, size_t nk, const struct spike_rule *r)
{
	bool any = false; /* most keys have no hour of the least cost: nothing to sort */
	for (size_t i = 0; i < g->n && !any; i++)
		any = g->h[i].c.cost >= r->min_cost;
	if (!any) {
		g->n = 0;
		g->text_n = 0;
		return;
	}
	for (size_t i = 0; i < g->n; i++)
		g->h[i].key_hour.p = g->text + g->h[i].text_at;
	g->sorted = xrealloc(g->sorted, (g->n ? g->n : 1) * sizeof *g->sorted);
	for (size_t i = 0; i < g->n; i++)
		g->sorted[i] = g->h[i].c.cost;
	qsort(g->sorted, g->n, sizeof *g->sorted, cmp_money);
	for (size_t i = 0; i < g->n; i++) {
		money_t cost = g->h[i].c.cost;
		if (cost < r->min_cost)
			continue;
		size_t others = g->n - 1;
		if (!others) {
			flag(s, g, nk, &g->h[i], false, 0, 1);
			continue;
		}
		/* the sorted costs without one copy of this hour's */
		size_t skip = 0;
		while (g->sorted[skip] != cost)
			skip++;
#define OTHER(j) g->sorted[(j) < skip ? (j) : (j) + 1]
		money_t num;
		unsigned den;
		if (others % 2) {
			num = OTHER(others / 2);
			den = 1;
		} else {
			num = OTHER(others / 2 - 1) + OTHER(others / 2);
			den = 2;
		}
#undef OTHER
		/* cost >= factor * num / den, as cost * den * 1e9 >= factor_nanos * num */
		if (cost * den * 1000000000u >= (money_t)r->factor_nanos * num)
			flag(s, g, nk, &g->h[i], true, num, den);
	}
	g->n = 0;
	g->text_n = 0;
}

static int by_report_order(const void *a, const void *b, void *ctx)
{
	const struct spike *x = a, *y = b;
	size_t n = *(const size_t *)ctx;
	/* the hour (last field) first, then K */
	int c = str_cmp(x->key[n - 1], y->key[n - 1]);
	for (size_t f = 0; !c && f + 1 < n; f++)
		c = str_cmp(x->key[f], y->key[f]);
	return c;
}

int spikes_find(struct spikes *s, struct runs_merge *m, size_t nfields, const struct spike_rule *r,
		struct diag *d)
{
	memset(s, 0, sizeof *s);
	s->nfields = nfields;
	size_t nk = nfields - 1;
	struct group g = { 0 };
	g.k = xcalloc(nk ? nk : 1, sizeof *g.k);
	size_t *k_at = xcalloc(nk ? nk : 1, sizeof *k_at);
	const struct str *key;
	struct counters c;
	int rc;
	while ((rc = runs_merge_next(m, &key, &c, d)) == 1) {
		if (g.n && !same_k(g.k, key, nk))
			judge(s, &g, nk, r);
		if (!g.n)
			for (size_t f = 0; f < nk; f++)
				keep_text(&g, key[f], &k_at[f]);
		if (g.n == g.cap) {
			g.cap = g.cap ? 2 * g.cap : 64;
			g.h = xrealloc(g.h, g.cap * sizeof *g.h);
		}
		struct hour *h = &g.h[g.n++];
		keep_text(&g, key[nk], &h->text_at);
		h->key_hour.n = key[nk].n;
		h->c = c;
		/* the buffer may have moved: K's slices are set again from offsets */
		for (size_t f = 0; f < nk; f++)
			g.k[f] = (struct str){ g.text + k_at[f], key[f].n };
	}
	if (rc == 0 && g.n)
		judge(s, &g, nk, r);
	free(g.h);
	free(g.text);
	free(g.sorted);
	free(g.k);
	free(k_at);
	if (rc < 0)
		return -1;
	if (s->n > 1)
		qsort_r(s->v, s->n, sizeof *s->v, by_report_order, &s->nfields);
	return 0;
}

void spikes_finish(struct spikes *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* Half up to 1e-6 USD: num / den femto-dollars as micro-dollars. */
static void format_micro(money_t micro, char out[48])
{
	/* money_format_usd prints femto-dollars: give it whole micro-dollars */
	money_format_usd(micro * FEMTO_PER_MICRO, out);
}

void spike_baseline_text(const struct spike *sp, char out[48])
{
	money_t div = FEMTO_PER_MICRO * sp->baseline_den;
	format_micro((sp->baseline_num + div / 2) / div, out);
}

bool spike_ratio_text(const struct spike *sp, char out[48])
{
	if (!sp->has_baseline || sp->baseline_num == 0)
		return false;
	/* cost / (num / den) * 100, half up: (2 * cost * den * 100 + num) / (2 * num) */
	money_t num = sp->baseline_num;
	money_t hundredths = (2 * sp->c.cost * sp->baseline_den * 100 + num) / (2 * num);
	char digits[48];
	digits[money_format_u128(hundredths / 100, digits)] = '\0';
	snprintf(out, 48, "%.40s.%02u", digits, (unsigned)(hundredths % 100));
	return true;
}

void spikes_write(const struct spikes *s, struct report_file *f)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct spike *sp = &s->v[i];
		report_text(f, sp->key[s->nfields - 1]);
		for (size_t k = 0; k + 1 < s->nfields; k++)
			report_text(f, sp->key[k]);
		report_u64(f, sp->c.invocations);
		for (int t = 0; t < TOKEN_KINDS; t++)
			report_u64(f, sp->c.tokens[t]);
		report_money(f, sp->c.cost);
		char text[48];
		if (sp->has_baseline) {
			spike_baseline_text(sp, text);
			report_cstr(f, text);
		} else {
			report_empty(f);
		}
		if (spike_ratio_text(sp, text))
			report_cstr(f, text);
		else
			report_empty(f);
		report_end_row(f);
	}
}

const struct spike *spikes_largest(const struct spikes *s, size_t i)
{
	/* few are asked for (the summary's three): a selection, not a sort */
	const struct spike *best = NULL;
	for (size_t round = 0; round <= i; round++) {
		const struct spike *prev = best;
		best = NULL;
		for (size_t j = 0; j < s->n; j++) {
			const struct spike *c = &s->v[j];
			bool below_prev = !prev || c->c.cost < prev->c.cost ||
					  (c->c.cost == prev->c.cost && c > prev);
			if (below_prev && (!best || c->c.cost > best->c.cost))
				best = c;
		}
	}
	return best;
}
