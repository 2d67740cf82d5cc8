/*
 * cur_bill.c - the bill's rows, adjustments and unknown names: items in an
 * arena found through table.h, sorted only when asked for.
 */
#include "ledger/bill/cur_bill.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/arena.h"
#include "ledger/support/table.h"
#include "ledger/support/timestamp.h"
#include "ledger/support/xalloc.h"

struct row_item {
	struct cur_row row;
	uint64_t hash;
};

struct adj_item {
	struct cur_adjustment adj;
	uint64_t hash;
};

struct name_item {
	struct cur_unknown_name u;
	uint64_t hash;
};

struct caller_item {
	struct cur_caller c;
	uint64_t hash;
};

/* A table's items as a sorted array, rebuilt when the table has changed. */
struct sorted {
	const void **items;
	size_t n;
	bool stale;
};

struct cur_bill {
	struct arena arena;
	struct table rows, adjustments, names, callers;
	struct cur_counts counts;
	struct sorted sorted_rows, sorted_adjustments, sorted_names, sorted_callers;
	char *scratch; /* a principal being folded */
	size_t scratch_cap;
};

struct cur_bill *cur_bill_create(void)
{
	return xcalloc(1, sizeof(struct cur_bill));
}

void cur_bill_destroy(struct cur_bill *b)
{
	if (!b)
		return;
	table_finish(&b->rows);
	table_finish(&b->adjustments);
	table_finish(&b->names);
	table_finish(&b->callers);
	free(b->sorted_callers.items);
	free(b->scratch);
	free(b->sorted_rows.items);
	free(b->sorted_adjustments.items);
	free(b->sorted_names.items);
	arena_free(&b->arena);
	free(b);
}

struct cur_counts *cur_bill_counts(struct cur_bill *b)
{
	return &b->counts;
}

static uint64_t key_hash(const struct cur_key *k)
{
	unsigned char e[4] = { (unsigned char)k->kind, (unsigned char)k->routing,
			       (unsigned char)k->tier, (unsigned char)k->context };
	uint64_t h = table_hash(&k->day, sizeof k->day);
	h = table_hash_add(h, k->region.p, k->region.n);
	h = table_hash_add(h, k->model.p, k->model.n);
	return table_hash_add(h, e, sizeof e);
}

static bool key_eq(const struct cur_key *a, const struct cur_key *b)
{
	return a->day == b->day && a->kind == b->kind && a->routing == b->routing &&
	       a->tier == b->tier && a->context == b->context && str_eq(a->region, b->region) &&
	       str_eq(a->model, b->model);
}

/* The item of t under hash h that `match` finds equal to key, or NULL. */
static void *find(const struct table *t, uint64_t h,
		  bool (*match)(const void *item, const void *key), const void *key)
{
	size_t pos;
	for (void *it = table_first(t, h, &pos); it; it = table_next(t, h, &pos))
		if (match(it, key))
			return it;
	return NULL;
}

static bool row_matches(const void *item, const void *key)
{
	return key_eq(&((const struct row_item *)item)->row.key, key);
}

/* Adjustments and names are items whose first member is their name. */
static bool name_matches(const void *item, const void *key)
{
	return str_eq(*(const struct str *)item, *(const struct str *)key);
}

static struct row_item *find_row(const struct cur_bill *b, const struct cur_key *k, uint64_t h)
{
	return find(&b->rows, h, row_matches, k);
}

static struct adj_item *find_adj(const struct cur_bill *b, struct str type, uint64_t h)
{
	return find(&b->adjustments, h, name_matches, &type);
}

static struct name_item *find_name(const struct cur_bill *b, struct str name, uint64_t h)
{
	return find(&b->names, h, name_matches, &name);
}

static struct str copy(struct arena *a, struct str s)
{
	return (struct str){ arena_dup(a, s), s.n };
}

static void touch(struct cur_bill *b)
{
	b->sorted_rows.stale = b->sorted_adjustments.stale = b->sorted_names.stale = true;
	b->sorted_callers.stale = true;
}

/* Would adding (tokens, usd) to these sums overflow, or the tokens not round to an int64_t? */
static bool fits(struct decimal tokens_sum, struct decimal usd_sum, struct decimal tokens,
		 struct decimal usd)
{
	int64_t t;
	return decimal_add(&tokens_sum, tokens) == 0 &&
	       decimal_to_integer(tokens_sum, 1, &t) == 0 && decimal_add(&usd_sum, usd) == 0;
}

