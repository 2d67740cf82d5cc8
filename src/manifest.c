/*
 * manifest.c - tag manifests: CSV and AWS CLI JSON -> ARN -> model, tags.
 *
 * A file is parsed into a batch (records whose strings live in a scratch
 * arena) and merged into the manifest only once the whole file has parsed:
 * that is what keeps the manifest unchanged when a load fails. Merging a batch
 * cannot fail, so the duplicate-ARN warnings of one file and of later files
 * come from the same code.
 */
#include "ledger/manifest.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "ledger/arena.h"
#include "ledger/csvrows.h"
#include "ledger/diag.h"
#include "ledger/modelid.h"
#include "ledger/table.h"
#include "ledger/xalloc.h"

#define EXPECTED                                                                       \
	"expected a CSV with a profile_arn column, or the JSON of aws bedrock "        \
	"list-inference-profiles, get-inference-profile or aws resourcegroupstaggingapi " \
	"get-resources"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void grow(void *pp, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	*(void **)pp = xrealloc(*(void **)pp, n * size);
	*cap = n;
}

/* ---- the manifest ---- */

struct tag {
	const char *key, *value;
};

struct entry {
	struct manifest_entry pub; /* first: manifest_tag() converts back */
	struct tag *tags;
	size_t ntags, tags_cap;
};

