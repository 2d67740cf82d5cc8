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

#include <csv.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "ledger/modelid.h"
#include "ledger/arena.h"
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

/*
 * Messages end up on a terminal: control characters in names and values
 * (a tag value may hold a newline) are shown escaped so that one message
 * stays one line.
 */
static char *format_message(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	assert(n >= 0);
	char *raw = xmalloc((size_t)n + 1);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);

	char *out = xmalloc((size_t)n * 4 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
		if (*p == '\n')
			o += sprintf(o, "\\n");
		else if (*p == '\r')
			o += sprintf(o, "\\r");
		else if (*p == '\t')
			o += sprintf(o, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	free(raw);
	return out;
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
	struct entry **slots; /* open addressing by ARN; size a power of two */
	size_t nslots;
	char **warnings;
	size_t nwarnings, warnings_cap;
	char *error;
};

static uint64_t hash_str(struct str s)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < s.n; i++) {
		h ^= (unsigned char)s.p[i];
		h *= 1099511628211u;
	}
	return h;
}

struct manifest *manifest_create(void)
{
	struct manifest *m = xcalloc(1, sizeof *m);
	m->nslots = 64;
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
	return m;
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
	free(m->slots);
	for (size_t i = 0; i < m->nwarnings; i++)
		free(m->warnings[i]);
	free(m->warnings);
	free(m->error);
	arena_free(&m->strings);
	free(m);
}

static struct entry **find_slot(struct entry **slots, size_t nslots, struct str arn)
{
	size_t mask = nslots - 1;
	for (size_t i = (size_t)hash_str(arn) & mask;; i = (i + 1) & mask) {
		if (!slots[i] || str_eq(str_from(slots[i]->pub.arn), arn))
			return &slots[i];
	}
}

static struct entry *find_or_add(struct manifest *m, struct str arn)
{
	struct entry **slot = find_slot(m->slots, m->nslots, arn);
	if (*slot)
		return *slot;
	if ((m->count + 1) * 10 > m->nslots * 7) {
		size_t nslots = m->nslots * 2;
		struct entry **slots = xcalloc(nslots, sizeof *slots);
		for (size_t i = 0; i < m->count; i++)
			*find_slot(slots, nslots, str_from(m->entries[i]->pub.arn)) = m->entries[i];
		free(m->slots);
		m->slots = slots;
		m->nslots = nslots;
		slot = find_slot(m->slots, m->nslots, arn);
	}
	struct entry *e = xcalloc(1, sizeof *e);
	e->pub.arn = arena_dup(&m->strings, arn);
	grow(&m->entries, &m->entries_cap, m->count + 1, sizeof *m->entries);
	m->entries[m->count++] = e;
	*slot = e;
	return e;
}

__attribute__((format(printf, 2, 3))) static void add_warning(struct manifest *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *w = format_message(fmt, ap);
	va_end(ap);
	grow(&m->warnings, &m->warnings_cap, m->nwarnings + 1, sizeof *m->warnings);
	m->warnings[m->nwarnings++] = w;
}

/* ---- a parsed file, not yet merged ---- */

struct record {
	const char *arn;
	const char *model_id; /* NULL: this file says nothing about the model */
	const char *note;     /* a warning about this record, or NULL */
	size_t tag0, ntags;   /* into batch.tags */
};

struct batch {
	const char *name;
	struct arena scratch;
	struct record *records;
	size_t nrecords, records_cap;
	struct tag *tags;
	size_t ntags, tags_cap;
	const char *note; /* a warning about the whole file, or NULL */
	char *error;
};

/* Sets the batch's error to "NAME[:LINE]: PROBLEM" (no line when 0); returns -1. */
__attribute__((format(printf, 3, 4))) static int batch_fail(struct batch *b, size_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *problem = format_message(fmt, ap);
	va_end(ap);
	size_t n = strlen(b->name) + strlen(problem) + 32;
	free(b->error);
	b->error = xmalloc(n);
	if (line)
		snprintf(b->error, n, "%s:%zu: %s", b->name, line, problem);
	else
		snprintf(b->error, n, "%s: %s", b->name, problem);
	free(problem);
	return -1;
}

