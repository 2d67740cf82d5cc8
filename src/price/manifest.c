/*
 * manifest.c - tag manifests: the merged profiles, and loading a file.
 *
 * A file is parsed into a batch (manifest_batch.h: what the file says about
 * each profile, in a scratch arena) by the parser of its form, and merged
 * into the manifest only once the whole file has parsed: that is what keeps
 * the manifest unchanged when a load fails. Merging a batch cannot fail, so
 * the duplicate-ARN warnings of one file and of later files come from the
 * same code.
 */
#include "ledger/price/manifest.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/arena.h"
#include "ledger/support/diag.h"
#include "ledger/support/nearest.h"
#include "ledger/price/manifest_batch.h"
#include "ledger/price/modelid.h"
#include "ledger/support/sha256.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- the manifest ---- */

struct entry {
	struct manifest_entry pub; /* first: manifest_tag() converts back */
	struct manifest_pair *tags;
	size_t ntags, tags_cap;
};

struct manifest {
	struct arena strings;
	struct entry **entries; /* in order of first appearance */
	size_t count, entries_cap;
	struct table by_arn; /* of struct entry */
	struct diag *warnings;
	size_t nwarnings, warnings_cap;
	struct diag error;
};

struct manifest *manifest_create(void)
{
	return xcalloc(1, sizeof(struct manifest));
}

void manifest_destroy(struct manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->count; i++) {
		free(m->entries[i]->tags);
		free(m->entries[i]);
	}
	free(m->entries);
	table_finish(&m->by_arn);
	for (size_t i = 0; i < m->nwarnings; i++)
		diag_clear(&m->warnings[i]);
	free(m->warnings);
	diag_clear(&m->error);
	arena_free(&m->strings);
	free(m);
}

static struct entry *find(const struct manifest *m, struct str arn, uint64_t hash)
{
	size_t pos;
	for (struct entry *e = table_first(&m->by_arn, hash, &pos); e;
	     e = table_next(&m->by_arn, hash, &pos)) {
		if (str_eq(str_from(e->pub.arn), arn))
			return e;
	}
	return NULL;
}

static struct entry *find_or_add(struct manifest *m, struct str arn)
{
	uint64_t h = table_hash(arn.p, arn.n);
	struct entry *e = find(m, arn, h);
	if (e)
		return e;
	e = xcalloc(1, sizeof *e);
	e->pub.arn = arena_dup(&m->strings, arn);
	xgrow(&m->entries, &m->entries_cap, m->count + 1, sizeof *m->entries);
	m->entries[m->count++] = e;
	table_add(&m->by_arn, h, e);
	return e;
}

/* A new, empty warning to fill. */
static struct diag *add_warning(struct manifest *m)
{
	xgrow(&m->warnings, &m->warnings_cap, m->nwarnings + 1, sizeof *m->warnings);
	struct diag *w = &m->warnings[m->nwarnings++];
	*w = DIAG_INIT;
	return w;
}

static void merge_field(struct manifest *m, const char *name, const struct entry *e,
			const char *key, const char **field, const char *value)
{
	if (*field && strcmp(*field, value) == 0)
		return;
	if (*field) {
		struct str arn = str_from(e->pub.arn), k = str_from(key), was = str_from(*field),
			   now = str_from(value);
		diag_set_at(add_warning(m), name, 0, "%.*s%s: %.*s%s was '%.*s%s', now '%.*s%s'",
			    DIAG_NAME(arn), DIAG_NAME(k), DIAG_NAME(was), DIAG_NAME(now));
	}
	*field = arena_dup(&m->strings, str_from(value));
}

static void merge_batch(struct manifest *m, struct manifest_batch *b)
{
	for (size_t i = 0; i < b->nsaid; i++) {
		struct manifest_said *r = &b->said[i];
		if (diag_has(&r->note))
			diag_move(add_warning(m), &r->note);
		struct entry *e = find_or_add(m, str_from(r->arn));
		if (r->model_id)
			merge_field(m, b->name, e, "model_id", &e->pub.model_id, r->model_id);
		for (size_t j = r->tag0; j < r->tag0 + r->ntags; j++) {
			const struct manifest_pair *t = &b->tags[j];
			size_t k = 0;
			while (k < e->ntags && strcmp(e->tags[k].key, t->key) != 0)
				k++;
			if (k == e->ntags) {
				xgrow(&e->tags, &e->tags_cap, e->ntags + 1, sizeof *e->tags);
				e->tags[e->ntags++] = (struct manifest_pair){
					arena_dup(&m->strings, str_from(t->key)), NULL
				};
			}
			merge_field(m, b->name, e, t->key, &e->tags[k].value, t->value);
		}
	}
	if (diag_has(&b->note))
		diag_move(add_warning(m), &b->note);
}

/* ---- loading ---- */

/* JSON values, one per line, that name a modelId: a log given as a manifest. */
static bool looks_like_log(const char *p, size_t n)
{
	size_t look = n < 65536 ? n : 65536;
	if (!look || p[0] != '{')
		return false;
	const char *nl = memchr(p, '\n', look);
	bool lines = nl && (size_t)(nl - p) + 1 < look && nl[1] == '{';
	bool model = memmem(p, look, "\"modelId\"", 9) != NULL;
	bool schema = memmem(p, look, "\"ModelInvocationLog\"", 20) != NULL;
	return model && (lines || schema);
}

