/*
 * test_state.c - the ledger state: its JSON (every byte of a string, every
 * integer edge), a stored cell's class under another plan, and an object
 * stored, taken back whole (rows, rejects in order, cells), read again when
 * a -g meta: key is missing, and dropped when it is gone.
 */
#include "ledger/state/state.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/state/state_int.h"
#include "tap.h"

#define S(lit) ((struct str){ (lit), sizeof(lit) - 1 })

static void test_json_strings(void)
{
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	struct sbuf b = { 0 }, out = { 0 };
	sbuf_jstr(&b, (struct str){ all, sizeof all });
	struct jr r = { b.p, b.p + b.n };
	ok(jr_str(&r, &out) && jr_end(&r) && out.n == 256 && memcmp(out.p, all, 256) == 0,
	   "every byte, NUL and quotes included, comes back");
	const char *esc = "\"a\\u00e9\\ud83d\\ude00\\n\\/\\ud800x\"";
	r = (struct jr){ esc, esc + strlen(esc) };
	out.n = 0;
	ok(jr_str(&r, &out) && out.n == 13 &&
	       memcmp(out.p, "a\xc3\xa9\xf0\x9f\x98\x80\n/\xed\xa0\x80x", 13) == 0,
	   "escapes: \\u, a surrogate pair, \\n, \\/, a lone surrogate");
	const char *bad[] = { "\"abc", "\"\\x\"", "\"\\u12\"", "abc" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = (struct jr){ bad[i], bad[i] + strlen(bad[i]) };
		out.n = 0;
		ok(!jr_str(&r, &out), "refused: %s", bad[i]);
	}
	sbuf_free(&b);
	sbuf_free(&out);
}

static void test_json_integers(void)
{
	struct {
		const char *text;
		bool ok;
		uint64_t u;
	} us[] = {
		{ "0", true, 0 },
		{ "18446744073709551615", true, UINT64_MAX },
		{ "18446744073709551616", false, 0 },
		{ "01", false, 0 },
		{ "", false, 0 },
		{ "-1", false, 0 },
	};
	for (size_t i = 0; i < sizeof us / sizeof *us; i++) {
		struct jr r = { us[i].text, us[i].text + strlen(us[i].text) };
		uint64_t v = 0;
		bool got = jr_u64(&r, &v);
		ok(got == us[i].ok && (!got || v == us[i].u), "u64 '%s'", us[i].text);
	}
	struct {
		const char *text;
		bool ok;
		int64_t v;
	} is[] = {
		{ "-9223372036854775808", true, INT64_MIN },
		{ "9223372036854775807", true, INT64_MAX },
		{ "-9223372036854775809", false, 0 },
		{ "9223372036854775808", false, 0 },
	};
	for (size_t i = 0; i < sizeof is / sizeof *is; i++) {
		struct jr r = { is[i].text, is[i].text + strlen(is[i].text) };
		int64_t v = 0;
		bool got = jr_i64(&r, &v);
		ok(got == is[i].ok && (!got || v == is[i].v), "i64 '%s'", is[i].text);
	}
	struct sbuf b = { 0 };
	sbuf_i64(&b, INT64_MIN);
	sbuf_ch(&b, ' ');
	sbuf_u64(&b, UINT64_MAX);
	ok(strcmp(b.p, "-9223372036854775808 18446744073709551615") == 0, "written: %s", b.p);
	sbuf_free(&b);
}

/* The class of a stored cell under a plan: as a record's, from its hour, context and instant. */
static void test_classes(void)
{
	struct fact_plan p;
	fact_plan_init(&p, NULL, 0);
	uint64_t ctx[] = { 200000 };
	p.contexts = realloc(p.contexts, sizeof ctx);
	memcpy(p.contexts, ctx, sizeof ctx);
	p.ncontexts = 1;
	struct ts bound;
	ts_parse("2026-10-01T12:30:00Z", 20, &bound);
	fact_plan_add_bounds(&p, &bound, 1);
	struct ts a, b, c;
	ts_parse("2026-10-01T12:10:00Z", 20, &a);
	ts_parse("2026-10-01T12:29:59Z", 20, &b);
	ts_parse("2026-10-01T12:45:00Z", 20, &c);
	ok(fact_one_time_class(&p, a, b), "12:10 and 12:29:59: one class");
	ok(!fact_one_time_class(&p, a, c), "12:10 and 12:45: a bound at 12:30 between them");
	ok(fact_one_context_class(&p, 10, 200000) && !fact_one_context_class(&p, 10, 200001),
	   "contexts 10..200000 one class, 10..200001 two");
	struct record r = { 0 };
	r.timestamp = c;
	r.model_id = S("m");
	r.tokens[TOKEN_INPUT] = 300000;
	struct fact_key k1, k2;
	fact_key_init(&k1, &p);
	fact_key_init(&k2, &p);
	fact_key_set(&k1, &p, &r);
	fact_key_set(&k2, &p, &r);
	fact_key_set_class(&k2, &p, fact_hour(c), 250000, bound, 1);
	bool same = true;
	for (int f = FACT_HOUR; f <= FACT_KINDS; f++)
		same &= str_eq(k1.fields[f], k2.fields[f]);
	ok(same, "a cell's class from its least context and first instant is its records'");
	fact_key_finish(&k1);
	fact_key_finish(&k2);
	fact_plan_finish(&p);
}

