/*
 * run_json.c - run.json: written from the run's totals and the sealed
 * report set; an earlier one read back for its list of reports.
 */
#include "ledger/run/run_json.h"

#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "config.h"
#include "ledger/price/prices.h"
#include "ledger/read/inflate.h"
#include "ledger/support/json.h"
#include "ledger/support/sha256.h"
#include "ledger/support/xalloc.h"

static void put_digest(struct json *j, const unsigned char d[SHA256_SIZE])
{
	char hex[SHA256_HEX];
	sha256_hex(d, hex);
	json_cstr(j, hex);
}

static void put_tables(struct json *j, const struct ledger_opts *o)
{
	json_key(j, "prices");
	json_begin_object(j);
	json_key(j, "builtin");
	json_bool(j, o->prices_path == NULL);
	json_key(j, o->prices_path ? "path" : "date");
	json_cstr(j, o->prices_path ? o->prices_path : prices_builtin_date());
	json_end_object(j);
	size_t n;
	const struct table_read *t = sha256_tables(&n);
	json_key(j, "tables");
	json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		json_begin_object(j);
		json_key(j, "path");
		json_cstr(j, t[i].path);
		json_key(j, "size");
		json_u64(j, t[i].size);
		json_key(j, "sha256");
		put_digest(j, t[i].sha256);
		json_end_object(j);
	}
	json_end_array(j);
}

static void put_books(struct json *j, const struct summary *t)
{
	json_key(j, "objects");
	json_begin_object(j);
	JSON_COUNTS(j, { "read", t->objects_read }, { "skipped", t->objects_skipped },
		    { "errors", t->objects_error }, { "outside_window", t->objects_pruned });
	json_end_object(j);
	json_key(j, "records");
	json_begin_object(j);
	JSON_COUNTS(j, { "read", t->records_read }, { "counted", t->counted },
		    { "rejected", t->rejected }, { "filtered", t->filtered },
		    { "duplicates", t->duplicates });
	json_key(j, "deduplicated");
	json_bool(j, t->dedupe);
	json_end_object(j);
	summary_json_period(j, t);
	const struct counters *c = &t->all;
	json_key(j, "totals");
	json_begin_object(j);
	JSON_COUNTS(j, { "invocations", c->invocations }, { "errors", c->errors });
	json_key(j, "tokens");
	summary_json_tokens(j, c);
	json_key(j, "cost_usd");
	json_money(j, c->cost);
	JSON_COUNTS(j, { "unpriced_invocations", t->unpriced.invocations },
		    { "unattributed_invocations", t->unattributed.invocations });
	json_end_object(j);
}

/* --state: the objects it gave, the objects read (by reason), the ones dropped; or null */
static void put_state(struct json *j, const char *path, const struct state_stats *s)
{
	json_key(j, "state");
	if (!s) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_key(j, "path");
	json_cstr(j, path);
	JSON_COUNTS(j, { "objects_taken", s->taken });
	json_key(j, "objects_read");
	json_begin_object(j);
	JSON_COUNTS(j, { "new", s->read_new });
	for (int i = 0; i < STATE_REASONS; i++) {
		json_key(j, state_reason_key((enum state_reason)i));
		json_u64(j, s->reread[i]);
	}
	json_end_object(j);
	JSON_COUNTS(j, { "objects_dropped", s->dropped });
	json_key(j, "updated");
	json_bool(j, !s->write_failed);
	JSON_COUNTS(j, { "objects_not_stored", s->unstored });
	json_key(j, "problem");
	json_cstr(j, s->write_failed ? s->problem : NULL);
	json_end_object(j);
}

static void put_reports(struct json *j, const struct report_set *set, size_t n)
{
	json_key(j, "reports");
	json_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		json_begin_object(j);
		json_key(j, "name");
		json_cstr(j, report_set_name(set, i));
		json_key(j, "size");
		json_u64(j, report_set_size(set, i));
		json_key(j, "sha256");
		put_digest(j, report_set_sha256(set, i));
		json_end_object(j);
	}
	json_end_array(j);
}

int run_json_write(struct report_set *set, const struct ledger_opts *o, const struct summary *t,
		   const struct state_stats *state, int status)
{
	if (report_set_seal(set) != 0)
		return -1;
	size_t nreports = report_set_count(set);
	struct report_file *f = report_open(set, RUN_JSON_NAME);
	if (!f)
		return -1;
	struct json j;
	json_init(&j, report_stream(f));
	json_begin_object(&j);
	json_key(&j, "schema");
	json_cstr(&j, "bedrock-ledger run");
	json_key(&j, "version");
	json_u64(&j, RUN_JSON_VERSION);
	json_key(&j, "program");
	json_begin_object(&j);
	json_key(&j, "name");
	json_cstr(&j, "bedrock-ledger");
	json_key(&j, "version");
	json_cstr(&j, LEDGER_VERSION);
	json_key(&j, "inflate");
	json_cstr(&j, inflate_backend());
	json_end_object(&j);
	json_key(&j, "arguments");
	json_begin_array(&j);
	for (size_t i = 0; i < o->nargs; i++)
		json_cstr(&j, o->args[i]);
	json_end_array(&j);
	json_key(&j, "hash");
	json_bool(&j, o->hash);
	put_tables(&j, o);
	put_books(&j, t);
	put_state(&j, o->state_path, state);
	json_key(&j, "exit_status");
	json_u64(&j, (uint64_t)status);
	put_reports(&j, set, nreports);
	json_end_object(&j);
	json_finish(&j);
	return 0;
}

/* A name an earlier run.json may make us remove: a plain file name in DIR. */
static bool removable(const char *name)
{
	if (!*name || name[0] == '.' || strchr(name, '/') || strcmp(name, RUN_JSON_NAME) == 0)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return false;
	return true;
}

void run_json_mark_stale(struct report_set *set, const char *dir)
{
	size_t n = strlen(dir) + sizeof "/" RUN_JSON_NAME;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s", dir, RUN_JSON_NAME);
	FILE *fp = fopen(path, "rb");
	free(path);
	if (!fp)
		return;
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	do {
		if (len + 4096 + 1 > cap) {
			cap = 2 * cap + 8192;
			text = xrealloc(text, cap);
		}
		got = fread(text + len, 1, cap - len - 1, fp);
		len += got;
	} while (got > 0 && len < (64u << 20));
	fclose(fp);
	text[len] = '\0';
	yajl_val doc = yajl_tree_parse(text, NULL, 0);
	free(text);
	const char *reports_path[] = { "reports", NULL };
	yajl_val reports = doc ? yajl_tree_get(doc, reports_path, yajl_t_array) : NULL;
	for (size_t i = 0; reports && i < YAJL_GET_ARRAY(reports)->len; i++) {
		const char *name_path[] = { "name", NULL };
		yajl_val v =
		    yajl_tree_get(YAJL_GET_ARRAY(reports)->values[i], name_path, yajl_t_string);
		const char *name = v ? YAJL_GET_STRING(v) : NULL;
		if (!name || !removable(name))
			continue;
		bool written = false;
		for (size_t k = 0; k < report_set_count(set) && !written; k++)
			written = strcmp(report_set_name(set, k), name) == 0;
		if (!written)
			report_set_remove(set, name);
	}
	yajl_tree_free(doc);
}
