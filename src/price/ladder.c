/*
 * ladder.c - the model ladder: rows in load order, and for each model its
 * cheaper models, rebuilt after every load.
 */
#include "ledger/price/ladder.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/csvrows.h"
#include "ledger/support/diag.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

extern const unsigned char ladder_builtin_data[];
extern const unsigned long ladder_builtin_data_len;

#define BUILTIN_NAME "(built-in model ladder)"

struct rung {
	char *family, *model;
	size_t family_n, model_n;
	unsigned long rank;
};

/* A model and its cheaper models. */
struct step {
	struct str model;
	struct str *cheaper;
	size_t n;
};

struct ladder {
	struct rung *rungs;
	size_t n;
	struct table index; /* model -> struct step */
	struct step *steps;
	size_t nsteps;
	struct diag diag;
};

/* One load, staged: its rows join the ladder only when all of them are good. */
struct loader {
	struct rung *rungs;
	size_t n, cap;
	size_t col_family, col_rank, col_model;
	bool have_header;
};

struct ladder *ladder_create(void)
{
	return xcalloc(1, sizeof(struct ladder));
}

static void free_rungs(struct rung *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].family);
		free(r[i].model);
	}
	free(r);
}

static void drop_index(struct ladder *l)
{
	for (size_t i = 0; i < l->nsteps; i++)
		free(l->steps[i].cheaper);
	free(l->steps);
	l->steps = NULL;
	l->nsteps = 0;
	table_finish(&l->index);
	l->index = TABLE_INIT;
}

void ladder_destroy(struct ladder *l)
{
	if (!l)
		return;
	drop_index(l);
	free_rungs(l->rungs, l->n);
	diag_clear(&l->diag);
	free(l);
}

const char *ladder_error(const struct ladder *l)
{
	return diag_msg(&l->diag);
}

static struct str family_of(const struct rung *r)
{
	return (struct str){ r->family, r->family_n };
}

static struct str model_of(const struct rung *r)
{
	return (struct str){ r->model, r->model_n };
}

static int read_header(struct loader *ld, struct csvrows *r, const struct csvrows_row *row)
{
	ld->col_family = ld->col_rank = ld->col_model = SIZE_MAX;
	for (size_t i = 0; i < row->nfields; i++) {
		if (str_eq(row->field[i], STR_LIT("family")))
			ld->col_family = i;
		else if (str_eq(row->field[i], STR_LIT("rank")))
			ld->col_rank = i;
		else if (str_eq(row->field[i], STR_LIT("model_id")))
			ld->col_model = i;
	}
	const char *missing = ld->col_family == SIZE_MAX ? "family"
			      : ld->col_rank == SIZE_MAX ? "rank"
			      : ld->col_model == SIZE_MAX ? "model_id"
							  : NULL;
	if (missing)
		return csvrows_fail(r, row->line,
				    "missing required column \"%s\" (a model ladder has the"
				    " columns family,rank,model_id)",
				    missing);
	ld->have_header = true;
	return 0;
}

static struct str cell(const struct csvrows_row *row, size_t i)
{
	return i < row->nfields ? row->field[i] : (struct str){ "", 0 };
}

static bool blank_at_ends(struct str s)
{
	return s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[s.n - 1] == ' ' ||
		       s.p[s.n - 1] == '\t');
}

static int parse_rank(struct str s, unsigned long *out)
{
	unsigned long v = 0;
	if (!s.n || s.n > 9)
		return -1;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s.p[i] - '0');
	}
	if (!v)
		return -1;
	*out = v;
	return 0;
}

static int check_model(struct csvrows *r, unsigned long line, struct str m)
{
	if (!m.n)
		return csvrows_fail(r, line, "empty model_id");
	if (blank_at_ends(m))
		return csvrows_fail(r, line, "model_id \"%.*s\" has spaces at its ends", (int)m.n,
				    m.p);
	if (str_starts(m, "arn:"))
		return csvrows_fail(r, line,
				    "model_id \"%.*s\" is an ARN: give the model ID (the part"
				    " after the last /)",
				    (int)m.n, m.p);
	if (modelid_geo_prefix_len(m))
		return csvrows_fail(r, line,
				    "model_id \"%.*s\" has a geographic prefix: name the model"
				    " without it (an alternative keeps the prefix of the model"
				    " it stands in for)",
				    (int)m.n, m.p);
	return 0;
}

static int read_row(struct loader *ld, struct csvrows *r, const struct csvrows_row *row)
{
	struct str family = cell(row, ld->col_family), rank = cell(row, ld->col_rank);
	struct str model = cell(row, ld->col_model);
	unsigned long v;
	if (!family.n || blank_at_ends(family))
		return csvrows_fail(r, row->line, "%s family name", family.n ? "spaces around the"
									   : "empty");
	if (parse_rank(rank, &v) != 0)
		return csvrows_fail(r, row->line,
				    "rank \"%.*s\" is not a whole number from 1 (1: the most"
				    " capable of the family)",
				    (int)(rank.n > 40 ? 40 : rank.n), rank.p);
	if (check_model(r, row->line, model) != 0)
		return -1;
	for (size_t i = 0; i < ld->n; i++)
		if (str_eq(family_of(&ld->rungs[i]), family) &&
		    str_eq(model_of(&ld->rungs[i]), model))
			return csvrows_fail(r, row->line, "model_id \"%.*s\" is twice in family"
					    " \"%.*s\"", (int)model.n, model.p, (int)family.n,
					    family.p);
	if (ld->n == ld->cap) {
		ld->cap = ld->cap ? 2 * ld->cap : 64;
		ld->rungs = xrealloc(ld->rungs, ld->cap * sizeof *ld->rungs);
	}
	ld->rungs[ld->n++] = (struct rung){ xmemdup0(family.p, family.n),
					    xmemdup0(model.p, model.n), family.n, model.n, v };
	return 0;
}