struct manifest {
	struct arena strings;
	struct entry **entries; /* in order of first appearance */
	size_t count, entries_cap;
	struct table by_arn; /* of struct entry */
	struct diag *warnings; /* raw text: escaped when printed */
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
	for (struct entry *e = table_first(&m->by_arn, hash, &pos); e; e = table_next(&m->by_arn, hash, &pos)) {
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
	grow(&m->entries, &m->entries_cap, m->count + 1, sizeof *m->entries);
	m->entries[m->count++] = e;
	table_add(&m->by_arn, h, e);
	return e;
}

__attribute__((format(printf, 2, 3))) static void add_warning(struct manifest *m, const char *fmt, ...)
{
	grow(&m->warnings, &m->warnings_cap, m->nwarnings + 1, sizeof *m->warnings);
	struct diag *w = &m->warnings[m->nwarnings++];
	*w = DIAG_INIT;
	va_list ap;
	va_start(ap, fmt);
	diag_setv(w, fmt, ap);
	va_end(ap);
}

/* ---- a parsed file, not yet merged ---- */

/* What one file says about one profile. */
struct said {
	const char *arn;
	const char *model_id; /* NULL: this file says nothing about the model */
	const char *note;     /* a warning about this profile, or NULL */
	size_t tag0, ntags;   /* into batch.tags */
};

struct batch {
	const char *name;
	struct arena scratch;
	struct said *said;
	size_t nsaid, said_cap;
	struct tag *tags;
	size_t ntags, tags_cap;
	const char *note; /* a warning about the whole file, or NULL */
	struct diag error;
};

/* Sets the batch's error to "NAME[:LINE]: PROBLEM" (no line when 0); returns -1. */
__attribute__((format(printf, 3, 4))) static int batch_fail(struct batch *b, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_setv(&b->error, fmt, ap);
	va_end(ap);
	if (line)
		return diag_prefix(&b->error, "%s:%zu", b->name, line);
	return diag_prefix(&b->error, "%s", b->name);
}

static struct said *batch_add(struct batch *b, struct str arn)
{
	grow(&b->said, &b->said_cap, b->nsaid + 1, sizeof *b->said);
	struct said *r = &b->said[b->nsaid++];
	*r = (struct said){ .arn = arena_dup(&b->scratch, arn), .tag0 = b->ntags };
	return r;
}

/* An empty value says nothing: it neither sets nor overrides a tag. */
static void batch_tag(struct batch *b, struct said *r, const char *key, struct str value)
{
	if (value.n == 0)
		return;
	grow(&b->tags, &b->tags_cap, b->ntags + 1, sizeof *b->tags);
	b->tags[b->ntags++] = (struct tag){ key, arena_dup(&b->scratch, value) };
	r->ntags++;
}

static void batch_model(struct batch *b, struct said *r, struct str model)
{
	model = modelid_strip_arn(model);
	r->model_id = model.n ? arena_dup(&b->scratch, model) : NULL;
}

static void batch_free(struct batch *b)
{
	arena_free(&b->scratch);
	free(b->said);
	free(b->tags);
	diag_clear(&b->error);
}

static void merge_field(struct manifest *m, const char *name, const struct entry *e, const char *key,
			const char **field, const char *value)
{
	if (*field && strcmp(*field, value) == 0)
		return;
	if (*field)
		add_warning(m, "%s: %s: %s was '%s', now '%s'", name, e->pub.arn, key, *field, value);
	*field = arena_dup(&m->strings, str_from(value));
}

static void merge_batch(struct manifest *m, const struct batch *b)
{
	for (size_t i = 0; i < b->nsaid; i++) {
		const struct said *r = &b->said[i];
		if (r->note)
			add_warning(m, "%s", r->note);
		struct entry *e = find_or_add(m, str_from(r->arn));
		if (r->model_id)
			merge_field(m, b->name, e, "model_id", &e->pub.model_id, r->model_id);
		for (size_t j = r->tag0; j < r->tag0 + r->ntags; j++) {
			const struct tag *t = &b->tags[j];
			size_t k = 0;
			while (k < e->ntags && strcmp(e->tags[k].key, t->key) != 0)
				k++;
			if (k == e->ntags) {
				grow(&e->tags, &e->tags_cap, e->ntags + 1, sizeof *e->tags);
				e->tags[e->ntags++] = (struct tag){ arena_dup(&m->strings, str_from(t->key)), NULL };
			}
			merge_field(m, b->name, e, t->key, &e->tags[k].value, t->value);
		}
	}
	if (b->note)
		add_warning(m, "%s", b->note);
}

/* ---- CSV ---- */

struct csv_state {
	struct batch *b;
	const char **columns; /* header names (in the scratch arena); NULL: unnamed */
	size_t ncolumns;
	long arn_col, model_col;
	bool have_header;
};

/* Cell i of a row; a short row has empty cells at its end. */
static struct str cell(const struct csvrows_row *row, size_t i)
{
	return i < row->nfields ? row->field[i] : (struct str){ "", 0 };
}

static int csv_header(struct csv_state *s, struct csvrows *r, const struct csvrows_row *row)
{
	struct batch *b = s->b;
	s->columns = xcalloc(row->nfields, sizeof *s->columns);
	s->ncolumns = row->nfields;
	s->arn_col = s->model_col = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		struct str name = row->field[i];
		s->columns[i] = name.n ? arena_dup(&b->scratch, name) : NULL;
		if (!name.n)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (s->columns[j] && strcmp(s->columns[j], s->columns[i]) == 0)
				return csvrows_fail(r, row->line, "column '%s' appears twice in the header",
						    s->columns[i]);
		}
		if (strcmp(s->columns[i], "profile_arn") == 0)
			s->arn_col = (long)i;
		else if (strcmp(s->columns[i], "model_id") == 0)
			s->model_col = (long)i;
	}
	if (s->arn_col < 0)
		return csvrows_fail(r, 0, "not a tag manifest: " EXPECTED);
	return 0;
}

static int csv_record(struct csv_state *s, struct csvrows *r, const struct csvrows_row *row)
{
	struct batch *b = s->b;
	bool empty = true;
	for (size_t i = 0; i < row->nfields; i++) {
		if (row->field[i].n == 0)
			continue;
		empty = false;
		if (i >= s->ncolumns || !s->columns[i])
			return csvrows_fail(r, row->line, "a value in column %zu, which has no name in the header",
					    i + 1);
	}
	/* a row of empty cells (",,," from a spreadsheet) says nothing */
	if (empty)
		return 0;
	struct str arn = cell(row, (size_t)s->arn_col);
	if (!arn.n)
		return csvrows_fail(r, row->line, "empty profile_arn");
	struct said *p = batch_add(b, arn);
	if (s->model_col >= 0)
		batch_model(b, p, cell(row, (size_t)s->model_col));
	for (size_t i = 0; i < s->ncolumns; i++) {
		if (s->columns[i] && (long)i != s->arn_col && (long)i != s->model_col)
			batch_tag(b, p, s->columns[i], cell(row, i));
	}
	return 0;
}