/*
 * The sums of one source row (or of a whole row of another bill) for a key;
 * `lines` CUR rows. Checked by the caller: it cannot overflow.
 */
struct addition {
	const struct cur_key *key;
	struct decimal tokens;
	struct decimal usd;
	enum usage_category category;
	bool unknown, geo;
	uint64_t lines;
};

static bool addition_fits(const struct cur_bill *b, const struct addition *a)
{
	const struct row_item *it = find_row(b, a->key, key_hash(a->key));
	if (it && !fits(it->row.billed_token_sum, it->row.billed_usd, a->tokens, a->usd))
		return false;
	if (a->unknown) {
		struct str name = a->key->model;
		const struct name_item *n = find_name(b, name, table_hash(name.p, name.n));
		if (n && !fits(n->u.tokens, n->u.usd, a->tokens, a->usd))
			return false;
	}
	return true;
}

/* Adds a's sums to its key's row (not to the unknown names). */
static void apply_row(struct cur_bill *b, const struct addition *a)
{
	uint64_t h = key_hash(a->key);
	struct row_item *it = find_row(b, a->key, h);
	if (!it) {
		it = arena_alloc(&b->arena, sizeof *it);
		memset(it, 0, sizeof *it);
		it->hash = h;
		it->row.key = *a->key;
		it->row.key.region = copy(&b->arena, a->key->region);
		it->row.key.model = copy(&b->arena, a->key->model);
		it->row.category = a->category;
		cur_format_day(a->key->day, it->row.day);
		table_add(&b->rows, h, it);
	}
	decimal_add(&it->row.billed_token_sum, a->tokens);
	decimal_add(&it->row.billed_usd, a->usd);
	/* the first in the order of bedrock-ledger-formats(5), whatever order the rows come in */
	if (a->category < it->row.category)
		it->row.category = a->category;
	it->row.unknown_billing_name |= a->unknown;
	it->row.geo |= a->geo;
	it->row.lines += a->lines;
	touch(b);
}

static void apply_name(struct cur_bill *b, struct str name, struct decimal tokens,
		       struct decimal usd, uint64_t lines)
{
	uint64_t h = table_hash(name.p, name.n);
	struct name_item *n = find_name(b, name, h);
	if (!n) {
		n = arena_alloc(&b->arena, sizeof *n);
		memset(n, 0, sizeof *n);
		n->hash = h;
		n->u.name = copy(&b->arena, name);
		table_add(&b->names, h, n);
	}
	decimal_add(&n->u.tokens, tokens);
	decimal_add(&n->u.usd, usd);
	n->u.lines += lines;
	touch(b);
}

int cur_bill_add(struct cur_bill *b, const struct cur_key *key, struct decimal tokens,
		 struct decimal usd, enum usage_category category, bool unknown_billing_name,
		 bool geo)
{
	struct addition a = { key, tokens, usd, category, unknown_billing_name, geo, 1 };
	if (!addition_fits(b, &a))
		return -1;
	apply_row(b, &a);
	if (unknown_billing_name)
		apply_name(b, key->model, tokens, usd, 1);
	return 0;
}

static int add_adjustment(struct cur_bill *b, struct str type, struct decimal usd, uint64_t lines,
			  bool check_only)
{
	uint64_t h = table_hash(type.p, type.n);
	struct adj_item *it = find_adj(b, type, h);
	if (it && !fits(DECIMAL_ZERO, it->adj.usd, DECIMAL_ZERO, usd))
		return -1;
	if (check_only)
		return 0;
	if (!it) {
		it = arena_alloc(&b->arena, sizeof *it);
		memset(it, 0, sizeof *it);
		it->hash = h;
		it->adj.type = copy(&b->arena, type);
		table_add(&b->adjustments, h, it);
	}
	decimal_add(&it->adj.usd, usd);
	it->adj.lines += lines;
	touch(b);
	return 0;
}

int cur_bill_add_adjustment(struct cur_bill *b, struct str type, struct decimal usd)
{
	return add_adjustment(b, type, usd, 1, false);
}