static int on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct loader *ld = ctx;
	return ld->have_header ? read_row(ld, r, row) : read_header(ld, r, row);
}

static struct step *step_of(struct ladder *l, struct str model, bool add)
{
	uint64_t h = table_hash(model.p, model.n);
	size_t pos;
	for (struct step *s = table_first(&l->index, h, &pos); s; s = table_next(&l->index, h, &pos))
		if (str_eq(s->model, model))
			return s;
	if (!add)
		return NULL;
	struct step *s = &l->steps[l->nsteps++];
	*s = (struct step){ model, NULL, 0 };
	table_add(&l->index, h, s);
	return s;
}

static int by_bytes(const void *a, const void *b)
{
	return str_cmp(*(const struct str *)a, *(const struct str *)b);
}

/* For each model, the models of a greater rank in each of its families. */
static void build_index(struct ladder *l)
{
	drop_index(l);
	l->steps = xcalloc(l->n ? l->n : 1, sizeof *l->steps);
	for (size_t i = 0; i < l->n; i++) {
		const struct rung *a = &l->rungs[i];
		struct step *s = step_of(l, model_of(a), true);
		for (size_t j = 0; j < l->n; j++) {
			const struct rung *b = &l->rungs[j];
			if (b->rank <= a->rank || !str_eq(family_of(a), family_of(b)))
				continue;
			s->cheaper = xrealloc(s->cheaper, (s->n + 1) * sizeof *s->cheaper);
			s->cheaper[s->n++] = model_of(b);
		}
	}
	for (size_t i = 0; i < l->nsteps; i++) {
		struct step *s = &l->steps[i];
		if (!s->n)
			continue;
		qsort(s->cheaper, s->n, sizeof *s->cheaper, by_bytes);
		size_t k = 0;
		for (size_t j = 0; j < s->n; j++)
			if (!k || !str_eq(s->cheaper[k - 1], s->cheaper[j]))
				s->cheaper[k++] = s->cheaper[j];
		s->n = k;
	}
}

/* The staged rows join: their families replace the earlier rows of the same names. */
static void commit(struct ladder *l, struct loader *ld)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		bool replaced = false;
		for (size_t j = 0; j < ld->n && !replaced; j++)
			replaced = str_eq(family_of(&l->rungs[i]), family_of(&ld->rungs[j]));
		if (replaced) {
			free(l->rungs[i].family);
			free(l->rungs[i].model);
		} else {
			l->rungs[k++] = l->rungs[i];
		}
	}
	l->rungs = xrealloc(l->rungs, (k + ld->n + 1) * sizeof *l->rungs);
	if (ld->n)
		memcpy(l->rungs + k, ld->rungs, ld->n * sizeof *ld->rungs);
	l->n = k + ld->n;
	free(ld->rungs);
	build_index(l);
}

static int finish_load(struct ladder *l, struct loader *ld, const char *name, int rc,
		       struct diag *d)
{
	if (rc == 0 && !ld->have_header)
		rc = diag_set(d, "%s:1: missing header row", name);
	if (rc != 0) {
		diag_move(&l->diag, d);
		free_rungs(ld->rungs, ld->n);
		return -1;
	}
	commit(l, ld);
	return 0;
}

int ladder_load_buffer(struct ladder *l, const char *name, const char *buf, size_t n)
{
	struct loader ld = { 0 };
	struct diag d = DIAG_INIT;
	diag_clear(&l->diag);
	int rc = csvrows_parse(name, buf, n, on_row, &ld, &d);
	return finish_load(l, &ld, name, rc, &d);
}

int ladder_load_file(struct ladder *l, const char *path)
{
	struct loader ld = { 0 };
	struct diag d = DIAG_INIT;
	diag_clear(&l->diag);
	int rc = csvrows_parse_file(path, on_row, &ld, &d);
	return finish_load(l, &ld, path, rc, &d);
}

int ladder_load_builtin(struct ladder *l)
{
	return ladder_load_buffer(l, BUILTIN_NAME, (const char *)ladder_builtin_data,
				  (size_t)ladder_builtin_data_len);
}

const char *ladder_builtin_csv(size_t *len)
{
	if (len)
		*len = (size_t)ladder_builtin_data_len;
	return (const char *)ladder_builtin_data;
}

size_t ladder_cheaper(const struct ladder *l, struct str model, const struct str **out)
{
	struct step *s = step_of((struct ladder *)l, model, false);
	*out = s ? s->cheaper : NULL;
	return s ? s->n : 0;
}