static int csv_on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct csv_state *s = ctx;
	if (s->have_header)
		return csv_record(s, r, row);
	s->have_header = true;
	return csv_header(s, r, row);
}

static int parse_csv(struct batch *b, const char *buf, size_t n)
{
	struct csv_state s = { .b = b };
	int rc = csvrows_parse(b->name, buf, n, csv_on_row, &s, &b->error);
	if (rc == 0 && !s.have_header)
		rc = batch_fail(b, 0, "not a tag manifest: " EXPECTED);
	free(s.columns);
	return rc;
}

/* ---- JSON ---- */

/* Paths in messages: "inferenceProfileSummaries[2].models[0].modelArn". */
struct path {
	char s[256];
};

static void path_append(struct path *p, const char *s)
{
	size_t have = strlen(p->s), n = strlen(s);
	if (n > sizeof p->s - 1 - have)
		n = sizeof p->s - 1 - have;
	memcpy(p->s + have, s, n);
	p->s[have + n] = '\0';
}

static struct path path_key(const struct path *base, const char *key)
{
	struct path p = *base;
	if (p.s[0])
		path_append(&p, ".");
	path_append(&p, key);
	return p;
}

static struct path path_index(const struct path *base, size_t i)
{
	struct path p = *base;
	char index[32];
	snprintf(index, sizeof index, "[%zu]", i);
	path_append(&p, index);
	return p;
}

static yajl_val json_get(yajl_val obj, const char *key)
{
	for (size_t i = 0; i < obj->u.object.len; i++) {
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	}
	return NULL;
}

/*
 * Sets *out to the string at obj.key, or to NULL when the key is absent and
 * not required. Returns -1 (batch error set) on a value of another type, a
 * missing required key or an empty required string.
 */
static int json_string(struct batch *b, yajl_val obj, const char *key, const struct path *at, bool required,
		       struct str *out)
{
	yajl_val v = json_get(obj, key);
	*out = (struct str){ NULL, 0 };
	if (!v) {
		if (required)
			return batch_fail(b, 0, "%s%sno %s", at->s, at->s[0] ? ": " : "", key);
		return 0;
	}
	struct path p = path_key(at, key);
	if (!YAJL_IS_STRING(v))
		return batch_fail(b, 0, "%s: expected a string", p.s);
	*out = str_from(YAJL_GET_STRING(v));
	if (required && !out->n)
		return batch_fail(b, 0, "%s: empty", p.s);
	return 0;
}

/* A warning kept with the batch, merged with it. */
__attribute__((format(printf, 2, 3))) static const char *batch_note(struct batch *b, const char *fmt, ...)
{
	struct diag text = DIAG_INIT;
	va_list ap;
	va_start(ap, fmt);
	diag_setv(&text, fmt, ap);
	va_end(ap);
	const char *kept = arena_dup(&b->scratch, str_from(diag_msg(&text)));
	diag_clear(&text);
	return kept;
}

/*
 * The model of a profile from its models[].modelArn (SPEC §4). When several
 * ARNs name different base models, or one of several names no region, the
 * file says nothing about the model, and a note says why.
 */
static int json_models(struct batch *b, struct said *r, yajl_val models, const struct path *at)
{
	if (!YAJL_IS_ARRAY(models))
		return batch_fail(b, 0, "%s: expected an array", at->s);
	size_t n = models->u.array.len;
	struct str *arns = xcalloc(n ? n : 1, sizeof *arns);
	struct str *regions = xcalloc(n ? n : 1, sizeof *regions);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct path p = path_index(at, i);
		yajl_val m = models->u.array.values[i];
		if (!YAJL_IS_OBJECT(m))
			rc = batch_fail(b, 0, "%s: expected an object", p.s);
		else
			rc = json_string(b, m, "modelArn", &p, true, &arns[i]);
	}
	if (rc || n == 0)
		goto out;
	if (n == 1) {
		batch_model(b, r, arns[0]);
		goto out;
	}
	struct str base = modelid_strip_arn(arns[0]);
	for (size_t i = 0; i < n; i++) {
		struct str other = modelid_strip_arn(arns[i]);
		if (!str_eq(other, base)) {
			r->note = batch_note(b,
					     "%s: %s: the models are different base models ('%.*s', '%.*s'); no "
					     "model_id taken from this file",
					     b->name, r->arn, (int)base.n, base.p, (int)other.n, other.p);
			goto out;
		}
		regions[i] = modelid_arn_field(arns[i], 3);
		if (regions[i].n == 0) {
			r->note = batch_note(b,
					     "%s: %s: model ARN '%.*s' names no region; no model_id taken from this "
					     "file",
					     b->name, r->arn, (int)arns[i].n, arns[i].p);
			goto out;
		}
	}
	const char *prefix = modelid_geo_prefix_covering(regions, n);
	size_t plen = strlen(prefix);
	char *id = arena_alloc(&b->scratch, plen + base.n + 1);
	memcpy(id, prefix, plen);
	memcpy(id + plen, base.p, base.n);
	id[plen + base.n] = '\0';
	r->model_id = id;