/* ---- an object stored and taken back ---- */

struct got {
	int rows, rejects, cells, row_calls;
	size_t ids;
	unsigned char id[DUPES_HASH_SIZE]; /* the first */
	struct ts first, last;
	uint64_t records, invocations, input;
	uint64_t lines[4];
	bool at[4];
	char meta[32];
	char caller[64];
};

static void got_cell(void *ctx, struct source_row *s, const struct str *key,
		     const struct counters *c, const unsigned char *ids, size_t nids)
{
	struct got *g = ctx;
	(void)s;
	if (nids && !g->ids)
		memcpy(g->id, ids, DUPES_HASH_SIZE);
	g->ids += nids;
	g->first = c->first;
	g->last = c->last;
	g->cells++;
	g->invocations += c->invocations;
	g->input += c->tokens[TOKEN_INPUT];
	snprintf(g->meta, sizeof g->meta, "%.*s", (int)key[FACT_META].n, key[FACT_META].p);
	snprintf(g->caller, sizeof g->caller, "%.*s", (int)key[FACT_CALLER].n, key[FACT_CALLER].p);
}

static void got_reject(void *ctx, struct source_row *s, uint64_t line, enum record_reject why,
		       const struct record *late)
{
	struct got *g = ctx;
	(void)s;
	(void)why;
	if (g->rejects < 4) {
		g->lines[g->rejects] = line;
		g->at[g->rejects] = late && late->timestamp.sec > 0 &&
				    str_eq(late->account_id, S("111122223333")) &&
				    str_eq(late->region, S("eu-west-1"));
	}
	g->rejects++;
}

static void got_row(void *ctx, struct source_row *s)
{
	(void)s;
	((struct got *)ctx)->row_calls++;
}

static void no_fold(void *ctx, const struct str *key, const struct counters *c)
{
	(void)key;
	(*(uint64_t *)ctx) += c->invocations;
}

static struct state *open_state(const char *path, struct fact_plan *p, const char *const *metas)
{
	struct state_config cfg = { .path = path, .plan = p, .metas = metas };
	struct state *st = NULL;
	struct diag d = DIAG_INIT;
	if (state_open(&st, &cfg, &d) != 0) {
		printf("# %s\n", diag_msg(&d));
		diag_clear(&d);
	}
	return st;
}

static void store_one(const char *db, struct fact_plan *p, const char *const *metas,
		      const struct input *in)
{
	struct state *st = open_state(db, p, metas);
	struct state_worker *w = state_worker_create(st);
	struct source_log log;
	source_log_init(&log);
	ok(!state_take(w, in, &(struct state_sink){ NULL, &log, got_row, got_cell, got_reject }),
	   "a new object is to be read");
	struct source_row *row = source_log_add(&log, in->path);
	struct str meta = S("chat");
	struct fact_key k;
	fact_key_init(&k, p);
	for (int i = 0; i < 3; i++) {
		struct record r = { 0 };
		ts_parse("2026-10-01T12:10:00Z", 20, &r.timestamp);
		r.timestamp.sec += i;
		r.model_id = S("m");
		r.caller = S("arn:aws:iam::111122223333:user/a\"b");
		r.tokens[TOKEN_INPUT] = 100;
		r.meta = &meta;
		r.request_id = i ? S("req-1") : S(""); /* the first has none */
		fact_key_set(&k, p, &r);
		const struct counters *cell = facts_add(state_capture_cells(w), &k, &r);
		unsigned char id[DUPES_HASH_SIZE];
		if (dupes_hash(&r, id))
			state_capture_id(w, cell, id);
		row->records++;
	}
	struct record late = { .line = 7, .reject = RECORD_MISSING_MODEL_ID };
	ts_parse("2026-10-01T12:20:00Z", 20, &late.timestamp);
	late.account_id = S("111122223333");
	late.region = S("eu-west-1");
	state_capture_reject(w, row, 7, RECORD_MISSING_MODEL_ID, &late);
	state_capture_reject(w, row, 9, RECORD_INVALID_JSON, NULL);
	row->records += 2;
	uint64_t folded = 0;
	state_capture_flush(w, row, no_fold, &folded);
	ok(folded == 3, "the capture hands its cells on (%" PRIu64 " invocations)", folded);
	state_capture_end(w, &log);
	source_log_end_input(&log, 0);
	struct state_stats stats;
	struct diag d = DIAG_INIT;
	ok(state_finish(st, false, &stats, &d) == 0 && stats.read_new == 1, "stored");
	fact_key_finish(&k);
	source_log_finish(&log);
	state_worker_destroy(w);
	state_destroy(st);
}