static struct record *batch_add(struct batch *b, struct str arn)
{
	grow(&b->records, &b->records_cap, b->nrecords + 1, sizeof *b->records);
	struct record *r = &b->records[b->nrecords++];
	*r = (struct record){ .arn = arena_dup(&b->scratch, arn), .tag0 = b->ntags };
	return r;
}

/* An empty value says nothing: it neither sets nor overrides a tag. */
static void batch_tag(struct batch *b, struct record *r, const char *key, struct str value)
{
	if (value.n == 0)
		return;
	grow(&b->tags, &b->tags_cap, b->ntags + 1, sizeof *b->tags);
	b->tags[b->ntags++] = (struct tag){ key, arena_dup(&b->scratch, value) };
	r->ntags++;
}

static void batch_model(struct batch *b, struct record *r, struct str model)
{
	model = modelid_strip_arn(model);
	r->model_id = model.n ? arena_dup(&b->scratch, model) : NULL;
}

static void batch_free(struct batch *b)
{
	arena_free(&b->scratch);
	free(b->records);
	free(b->tags);
	free(b->error);
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
	for (size_t i = 0; i < b->nrecords; i++) {
		const struct record *r = &b->records[i];
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

struct cell {
	size_t off, len; /* into csv_state.row */
};

struct csv_state {
	struct batch *b;
	char *row; /* the bytes of the current row's cells */
	size_t row_len, row_cap;
	struct cell *cells;
	size_t ncells, cells_cap;
	const char **columns; /* header names (in the scratch arena); NULL: unnamed */
	size_t ncolumns;
	long arn_col, model_col;
	bool have_header, in_row, failed;
	size_t line, row_line;
};

static struct str cell_str(const struct csv_state *s, size_t i)
{
	if (i >= s->ncells)
		return (struct str){ "", 0 };
	return (struct str){ s->row + s->cells[i].off, s->cells[i].len };
}

static void csv_on_field(void *p, size_t n, void *data)
{
	struct csv_state *s = data;
	if (s->failed)
		return;
	if (p && memchr(p, '\0', n)) {
		s->failed = true;
		batch_fail(s->b, s->row_line, "NUL byte in a field");
		return;
	}
	grow(&s->row, &s->row_cap, s->row_len + n + 1, 1);
	if (n)
		memcpy(s->row + s->row_len, p, n);
	grow(&s->cells, &s->cells_cap, s->ncells + 1, sizeof *s->cells);
	s->cells[s->ncells++] = (struct cell){ s->row_len, n };
	s->row_len += n;
}

static int csv_header(struct csv_state *s)
{
	struct batch *b = s->b;
	s->columns = xcalloc(s->ncells ? s->ncells : 1, sizeof *s->columns);
	s->ncolumns = s->ncells;
	s->arn_col = s->model_col = -1;
	for (size_t i = 0; i < s->ncells; i++) {
		struct str name = cell_str(s, i);
		s->columns[i] = name.n ? arena_dup(&b->scratch, name) : NULL;
		if (!name.n)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (s->columns[j] && strcmp(s->columns[j], s->columns[i]) == 0)
				return batch_fail(b, s->row_line, "column '%s' appears twice in the header",
						  s->columns[i]);
		}
		if (strcmp(s->columns[i], "profile_arn") == 0)
			s->arn_col = (long)i;
		else if (strcmp(s->columns[i], "model_id") == 0)
			s->model_col = (long)i;
	}
	if (s->arn_col < 0)
		return batch_fail(b, 0, "not a tag manifest: " EXPECTED);
	return 0;
}

static int csv_record(struct csv_state *s)
{
	struct batch *b = s->b;
	bool empty = true;
	for (size_t i = 0; i < s->ncells; i++) {
		if (s->cells[i].len == 0)
			continue;
		empty = false;
		if (i >= s->ncolumns || !s->columns[i])
			return batch_fail(b, s->row_line, "a value in column %zu, which has no name in the header",
					  i + 1);
	}
	/* a row of empty cells (",,," from a spreadsheet) says nothing */
	if (empty)
		return 0;
	struct str arn = cell_str(s, (size_t)s->arn_col);
	if (!arn.n)
		return batch_fail(b, s->row_line, "empty profile_arn");
	struct record *r = batch_add(b, arn);
	if (s->model_col >= 0)
		batch_model(b, r, cell_str(s, (size_t)s->model_col));
	for (size_t i = 0; i < s->ncolumns; i++) {
		if (s->columns[i] && (long)i != s->arn_col && (long)i != s->model_col)
			batch_tag(b, r, s->columns[i], cell_str(s, i));
	}
	return 0;
}

static void csv_on_row(int c, void *data)
{
	(void)c;
	struct csv_state *s = data;
	s->in_row = false;
	if (s->failed)
		return;
	int rc;
	if (!s->have_header) {
		s->have_header = true;
		rc = csv_header(s);
	} else {
		rc = csv_record(s);
	}
	if (rc)
		s->failed = true;
	s->ncells = 0;
	s->row_len = 0;
}

static bool blank_line(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_space(p[i]))
			return false;
	}
	return true;
}