out:
	free(arns);
	free(regions);
	return rc;
}

/* One profile of list-inference-profiles, or the whole get-inference-profile. */
static int json_profile(struct batch *b, yajl_val v, const struct path *at)
{
	if (!YAJL_IS_OBJECT(v))
		return batch_fail(b, 0, "%s: expected an object", at->s);
	struct str type, arn, name;
	if (json_string(b, v, "type", at, false, &type))
		return -1;
	/* system profiles are never looked up in a manifest (SPEC §3) */
	if (str_eq(type, STR_LIT("SYSTEM_DEFINED")))
		return 0;
	if (json_string(b, v, "inferenceProfileArn", at, true, &arn) ||
	    json_string(b, v, "inferenceProfileName", at, false, &name))
		return -1;
	struct said *r = batch_add(b, arn);
	yajl_val models = json_get(v, "models");
	if (models) {
		struct path p = path_key(at, "models");
		if (json_models(b, r, models, &p))
			return -1;
	}
	batch_tag(b, r, "name", name);
	return 0;
}

static int json_tag_mapping(struct batch *b, yajl_val v, const struct path *at)
{
	if (!YAJL_IS_OBJECT(v))
		return batch_fail(b, 0, "%s: expected an object", at->s);
	struct str arn;
	if (json_string(b, v, "ResourceARN", at, true, &arn))
		return -1;
	struct said *r = batch_add(b, arn);
	const char *tags_key = json_get(v, "Tags") ? "Tags" : "tags";
	yajl_val tags = json_get(v, tags_key);
	if (!tags)
		return 0;
	struct path tp = path_key(at, tags_key);
	if (!YAJL_IS_ARRAY(tags))
		return batch_fail(b, 0, "%s: expected an array", tp.s);
	for (size_t i = 0; i < tags->u.array.len; i++) {
		struct path p = path_index(&tp, i);
		yajl_val t = tags->u.array.values[i];
		if (!YAJL_IS_OBJECT(t))
			return batch_fail(b, 0, "%s: expected an object", p.s);
		/* get-resources says Key/Value, list-tags-for-resource key/value */
		bool lower = !json_get(t, "Key") && json_get(t, "key");
		struct str key, value;
		if (json_string(b, t, lower ? "key" : "Key", &p, true, &key) ||
		    json_string(b, t, lower ? "value" : "Value", &p, false, &value))
			return -1;
		if (!value.p)
			return batch_fail(b, 0, "%s: no %s", p.s, lower ? "value" : "Value");
		batch_tag(b, r, arena_dup(&b->scratch, key), value);
	}
	return 0;
}

static int json_list(struct batch *b, yajl_val list, const char *key, int (*each)(struct batch *, yajl_val,
										     const struct path *))
{
	struct path at = { "" };
	at = path_key(&at, key);
	if (!YAJL_IS_ARRAY(list))
		return batch_fail(b, 0, "%s: expected an array", at.s);
	for (size_t i = 0; i < list->u.array.len; i++) {
		struct path p = path_index(&at, i);
		if (each(b, list->u.array.values[i], &p))
			return -1;
	}
	return 0;
}

/* A CLI page token that is set means this file is not the last page. */
static void json_page_token(struct batch *b, yajl_val root, const char *key)
{
	yajl_val t = json_get(root, key);
	if (t && YAJL_IS_STRING(t) && YAJL_GET_STRING(t)[0])
		b->note = batch_note(b, "%s: %s is set: the file is one page of several; profiles on later "
					      "pages are not in it",
				     b->name, key);
}