static void test_round_trip(void)
{
	char db[] = "/tmp/test_state.XXXXXX";
	int fd = mkstemp(db);
	close(fd);
	const char *app[] = { "app" }, *team[] = { "team" };
	struct fact_plan p;
	fact_plan_init(&p, NULL, 1);
	struct input in = { "no/such/dir/x.json", INPUT_FILE, NULL, 120, false, 1234567890123 };
	store_one(db, &p, app, &in);

	struct state *st = open_state(db, &p, app);
	struct state_worker *w = state_worker_create(st);
	struct source_log log;
	source_log_init(&log);
	struct got g = { 0 };
	ok(state_take(w, &in, &(struct state_sink){ &g, &log, got_row, got_cell, got_reject }),
	   "unchanged: taken");
	ok(log.nrows == 1 && log.rows[0]->records == 5 && strcmp(log.rows[0]->path, in.path) == 0,
	   "its sources row");
	ok(g.rejects == 2 && g.lines[0] == 7 && g.at[0] && g.lines[1] == 9 && !g.at[1],
	   "its rejects, in order, with the timestamp, account and region the window and"
	   " coverage.csv need");
	ok(g.row_calls == 1, "its row announced before its rejects and cells");
	ok(g.cells == 1 && g.invocations == 3 && g.input == 300,
	   "its cell: 3 invocations, 300 tokens");
	struct ts t0;
	ts_parse("2026-10-01T12:10:00Z", 20, &t0);
	ok(ts_cmp(g.first, t0) == 0 && g.last.sec == t0.sec + 2 && g.last.nsec == 0,
	   "its first and last instants, whole seconds stored as 6e11 and 2e9 ns");
	unsigned char want[DUPES_HASH_SIZE];
	struct record with_id = { .request_id = S("req-1") };
	dupes_hash(&with_id, want);
	ok(g.ids == 2 && memcmp(g.id, want, sizeof want) == 0,
	   "its requestId hashes: the two records that had one (%zu)", g.ids);
	ok(strcmp(g.meta, "chat") == 0 &&
	       strcmp(g.caller, "arn:aws:iam::111122223333:user/a\"b") == 0,
	   "its strings: %s, %s", g.meta, g.caller);
	source_log_end_input(&log, 0);
	struct input changed = in;
	changed.mtime_ns++;
	struct state_stats stats;
	struct diag d = DIAG_INIT;
	state_finish(st, true, &stats, &d);
	ok(stats.taken == 1 && stats.dropped == 0, "taken, not dropped");
	source_log_finish(&log);
	state_worker_destroy(w);
	state_destroy(st);

	/* another key: changed; another meta key: read again */
	st = open_state(db, &p, team);
	w = state_worker_create(st);
	source_log_init(&log);
	ok(!state_take(w, &in, &(struct state_sink){ &g, &log, got_row, got_cell, got_reject }),
	   "-g meta:team, stored with app: read again");
	state_finish(st, false, &stats, &d);
	ok(stats.reread[STATE_META] == 1, "counted as a meta key not kept");
	state_worker_destroy(w);
	state_destroy(st);
	st = open_state(db, &p, app);
	w = state_worker_create(st);
	ok(!state_take(w, &changed,
		       &(struct state_sink){ &g, &log, got_row, got_cell, got_reject }),
	   "another mtime: read again");
	state_finish(st, false, &stats, &d);
	ok(stats.reread[STATE_CHANGED] == 1, "counted as changed");
	state_worker_destroy(w);
	state_destroy(st);

	/* gone from disk and not met: dropped */
	st = open_state(db, &p, app);
	state_finish(st, true, &stats, &d);
	ok(stats.dropped == 1, "gone: dropped");
	state_destroy(st);
	source_log_finish(&log);
	fact_plan_finish(&p);
	unlink(db);
}

int main(void)
{
	test_json_strings();
	test_json_integers();
	test_classes();
	test_round_trip();
	return tap_done();
}