/* libcsv trims blanks around unquoted cells by default; RFC 4180 keeps them,
 * and so do we (a tag value that begins with a tab must meet the formula guard). */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/*
 * libcsv reports no positions, so the text is fed one line at a time: the
 * line being fed is where a syntax error is, and the line on which a row
 * began is its number in messages. libcsv skips blank lines itself.
 */
static int parse_csv(struct batch *b, const char *buf, size_t n)
{
	struct csv_state s = { .b = b };
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return batch_fail(b, 0, "out of memory");
	csv_set_realloc_func(&p, xrealloc);
	csv_set_space_func(&p, no_space);
	const char *pos = buf, *end = buf + n;
	while (pos < end && !s.failed) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t len = nl ? (size_t)(nl - pos) + 1 : (size_t)(end - pos);
		s.line++;
		if (!s.in_row && !blank_line(pos, len)) {
			s.in_row = true;
			s.row_line = s.line;
		}
		if (csv_parse(&p, pos, len, csv_on_field, csv_on_row, &s) != len && !s.failed) {
			s.failed = true;
			batch_fail(b, s.line, "invalid CSV: a quote inside an unquoted field, or text after a closing quote");
		}
		pos += len;
	}
	if (!s.failed && csv_fini(&p, csv_on_field, csv_on_row, &s) != 0) {
		s.failed = true;
		batch_fail(b, s.row_line, "invalid CSV: a quoted field is not closed");
	}
	csv_free(&p);
	if (!s.failed && !s.have_header) {
		s.failed = true;
		batch_fail(b, 0, "not a tag manifest: " EXPECTED);
	}
	free(s.row);
	free(s.cells);
	free(s.columns);
	return s.failed ? -1 : 0;
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

/* SPEC §4: tried in this order; log-format.md §4.1 gives the regions. */
static const struct geo {
	const char *prefix;
	const char *const regions[16];
} geos[] = {
	{ "jp.", { "ap-northeast-1", "ap-northeast-3" } },
	{ "au.", { "ap-southeast-2", "ap-southeast-4", "ap-southeast-6" } },
	{ "ca.", { "ca-central-1", "ca-west-1" } },
	{ "us-gov.", { "us-gov-east-1", "us-gov-west-1" } },
	{ "us.", { "us-east-1", "us-east-2", "us-west-1", "us-west-2" } },
	{ "eu.",
	  { "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1",
	    "eu-south-2" } },
	{ "apac.",
	  { "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1",
	    "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
	    "ap-east-2", "me-central-1" } },
};

static bool geo_has(const struct geo *g, struct str region)
{
	for (size_t i = 0; i < sizeof g->regions / sizeof *g->regions && g->regions[i]; i++) {
		if (str_eq(str_from(g->regions[i]), region))
			return true;
	}
	return false;
}