/*
 * yajl's tree parser reports no position, so a syntax error is found again
 * with the event parser, whose byte count gives the line. Both allow
 * comments, as yajl_tree_parse does.
 */
static int json_syntax(struct batch *b, const char *buf, size_t n)
{
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	yajl_config(h, yajl_allow_comments, 1);
	size_t off;
	yajl_status st = yajl_parse(h, (const unsigned char *)buf, n);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		off = n; /* premature end: blame the last line with text on it */
		while (off > 0 && is_space(buf[off - 1]))
			off--;
	} else {
		size_t used = yajl_get_bytes_consumed(h);
		off = used ? used - 1 : 0;
	}
	int rc = 0;
	if (st != yajl_status_ok) {
		size_t line = 1;
		for (size_t i = 0; i < off; i++)
			line += buf[i] == '\n';
		unsigned char *e = yajl_get_error(h, 0, NULL, 0);
		size_t len = strlen((char *)e);
		while (len > 0 && is_space((char)e[len - 1]))
			len--;
		rc = batch_fail(b, line, "invalid JSON: %.*s", (int)len, (char *)e);
		yajl_free_error(h, e);
	}
	yajl_free(h);
	return rc;
}

static int parse_json(struct batch *b, const char *buf, size_t n)
{
	if (json_syntax(b, buf, n))
		return -1;
	char *text = xmemdup0(buf, n);
	char errbuf[256];
	yajl_val root = yajl_tree_parse(text, errbuf, sizeof errbuf);
	free(text);
	if (!root)
		return batch_fail(b, 0, "invalid JSON: %s", errbuf);
	int rc;
	yajl_val v;
	if (!YAJL_IS_OBJECT(root)) {
		rc = batch_fail(b, 0, "not a tag manifest: " EXPECTED);
	} else if ((v = json_get(root, "inferenceProfileSummaries"))) {
		rc = json_list(b, v, "inferenceProfileSummaries", json_profile);
		json_page_token(b, root, "nextToken");
	} else if ((v = json_get(root, "ResourceTagMappingList"))) {
		rc = json_list(b, v, "ResourceTagMappingList", json_tag_mapping);
		json_page_token(b, root, "PaginationToken");
	} else if (json_get(root, "inferenceProfileArn")) {
		struct path at = { "" };
		rc = json_profile(b, root, &at);
	} else if (json_get(root, "tags")) {
		rc = batch_fail(b, 0, "not a tag manifest: the JSON of aws bedrock list-tags-for-resource names "
				      "no profile ARN; use aws resourcegroupstaggingapi get-resources");
	} else {
		rc = batch_fail(b, 0, "not a tag manifest: " EXPECTED);
	}
	yajl_tree_free(root);
	return rc;
}

/* ---- loading ---- */

int manifest_load_buffer(struct manifest *m, const char *name, const char *buf, size_t n)
{
	assert(m && name && (buf || n == 0));
	diag_clear(&m->error);
	size_t bom = n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0, i = bom;
	while (i < n && is_space(buf[i]))
		i++;
	if (i == n)
		return diag_set(&m->error, "%s: not a tag manifest (the file is empty): " EXPECTED, name);

	struct batch b = { .name = name };
	/* by content: JSON starts with '{' or '[', anything else is taken as CSV (which skips a BOM itself) */
	int rc;
	if (buf[i] == '{' || buf[i] == '[')
		rc = parse_json(&b, buf + bom, n - bom);
	else
		rc = parse_csv(&b, buf, n);
	if (rc == 0)
		merge_batch(m, &b);
	else
		diag_move(&m->error, &b.error);
	batch_free(&b);
	return rc;
}

int manifest_load_file(struct manifest *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return diag_set(&m->error, "%s: cannot read: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		grow(&buf, &cap, n + 65536, 1);
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int err = ferror(f) ? errno : 0;
	fclose(f);
	int rc = err ? diag_set(&m->error, "%s: cannot read: %s", path, strerror(err))
		     : manifest_load_buffer(m, path, buf, n);
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