static bool caller_matches(const void *item, const void *key)
{
	const struct cur_caller *x = item, *k = key;
	return x->day == k->day && str_eq(x->principal, k->principal);
}

static uint64_t caller_hash(int64_t day, struct str principal)
{
	return table_hash_add(table_hash(&day, sizeof day), principal.p, principal.n);
}

/* Adds (usd, lines) to the caller of (day, folded principal); check_only: tell if it fits. */
static int add_caller(struct cur_bill *b, int64_t day, struct str principal, struct decimal usd,
		      uint64_t lines, bool check_only)
{
	struct cur_caller key = { .day = day, .principal = principal };
	uint64_t h = caller_hash(day, principal);
	struct caller_item *it = find(&b->callers, h, caller_matches, &key);
	if (it && !fits(DECIMAL_ZERO, it->c.usd, DECIMAL_ZERO, usd))
		return -1;
	if (check_only)
		return 0;
	if (!it) {
		it = arena_alloc(&b->arena, sizeof *it);
		memset(it, 0, sizeof *it);
		it->hash = h;
		it->c.day = day;
		cur_format_day(day, it->c.day_text);
		it->c.principal = copy(&b->arena, principal);
		table_add(&b->callers, h, it);
	}
	decimal_add(&it->c.usd, usd);
	it->c.lines += lines;
	touch(b);
	return 0;
}

int cur_bill_add_caller(struct cur_bill *b, int64_t day, struct str principal, struct decimal usd)
{
	if (b->scratch_cap < principal.n + 8) {
		b->scratch_cap = principal.n + 64;
		b->scratch = xrealloc(b->scratch, b->scratch_cap);
	}
	size_t n = modelid_principal(principal, b->scratch, b->scratch_cap);
	if (n)
		principal = (struct str){ b->scratch, n };
	return add_caller(b, day, principal, usd, 1, false);
}

static struct addition row_addition(const struct cur_row *r)
{
	return (struct addition){ &r->key,     r->billed_token_sum,	r->billed_usd,
				  r->category, r->unknown_billing_name, r->geo,
				  r->lines };
}

/*
 * A row of src can only overflow against dst's row of the same key (and the
 * unknown names against dst's same name), each met once: checking every
 * addition against dst as it is before any is applied is enough.
 */
int cur_bill_merge(struct cur_bill *dst, const struct cur_bill *src)
{
	size_t pos = 0;
	for (const struct row_item *it; (it = table_each(&src->rows, &pos));) {
		struct addition a = row_addition(&it->row);
		a.unknown = false; /* names are checked below, summed over their rows */
		if (!addition_fits(dst, &a))
			return -1;
	}
	pos = 0;
	for (const struct name_item *n; (n = table_each(&src->names, &pos));) {
		const struct name_item *d = find_name(dst, n->u.name, n->hash);
		if (d && !fits(d->u.tokens, d->u.usd, n->u.tokens, n->u.usd))
			return -1;
	}
	pos = 0;
	for (const struct adj_item *it; (it = table_each(&src->adjustments, &pos));)
		if (add_adjustment(dst, it->adj.type, it->adj.usd, 0, true) != 0)
			return -1;
	pos = 0;
	for (const struct caller_item *it; (it = table_each(&src->callers, &pos));)
		if (add_caller(dst, it->c.day, it->c.principal, it->c.usd, 0, true) != 0)
			return -1;

	pos = 0;
	for (const struct row_item *it; (it = table_each(&src->rows, &pos));) {
		struct addition a = row_addition(&it->row);
		apply_row(dst, &a);
	}
	pos = 0;
	for (const struct name_item *n; (n = table_each(&src->names, &pos));)
		apply_name(dst, n->u.name, n->u.tokens, n->u.usd, n->u.lines);
	pos = 0;
	for (const struct adj_item *it; (it = table_each(&src->adjustments, &pos));)
		add_adjustment(dst, it->adj.type, it->adj.usd, it->adj.lines, false);
	pos = 0;
	for (const struct caller_item *it; (it = table_each(&src->callers, &pos));)
		add_caller(dst, it->c.day, it->c.principal, it->c.usd, it->c.lines, false);

	struct cur_counts *d = &dst->counts;
	const struct cur_counts *s = &src->counts;
	d->usage += s->usage;
	d->outside_window += s->outside_window;
	d->adjustments += s->adjustments;
	d->other += s->other;
	d->malformed += s->malformed;
	d->duplicates += s->duplicates;
	d->unknown_prefix += s->unknown_prefix;
	d->region_differs += s->region_differs;
	d->unit_unknown += s->unit_unknown;
	d->files += s->files;
	d->principal_files += s->principal_files;
	touch(dst);
	return 0;
}