int manifest_load_buffer(struct manifest *m, const char *name, const char *buf, size_t n)
{
	assert(m && name && (buf || n == 0));
	diag_clear(&m->error);
	size_t bom = n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0, i = bom;
	while (i < n && is_space(buf[i]))
		i++;
	if (i == n)
		return diag_set_at(&m->error, name, 0,
				   "not a tag manifest (the file is empty): " MANIFEST_EXPECTED);

	struct manifest_batch b = { .name = name };
	/* by content: JSON starts with '{' or '[', anything else is CSV (csvrows skips the BOM) */
	int rc;
	if (buf[i] == '{' || buf[i] == '[')
		rc = manifest_parse_json(&b, buf + bom, n - bom);
	else
		rc = manifest_parse_csv(&b, buf, n);
	if (rc == 0)
		merge_batch(m, &b);
	else if (looks_like_log(buf + i, n - i))
		diag_set_at(
		    &m->error, name, 0,
		    "not a tag manifest: this looks like an invocation log (JSON"
		    " records with a modelId); logs are given as PATH arguments, not --manifest");
	else
		diag_move(&m->error, &b.error);
	manifest_batch_free(&b);
	return rc;
}

int manifest_load_file(struct manifest *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return diag_set_at(&m->error, path, 0, "cannot read: %s", strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		xgrow(&buf, &cap, n + 65536, 1);
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int err = ferror(f) ? errno : 0;
	fclose(f);
	int rc = err ? diag_set_at(&m->error, path, 0, "cannot read: %s", strerror(err))
		     : manifest_load_buffer(m, path, buf, n);
	if (rc == 0) { /* every table read is listed in run.json */
		struct sha256 *h = sha256_create();
		unsigned char digest[SHA256_SIZE];
		sha256_update(h, buf, n);
		sha256_final(h, digest);
		sha256_note_table(path, n, digest);
		sha256_destroy(h);
	}
	free(buf);
	return rc;
}

const char *manifest_error(const struct manifest *m)
{
	return diag_msg(&m->error);
}

size_t manifest_warning_count(const struct manifest *m)
{
	return m->nwarnings;
}

const char *manifest_warning(const struct manifest *m, size_t i)
{
	assert(i < m->nwarnings);
	return diag_msg(&m->warnings[i]);
}

size_t manifest_count(const struct manifest *m)
{
	return m->count;
}

const struct manifest_entry *manifest_entry_at(const struct manifest *m, size_t i)
{
	return i < m->count ? &m->entries[i]->pub : NULL;
}

const struct manifest_entry *manifest_lookup(const struct manifest *m, struct str arn)
{
	const struct entry *e = find(m, arn, table_hash(arn.p, arn.n));
	return e ? &e->pub : NULL;
}

const char *manifest_tag(const struct manifest *m, const struct manifest_entry *e, const char *key)
{
	(void)m;
	if (!e)
		return NULL;
	const struct entry *en = (const struct entry *)e;
	for (size_t i = 0; i < en->ntags; i++) {
		if (strcmp(en->tags[i].key, key) == 0)
			return en->tags[i].value;
	}
	return NULL;
}

bool manifest_has_tag(const struct manifest *m, const char *key)
{
	for (size_t i = 0; i < m->count; i++)
		if (manifest_tag(m, &m->entries[i]->pub, key))
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct tag keys of m, sorted; *n of them (free the array, not the keys). */
static const char **tag_keys(const struct manifest *m, size_t *n)
{
	const char **keys = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < m->count; i++) {
		const struct entry *e = m->entries[i];
		for (size_t t = 0; t < e->ntags; t++) {
			size_t k = 0;
			while (k < *n && strcmp(keys[k], e->tags[t].key) != 0)
				k++;
			if (k < *n)
				continue;
			xgrow(&keys, &cap, *n + 1, sizeof *keys);
			keys[(*n)++] = e->tags[t].key;
		}
	}
	if (*n)
		qsort(keys, *n, sizeof *keys, by_name);
	return keys;
}

char *manifest_tag_hint(const struct manifest *m, const char *key)
{
	enum { SHOWN = 12 }; /* a manifest of many tags is listed in part */
	size_t n;
	const char **keys = tag_keys(m, &n);
	struct nearest near;
	nearest_init(&near, key);
	for (size_t i = 0; i < n; i++)
		nearest_offer(&near, keys[i]);
	size_t cap = 64, len = 0;
	for (size_t i = 0; i < n && i < SHOWN; i++)
		cap += strlen(keys[i]) + 2;
	if (near.best)
		cap += strlen(near.best);
	char *out = xmalloc(cap);
	out[0] = '\0';
	if (near.best)
		len += (size_t)snprintf(out + len, cap - len, "; did you mean '%s'?", near.best);
	if (n)
		len += (size_t)snprintf(out + len, cap - len, "%s manifests have the tags ",
					near.best ? " The" : "; the");
	for (size_t i = 0; i < n && i < SHOWN; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", keys[i]);
	if (n > SHOWN)
		snprintf(out + len, cap - len, ", ... (%zu in all)", n);
	free(keys);
	return out;
}