/* The region field of "arn:PARTITION:SERVICE:REGION:...", or an empty slice. */
static struct str arn_region(struct str arn)
{
	struct str none = { arn.p, 0 };
	if (!str_starts(arn, "arn:"))
		return none;
	const char *p = arn.p, *end = arn.p + arn.n;
	for (int i = 0; i < 3; i++) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			return none;
		p = c + 1;
	}
	const char *c = memchr(p, ':', (size_t)(end - p));
	return c ? (struct str){ p, (size_t)(c - p) } : none;
}

/* A warning kept with the batch, merged with it. */
__attribute__((format(printf, 2, 3))) static const char *batch_note(struct batch *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = format_message(fmt, ap);
	va_end(ap);
	const char *kept = arena_dup(&b->scratch, str_from(msg));
	free(msg);
	return kept;
}

/*
 * The model of a profile from its models[].modelArn (SPEC §4). When several
 * ARNs name different base models, or one of several names no region, the
 * file says nothing about the model, and a note says why.
 */
static int json_models(struct batch *b, struct record *r, yajl_val models, const struct path *at)
{
	if (!YAJL_IS_ARRAY(models))
		return batch_fail(b, 0, "%s: expected an array", at->s);
	size_t n = models->u.array.len;
	struct str *arns = xcalloc(n ? n : 1, sizeof *arns);
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
		if (arn_region(arns[i]).n == 0) {
			r->note = batch_note(b,
					     "%s: %s: model ARN '%.*s' names no region; no model_id taken from this "
					     "file",
					     b->name, r->arn, (int)arns[i].n, arns[i].p);
			goto out;
		}
	}
	const char *prefix = "global.";
	for (size_t g = 0; g < sizeof geos / sizeof *geos; g++) {
		size_t i = 0;
		while (i < n && geo_has(&geos[g], arn_region(arns[i])))
			i++;
		if (i == n) {
			prefix = geos[g].prefix;
			break;
		}
	}
	size_t plen = strlen(prefix);
	char *id = arena_alloc(&b->scratch, plen + base.n + 1);
	memcpy(id, prefix, plen);
	memcpy(id + plen, base.p, base.n);
	id[plen + base.n] = '\0';
	r->model_id = id;
out:
	free(arns);
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
	struct record *r = batch_add(b, arn);
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
	struct record *r = batch_add(b, arn);
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

__attribute__((format(printf, 2, 3))) static int manifest_fail(struct manifest *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(m->error);
	m->error = format_message(fmt, ap);
	va_end(ap);
	return -1;
}

int manifest_load_buffer(struct manifest *m, const char *name, const char *buf, size_t n)
{
	assert(m && name && (buf || n == 0));
	free(m->error);
	m->error = NULL;
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		n -= 3;
	}
	size_t i = 0;
	while (i < n && is_space(buf[i]))
		i++;
	if (i == n)
		return manifest_fail(m, "%s: not a tag manifest (the file is empty): " EXPECTED, name);

	struct batch b = { .name = name };
	/* by content: JSON starts with '{' or '[', anything else is taken as CSV */
	int rc = buf[i] == '{' || buf[i] == '[' ? parse_json(&b, buf, n) : parse_csv(&b, buf, n);
	if (rc == 0)
		merge_batch(m, &b);
	else
		manifest_fail(m, "%s", b.error);
	batch_free(&b);
	return rc;
}

int manifest_load_file(struct manifest *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return manifest_fail(m, "%s: cannot read: %s", path, strerror(errno));
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
	int rc = err ? manifest_fail(m, "%s: cannot read: %s", path, strerror(err))
		     : manifest_load_buffer(m, path, buf, n);
	free(buf);
	return rc;
}

const char *manifest_error(const struct manifest *m)
{
	return m->error ? m->error : "";
}

size_t manifest_warning_count(const struct manifest *m)
{
	return m->nwarnings;
}

const char *manifest_warning(const struct manifest *m, size_t i)
{
	assert(i < m->nwarnings);
	return m->warnings[i];
}

size_t manifest_count(const struct manifest *m)
{
	return m->count;
}

const struct manifest_entry *manifest_lookup(const struct manifest *m, struct str arn)
{
	struct entry *const *slot = find_slot(m->slots, m->nslots, arn);
	return *slot ? &(*slot)->pub : NULL;
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
