/*
 * manifest_json.c - the JSON forms of a tag manifest (bedrock-ledger-formats(5), TAG MANIFESTS):
 * the output of aws bedrock list-inference-profiles and get-inference-profile (model and name), and
 * of aws resourcegroupstaggingapi get-resources (tags).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "ledger/support/arena.h"
#include "ledger/price/manifest.h"
#include "ledger/price/manifest_batch.h"
#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

/* The top-level keys that tell the three forms apart (bedrock-ledger(1), TAG MANIFESTS). */
#define KEY_PROFILES "inferenceProfileSummaries" /* list-inference-profiles */
#define KEY_TAGS     "ResourceTagMappingList"	 /* get-resources */
#define KEY_PROFILE  "inferenceProfileArn"	 /* get-inference-profile */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

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
static int json_string(struct manifest_batch *b, yajl_val obj, const char *key,
		       const struct path *at, bool required, struct str *out)
{
	yajl_val v = json_get(obj, key);
	*out = (struct str){ NULL, 0 };
	if (!v) {
		if (required)
			return manifest_batch_fail(b, 0, "%s%sno %s", at->s, at->s[0] ? ": " : "",
						   key);
		return 0;
	}
	struct path p = path_key(at, key);
	if (!YAJL_IS_STRING(v))
		return manifest_batch_fail(b, 0, "%s: expected a string", p.s);
	*out = str_from(YAJL_GET_STRING(v));
	if (required && !out->n)
		return manifest_batch_fail(b, 0, "%s: empty", p.s);
	return 0;
}

/*
 * The model of a profile from its models[].modelArn (bedrock-ledger-formats(5), TAG MANIFESTS).
 * When several ARNs name different base models, or one of several names no region, the file says
 * nothing about the model, and a note says why.
 */
static int json_models(struct manifest_batch *b, struct manifest_said *r, yajl_val models,
		       const struct path *at)
{
	if (!YAJL_IS_ARRAY(models))
		return manifest_batch_fail(b, 0, "%s: expected an array", at->s);
	size_t n = models->u.array.len;
	struct str *arns = xcalloc(n ? n : 1, sizeof *arns);
	struct str *regions = xcalloc(n ? n : 1, sizeof *regions);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct path p = path_index(at, i);
		yajl_val m = models->u.array.values[i];
		if (!YAJL_IS_OBJECT(m))
			rc = manifest_batch_fail(b, 0, "%s: expected an object", p.s);
		else
			rc = json_string(b, m, "modelArn", &p, true, &arns[i]);
	}
	if (rc || n == 0)
		goto out;
	if (n == 1) {
		manifest_batch_model(b, r, arns[0]);
		goto out;
	}
	struct str base = modelid_strip_arn(arns[0]), arn = str_from(r->arn);
	for (size_t i = 0; i < n; i++) {
		struct str other = modelid_strip_arn(arns[i]);
		if (!str_eq(other, base)) {
			manifest_batch_note(b, &r->note, 0,
					    "%.*s%s: the models are different base "
					    "models ('%.*s%s', '%.*s%s'); no "
					    "model_id taken from this file",
					    DIAG_NAME(arn), DIAG_NAME(base), DIAG_NAME(other));
			goto out;
		}
		regions[i] = modelid_arn_field(arns[i], 3);
		if (regions[i].n == 0) {
			manifest_batch_note(b, &r->note, 0,
					    "%.*s%s: model ARN '%.*s%s' names no "
					    "region; no model_id taken from this "
					    "file",
					    DIAG_NAME(arn), DIAG_NAME(arns[i]));
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
static int json_profile(struct manifest_batch *b, yajl_val v, const struct path *at)
{
	if (!YAJL_IS_OBJECT(v))
		return manifest_batch_fail(b, 0, "%s: expected an object", at->s);
	struct str type, arn, name;
	if (json_string(b, v, "type", at, false, &type))
		return -1;
	/* system profiles are never looked up in a manifest (bedrock-ledger-formats(5), ROUTES) */
	if (str_eq(type, STR_LIT("SYSTEM_DEFINED")))
		return 0;
	if (json_string(b, v, KEY_PROFILE, at, true, &arn) ||
	    json_string(b, v, "inferenceProfileName", at, false, &name))
		return -1;
	struct manifest_said *r = manifest_batch_add(b, arn);
	yajl_val models = json_get(v, "models");
	if (models) {
		struct path p = path_key(at, "models");
		if (json_models(b, r, models, &p))
			return -1;
	}
	manifest_batch_tag(b, r, "name", name);
	return 0;
}

static int json_tag_mapping(struct manifest_batch *b, yajl_val v, const struct path *at)
{
	if (!YAJL_IS_OBJECT(v))
		return manifest_batch_fail(b, 0, "%s: expected an object", at->s);
	struct str arn;
	if (json_string(b, v, "ResourceARN", at, true, &arn))
		return -1;
	struct manifest_said *r = manifest_batch_add(b, arn);
	const char *tags_key = json_get(v, "Tags") ? "Tags" : "tags";
	yajl_val tags = json_get(v, tags_key);
	if (!tags)
		return 0;
	struct path tp = path_key(at, tags_key);
	if (!YAJL_IS_ARRAY(tags))
		return manifest_batch_fail(b, 0, "%s: expected an array", tp.s);
	for (size_t i = 0; i < tags->u.array.len; i++) {
		struct path p = path_index(&tp, i);
		yajl_val t = tags->u.array.values[i];
		if (!YAJL_IS_OBJECT(t))
			return manifest_batch_fail(b, 0, "%s: expected an object", p.s);
		/* get-resources says Key/Value, list-tags-for-resource key/value */
		bool lower = !json_get(t, "Key") && json_get(t, "key");
		struct str key, value;
		if (json_string(b, t, lower ? "key" : "Key", &p, true, &key) ||
		    json_string(b, t, lower ? "value" : "Value", &p, false, &value))
			return -1;
		if (!value.p)
			return manifest_batch_fail(b, 0, "%s: no %s", p.s,
						   lower ? "value" : "Value");
		manifest_batch_tag(b, r, arena_dup(&b->scratch, key), value);
	}
	return 0;
}

static int json_list(struct manifest_batch *b, yajl_val list, const char *key,
		     int (*each)(struct manifest_batch *, yajl_val, const struct path *))
{
	struct path at = { "" };
	at = path_key(&at, key);
	if (!YAJL_IS_ARRAY(list))
		return manifest_batch_fail(b, 0, "%s: expected an array", at.s);
	for (size_t i = 0; i < list->u.array.len; i++) {
		struct path p = path_index(&at, i);
		if (each(b, list->u.array.values[i], &p))
			return -1;
	}
	return 0;
}

/* A CLI page token that is set means this file is not the last page. */
static void json_page_token(struct manifest_batch *b, yajl_val root, const char *key)
{
	yajl_val t = json_get(root, key);
	if (t && YAJL_IS_STRING(t) && YAJL_GET_STRING(t)[0])
		manifest_batch_note(b, &b->note, 0,
				    "%s is set: the file is one page of several; profiles on later "
				    "pages are not in it",
				    key);
}

/*
 * yajl's tree parser reports no position, so a syntax error is found again
 * with the event parser, whose byte count gives the line. Both allow
 * comments, as yajl_tree_parse does.
 */
static int json_syntax(struct manifest_batch *b, const char *buf, size_t n)
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
		rc = manifest_batch_fail(b, line, "invalid JSON: %.*s", (int)len, (char *)e);
		yajl_free_error(h, e);
	}
	yajl_free(h);
	return rc;
}