static int name_order(const char *a, const char *b)
{
	return strcmp(a, b);
}

int cur_key_cmp(const struct cur_key *a, const struct cur_key *b)
{
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	int c = str_cmp(a->region, b->region);
	if (!c)
		c = str_cmp(a->model, b->model);
	if (!c)
		c = name_order(usage_kind_name(a->kind), usage_kind_name(b->kind));
	if (!c)
		c = name_order(usage_routing_name(a->routing), usage_routing_name(b->routing));
	if (!c)
		c = name_order(usage_tier_name(a->tier), usage_tier_name(b->tier));
	if (!c)
		c = name_order(usage_context_name(a->context), usage_context_name(b->context));
	return c;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct cur_row *x = *(const struct cur_row *const *)a;
	const struct cur_row *y = *(const struct cur_row *const *)b;
	return cur_key_cmp(&x->key, &y->key);
}

static int cmp_adjustments(const void *a, const void *b)
{
	const struct cur_adjustment *x = *(const struct cur_adjustment *const *)a;
	const struct cur_adjustment *y = *(const struct cur_adjustment *const *)b;
	return str_cmp(x->type, y->type);
}

static int cmp_callers(const void *a, const void *b)
{
	const struct cur_caller *x = *(const struct cur_caller *const *)a;
	const struct cur_caller *y = *(const struct cur_caller *const *)b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return str_cmp(x->principal, y->principal);
}

static int cmp_names(const void *a, const void *b)
{
	const struct cur_unknown_name *x = *(const struct cur_unknown_name *const *)a;
	const struct cur_unknown_name *y = *(const struct cur_unknown_name *const *)b;
	return str_cmp(x->name, y->name);
}

/* The items are the first member of each table item, so the item pointer is the element's. */
static const void *const *sort_table(struct sorted *s, const struct table *t,
				     int (*cmp)(const void *, const void *), size_t *n)
{
	if (s->stale || (!s->items && table_count(t))) {
		s->items = xrealloc(s->items, (table_count(t) + 1) * sizeof *s->items);
		size_t pos = 0, k = 0;
		for (const void *it; (it = table_each(t, &pos));)
			s->items[k++] = it;
		s->n = k;
		qsort(s->items, k, sizeof *s->items, cmp);
		s->stale = false;
	}
	*n = s->n;
	return s->items;
}

/* The one rounding of each row's tokens (fits() made sure it cannot fail). */
static void round_tokens(struct cur_bill *b)
{
	size_t pos = 0;
	for (struct row_item *it; (it = table_each(&b->rows, &pos));)
		decimal_to_integer(it->row.billed_token_sum, 1, &it->row.billed_tokens);
}

const struct cur_row *const *cur_bill_rows(struct cur_bill *b, size_t *n)
{
	if (b->sorted_rows.stale || !b->sorted_rows.items)
		round_tokens(b);
	return (const struct cur_row *const *)sort_table(&b->sorted_rows, &b->rows, cmp_rows, n);
}

const struct cur_adjustment *const *cur_bill_adjustments(struct cur_bill *b, size_t *n)
{
	return (const struct cur_adjustment *const *)sort_table(
	    &b->sorted_adjustments, &b->adjustments, cmp_adjustments, n);
}

const struct cur_caller *const *cur_bill_callers(struct cur_bill *b, size_t *n)
{
	return (const struct cur_caller *const *)sort_table(&b->sorted_callers, &b->callers,
							    cmp_callers, n);
}

const struct cur_unknown_name *const *cur_bill_unknown_names(struct cur_bill *b, size_t *n)
{
	return (const struct cur_unknown_name *const *)sort_table(&b->sorted_names, &b->names,
								  cmp_names, n);
}

void cur_format_day(int64_t day, char out[11])
{
	ts_format_day((struct ts){ day * 86400, 0 }, out);
}