int manifest_parse_json(struct manifest_batch *b, const char *buf, size_t n)
{
	if (json_syntax(b, buf, n))
		return -1;
	char *text = xmemdup0(buf, n);
	char errbuf[256];
	yajl_val root = yajl_tree_parse(text, errbuf, sizeof errbuf);
	free(text);
	if (!root)
		return manifest_batch_fail(b, 0, "invalid JSON: %s", errbuf);
	int rc;
	yajl_val v;
	if (!YAJL_IS_OBJECT(root)) {
		rc = manifest_batch_fail(b, 0, "not a tag manifest: " MANIFEST_EXPECTED);
	} else if ((v = json_get(root, KEY_PROFILES))) {
		rc = json_list(b, v, KEY_PROFILES, json_profile);
		json_page_token(b, root, "nextToken");
	} else if ((v = json_get(root, KEY_TAGS))) {
		rc = json_list(b, v, KEY_TAGS, json_tag_mapping);
		json_page_token(b, root, "PaginationToken");
	} else if (json_get(root, KEY_PROFILE)) {
		struct path at = { "" };
		rc = json_profile(b, root, &at);
	} else if (json_get(root, "tags")) {
		rc = manifest_batch_fail(
		    b, 0,
		    "not a tag manifest: the JSON of aws bedrock list-tags-for-resource names "
		    "no profile ARN; use aws resourcegroupstaggingapi get-resources");
	} else {
		rc = manifest_batch_fail(b, 0, "not a tag manifest: " MANIFEST_EXPECTED);
	}
	yajl_tree_free(root);
	return rc;
}

/* manifest_json_is: the keys of the top-level object, as yajl meets them. */
struct key_sniff {
	int depth;
	bool found;
};

static int sniff_open(void *ctx)
{
	((struct key_sniff *)ctx)->depth++;
	return 1;
}

static int sniff_close_map(void *ctx)
{
	return --((struct key_sniff *)ctx)->depth > 0; /* the top-level object ends: stop */
}

static int sniff_open_array(void *ctx)
{
	return ++((struct key_sniff *)ctx)->depth > 1; /* a top-level array is no form of ours */
}

static int sniff_close_array(void *ctx)
{
	((struct key_sniff *)ctx)->depth--;
	return 1;
}

static int sniff_key(void *ctx, const unsigned char *key, size_t n)
{
	struct key_sniff *s = ctx;
	if (s->depth != 1)
		return 1;
	static const char *const keys[] = { KEY_PROFILES, KEY_TAGS, KEY_PROFILE };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strlen(keys[i]) == n && memcmp(keys[i], key, n) == 0)
			s->found = true;
	return !s->found;
}

bool manifest_json_is(const char *text, size_t n)
{
	static const yajl_callbacks cb = {
		.yajl_start_map = sniff_open,
		.yajl_map_key = sniff_key,
		.yajl_end_map = sniff_close_map,
		.yajl_start_array = sniff_open_array,
		.yajl_end_array = sniff_close_array,
	};
	struct key_sniff s = { 0, false };
	yajl_handle h = yajl_alloc(&cb, NULL, &s);
	yajl_config(h, yajl_allow_comments, 1);
	yajl_parse(h, (const unsigned char *)text, n); /* a head: it may stop anywhere */
	yajl_free(h);
	return s.found;
}
