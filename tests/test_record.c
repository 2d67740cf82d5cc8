/*
 * test_record.c - the record parser against hand-written fixtures.
 *
 * Each tests/fixtures/record/NAME.jsonl has a NAME.expected written by hand:
 * one line per record the sink receives, then "lines N" (the parser's line
 * count after finish); '#' lines are comments. A record is written as
 *   L<line> <reason> [ts=<UTC> [ns=<nsec>]] [acct=] [caller=] [region=] [req=]
 *   [op=] [model=] [infr=] [error] [in= out= cr= cw=] [cw1h=] [1h-ignored] [tier=]
 * with empty strings left out, ts only where record.h promises it, the
 * counts only for "ok", and bytes outside '!'..'~' (and '\') escaped as \xHH.
 * Every fixture is also fed in chunks of 1 to 31 bytes, and must give the
 * same result each time.
 */
#include "ledger/read/record.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/read/keypaths.h"
#include "ledger/support/xalloc.h"
#include "tap.h"

#define FIXTURES "fixtures/record/"

struct buf {
	char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *tmp = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(tmp, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, tmp, (size_t)n);
	free(tmp);
}

static void buf_field(struct buf *b, const char *key, struct str v)
{
	if (v.n == 0)
		return;
	buf_printf(b, " %s=", key);
	for (size_t i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		if (c == '\\')
			buf_add(b, "\\\\", 2);
		else if (c >= '!' && c <= '~')
			buf_add(b, &c, 1);
		else
			buf_printf(b, "\\x%02x", c);
	}
}

struct run {
	struct buf out;
	struct record_parser *parser;
	int line_mismatch; /* record_parser_lines() != r->line during the sink */
	uint64_t records;
};

static void sink(void *ctx, const struct record *r)
{
	struct run *run = ctx;
	struct buf *b = &run->out;
	run->records++;
	if (record_parser_lines(run->parser) != r->line)
		run->line_mismatch++;
	buf_printf(b, "L%llu %s", (unsigned long long)r->line, record_reject_name(r->reject));
	if (r->reject == RECORD_OK || r->reject == RECORD_MISSING_MODEL_ID ||
	    r->reject == RECORD_BAD_TOKEN_COUNT) {
		char ts[21];
		ts_format(r->timestamp, ts);
		buf_printf(b, " ts=%s", ts);
		if (r->timestamp.nsec)
			buf_printf(b, " ns=%ld", (long)r->timestamp.nsec);
	}
	buf_field(b, "acct", r->account_id);
	buf_field(b, "caller", r->caller);
	buf_field(b, "region", r->region);
	buf_field(b, "req", r->request_id);
	buf_field(b, "op", r->operation);
	buf_field(b, "model", r->model_id);
	buf_field(b, "infr", r->inference_region);
	if (r->error)
		buf_add(b, " error", 6);
	if (r->reject == RECORD_OK)
		buf_printf(b, " in=%llu out=%llu cr=%llu cw=%llu",
			   (unsigned long long)r->tokens[TOKEN_INPUT],
			   (unsigned long long)r->tokens[TOKEN_OUTPUT],
			   (unsigned long long)r->tokens[TOKEN_CACHE_READ],
			   (unsigned long long)r->tokens[TOKEN_CACHE_WRITE]);
	if (r->reject == RECORD_OK && r->tokens[TOKEN_CACHE_WRITE_1H])
		buf_printf(b, " cw1h=%llu", (unsigned long long)r->tokens[TOKEN_CACHE_WRITE_1H]);
	if (r->reject == RECORD_OK && r->cache_write_1h_ignored)
		buf_add(b, " 1h-ignored", 11);
	buf_field(b, "tier", r->tier);
	buf_add(b, "\n", 1);
}

static struct run *run_new(void)
{
	struct run *run = xcalloc(1, sizeof *run);
	run->parser = record_parser_create(sink, run);
	buf_add(&run->out, "", 0);
	return run;
}

static void run_free(struct run *run)
{
	record_parser_destroy(run->parser);
	free(run->out.p);
	free(run);
}

/* Feeds data in chunks of `chunk` bytes (0: at once) and finishes: the records, then "lines N". */
static char *parse_with(struct run *run, const char *data, size_t n, size_t chunk)
{
	run->out.n = 0;
	run->out.p[0] = '\0';
	record_parser_reset(run->parser);
	if (chunk == 0)
		chunk = n ? n : 1;
	for (size_t off = 0; off < n; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;
		record_parser_feed(run->parser, data + off, len);
		record_parser_feed(run->parser, data + off + len, 0);
	}
	record_parser_finish(run->parser);
	buf_printf(&run->out, "lines %llu\n", (unsigned long long)record_parser_lines(run->parser));
	return xmemdup0(run->out.p, run->out.n);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	buf_add(&b, "", 0);
	if (!f) {
		*n = 0;
		return NULL;
	}
	char tmp[4096];
	size_t got;
	while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, got);
	fclose(f);
	*n = b.n;
	return b.p;
}

/* The expected file without its comment lines. */
static char *read_expected(const char *path)
{
	size_t n;
	char *text = slurp(path, &n);
	if (!text)
		return NULL;
	struct buf b = { 0 };
	buf_add(&b, "", 0);
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		if (line[0] != '#')
			buf_add(&b, line, len);
		line += len;
	}
	free(text);
	return b.p;
}

/* One test per expected line, so that a failure shows the record. */
static void compare_lines(const char *name, const char *got, const char *want)
{
	int i = 1;
	while (*got || *want) {
		const char *g_nl = strchr(got, '\n'), *w_nl = strchr(want, '\n');
		size_t gl = g_nl ? (size_t)(g_nl - got) : strlen(got);
		size_t wl = w_nl ? (size_t)(w_nl - want) : strlen(want);
		char *g = *got ? xmemdup0(got, gl) : xstrdup("(nothing)");
		char *w = *want ? xmemdup0(want, wl) : xstrdup("(nothing)");
		is_str(g, w, "%s: result %d", name, i);
		free(g);
		free(w);
		got += *got ? gl + (g_nl != NULL) : 0;
		want += *want ? wl + (w_nl != NULL) : 0;
		i++;
	}
}

static void check_input(struct run *shared, const char *name, const char *data, size_t n,
			const char *want)
{
	/* a fresh parser, at once */
	struct run *fresh = run_new();
	char *whole = parse_with(fresh, data, n, 0);
	/* a document's value ends after the line it starts on; an event's line is its position */
	if (strncmp(name, "doc_", 4) != 0 && strncmp(name, "events_", 7) != 0)
		ok(fresh->line_mismatch == 0,
		   "%s: record_parser_lines() is the record's line in the sink", name);
	run_free(fresh);
	if (want)
		compare_lines(name, whole, want);

	/* a parser that has seen every earlier input, in every small chunk size */
	for (size_t chunk = 1; chunk <= 31; chunk++) {
		char *got = parse_with(shared, data, n, chunk);
		if (!ok(strcmp(got, whole) == 0, "%s: same result in chunks of %zu", name, chunk))
			printf("# got:\n%s# at once:\n%s", got, whole);
		free(got);
	}
	free(whole);
}

static void check_fixture(struct run *shared, const char *name)
{
	char path[256];
	size_t n;
	snprintf(path, sizeof path, FIXTURES "%s.jsonl", name);
	char *data = slurp(path, &n);
	snprintf(path, sizeof path, FIXTURES "%s.expected", name);
	char *want = read_expected(path);
	if (!ok(data && want, "%s: fixture and expected file readable", name)) {
		free(data);
		free(want);
		return;
	}
	check_input(shared, name, data, n, want);
	free(data);
	free(want);
}

/*
 * A record whose body is over 1 MB: many strings, escapes, numbers and decoy
 * keys, one 8 KB string, invalid UTF-8 in the body; then a normal line, a
 * big line cut off mid-value and another normal line.
 */
static void check_big_line(struct run *shared)
{
	struct buf b = { 0 };
	buf_printf(&b, "%s",
		   "{\"timestamp\":\"2025-05-01T00:00:00Z\","
		   "\"input\":{\"inputBodyJson\":{\"messages\":[\"");
	for (int i = 0; i < 8192; i++)
		buf_add(&b, i % 100 == 99 ? "\\n" : "x", i % 100 == 99 ? 2 : 1);
	buf_add(&b, "\",", 2);
	for (int i = 0; b.n < (1u << 20) + 200000; i++) {
		buf_printf(&b,
			   "{\"role\":\"user\",\"content\":[{\"text\":\"message %d: "
			   "caf\xc3\xa9 \\u00e9 \\\"q\\\" \\\\ \\/ \xff\xfe tab\\t nl\\n "
			   "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
			   "eiusmod tempor incididunt ut labore et dolore magna aliqua\"}],"
			   "\"modelId\":\"decoy-%d\",\"timestamp\":\"x\",\"inputTokenCount\":-1,",
			   i, i);
		buf_printf(&b,
			   "\"n\":[1,2.5,-3e2,true,false,null,%d,"
			   "{\"output\":{\"outputTokenCount\":%d}}]},",
			   i, i);
	}
	buf_printf(&b, "%s",
		   "\"end\"]},\"inputTokenCount\":123},\"modelId\":\"big-model\","
		   "\"output\":{\"outputBodyJson\":[{\"amazon-bedrock-invocationMetrics\":"
		   "{\"inputTokenCount\":1,\"outputTokenCount\":2}}],\"outputTokenCount\":456},"
		   "\"requestId\":\"big\"}\n");
	size_t first_len = b.n;
	const char *second = "{\"timestamp\":\"2025-05-01T00:00:01Z\",\"modelId\":\"after\"}\n";
	buf_add(&b, second, strlen(second));
	/* the same body again, cut off mid-value by a newline */
	char *again = xmemdup0(b.p, first_len - 200);
	buf_add(&b, again, first_len - 200);
	free(again);
	buf_add(&b, "\n", 1);
	buf_add(&b, second, strlen(second));
	ok(first_len > (1u << 20), "the big line is over 1 MB (%zu bytes)", first_len);

	const char *want =
	    "L1 ok ts=2025-05-01T00:00:00Z req=big model=big-model in=123 out=456 cr=0 cw=0\n"
	    "L2 ok ts=2025-05-01T00:00:01Z model=after in=0 out=0 cr=0 cw=0\n"
	    "L3 invalid-json\n"
	    "L4 ok ts=2025-05-01T00:00:01Z model=after in=0 out=0 cr=0 cw=0\n"
	    "lines 4\n";
	check_input(shared, "big line", b.p, b.n, want);
	size_t sizes[] = { 4096, 65536, 262144 };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char *got = parse_with(shared, b.p, b.n, sizes[i]);
		is_str(got, want, "big line in chunks of %zu", sizes[i]);
		free(got);
	}
	free(b.p);
}

/*
 * Bounded memory on hostile lines: a token over RECORD_MAX_TOKEN, or nesting
 * deeper than RECORD_MAX_DEPTH, is too-large and the next line is read as
 * usual; a long line of small tokens is fine.
 */
static void check_bounds(void)
{
	struct run *run = run_new();
	const char *good = "{\"timestamp\":\"2025-05-01T00:00:00Z\",\"modelId\":\"m\","
			   "\"input\":{\"inputTokenCount\":4}}\n";
	const char *good_out = "L2 ok ts=2025-05-01T00:00:00Z model=m in=4 out=0 cr=0 cw=0\n";
	struct buf in = { 0 };
	char want[256];

	/* one string token of RECORD_MAX_TOKEN + 1 MiB, inside a body */
	buf_printf(&in, "{\"timestamp\":\"2025-05-01T00:00:00Z\",\"modelId\":\"m\",\"input\":{"
			"\"inputBodyJson\":\"");
	size_t big = RECORD_MAX_TOKEN + (1 << 20);
	char *x = xmalloc(big);
	memset(x, 'x', big);
	buf_add(&in, x, big);
	buf_printf(&in, "\"}}\n%s", good);
	char *got = parse_with(run, in.p, in.n, 256 * 1024);
	snprintf(want, sizeof want, "L1 too-large\n%slines 2\n", good_out);
	is_str(got, want, "bounds: a 9 MiB string is too-large, the next line is fine");
	free(got);

	/* the same in a kept field */
	in.n = 0;
	buf_printf(&in, "{\"modelId\":\"");
	buf_add(&in, x, big);
	buf_printf(&in, "\"}\n%s", good);
	got = parse_with(run, in.p, in.n, 1 << 20);
	is_str(got, want, "bounds: a 9 MiB modelId is too-large");
	free(got);

	/* a number token */
	in.n = 0;
	buf_printf(&in, "{\"input\":{\"inputTokenCount\":");
	memset(x, '7', big);
	buf_add(&in, x, big);
	buf_printf(&in, "}}\n%s", good);
	got = parse_with(run, in.p, in.n, 64 * 1024);
	is_str(got, want, "bounds: a 9 MiB number is too-large");
	free(got);

	/* nesting: RECORD_MAX_DEPTH levels below the top are fine, one more is not */
	for (int extra = 0; extra <= 1; extra++) {
		in.n = 0;
		int levels = RECORD_MAX_DEPTH - 1 + extra; /* plus the record's own object */
		buf_printf(&in, "{\"timestamp\":\"2025-05-01T00:00:00Z\",\"modelId\":\"m\",\"b\":");
		for (int i = 0; i < levels; i++)
			buf_add(&in, "[", 1);
		for (int i = 0; i < levels; i++)
			buf_add(&in, "]", 1);
		buf_printf(&in, "}\n%s", good);
		got = parse_with(run, in.p, in.n, 4096);
		snprintf(want, sizeof want, "%s\n%slines 2\n",
			 extra ? "L1 too-large"
			       : "L1 ok ts=2025-05-01T00:00:00Z model=m in=0 out=0 cr=0 cw=0",
			 good_out);
		is_str(got, want, "bounds: %d nested levels %s", levels + 1,
		       extra ? "are too deep" : "are fine");
		free(got);
	}
	/* a hostile nest of 50 MB costs no more */
	in.n = 0;
	buf_printf(&in, "{\"b\":");
	free(x);
	big = 50 << 20;
	x = xmalloc(big);
	memset(x, '[', big);
	buf_add(&in, x, big);
	buf_printf(&in, "\n%s", good);
	got = parse_with(run, in.p, in.n, 256 * 1024);
	snprintf(want, sizeof want, "L1 too-large\n%slines 2\n", good_out);
	is_str(got, want, "bounds: 50 MB of '[' is too-large");
	free(got);

	/* a 40 MB line of small tokens is read in full */
	in.n = 0;
	buf_printf(&in, "{\"timestamp\":\"2025-05-01T00:00:00Z\",\"modelId\":\"m\",\"b\":[");
	for (int i = 0; i < 4 << 20; i++)
		buf_add(&in, "\"abcdefg\",", 10);
	buf_printf(&in, "1]}\n%s", good);
	got = parse_with(run, in.p, in.n, 256 * 1024);
	snprintf(want, sizeof want,
		 "L1 ok ts=2025-05-01T00:00:00Z model=m in=0 out=0 cr=0 cw=0\n%slines 2\n",
		 good_out);
	is_str(got, want, "bounds: a 40 MB line of small tokens is fine");
	free(got);

	free(x);
	free(in.p);
	run_free(run);
}

/* reset drops a line left unfinished by the previous object, even mid-body. */
static void check_reset(void)
{
	struct run *run = run_new();
	const char *good = "{\"timestamp\":\"2025-05-01T00:00:00Z\",\"modelId\":\"m\","
			   "\"input\":{\"inputTokenCount\":4}}\n";
	const char *want = "L1 ok ts=2025-05-01T00:00:00Z model=m in=4 out=0 cr=0 cw=0\n";
	const char *cuts[] = {
		"{\"timestamp\":\"2025-05-01T00:00:00Z\",\"input\":{\"inputBodyJson\":{\"a\":[\"xy",
		"{\"timestamp\":\"2025-05-01T00:00:00Z\",\"modelId\":\"abc",
		"2025-05-01T00:00",
		"   ",
		"{\"a\":1}\n{\"b\":12",
	};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		record_parser_reset(run->parser);
		record_parser_feed(run->parser, cuts[i], strlen(cuts[i]));
		run->out.n = 0;
		run->out.p[0] = '\0';
		record_parser_reset(run->parser);
		is_int(record_parser_lines(run->parser), 0, "reset %zu: line count back to 0", i);
		record_parser_feed(run->parser, good, strlen(good));
		record_parser_finish(run->parser);
		is_str(run->out.p, want, "reset %zu: the unfinished line is dropped", i);
	}

	/* lines counts finished lines only, until finish */
	record_parser_reset(run->parser);
	record_parser_feed(run->parser, "\n", 1);
	record_parser_feed(run->parser, good, strlen(good));
	record_parser_feed(run->parser, "{", 1);
	is_int(record_parser_lines(run->parser), 2, "an unfinished line is not counted yet");
	record_parser_finish(run->parser);
	is_int(record_parser_lines(run->parser), 3, "finish counts it");
	record_parser_finish(run->parser);
	is_int(record_parser_lines(run->parser), 3, "a second finish does nothing");
	run_free(run);
}

/* In the steady state the parser allocates nothing that stays. */
static void check_memory(void)
{
	size_t n;
	char *data = slurp(FIXTURES "basic.jsonl", &n);
	char *decoys = slurp(FIXTURES "decoys.jsonl", &n);
	struct run *run = run_new();
	struct buf all = { 0 };
	buf_add(&all, data, strlen(data));
	buf_add(&all, decoys, strlen(decoys));
	for (int i = 0; i < 20; i++)
		record_parser_feed(run->parser, all.p, all.n);
	run->out.n = 0;
	size_t before = mallinfo2().uordblks;
	for (int i = 0; i < 5000; i++) {
		record_parser_feed(run->parser, all.p, all.n);
		run->out.n = 0;
	}
	size_t after = mallinfo2().uordblks;
	if (before == 0)
		ok(1, "steady state allocates nothing # SKIP mallinfo2 not available here");
	else
		is_int(after, before, "steady state: heap in use unchanged over %llu records",
		       (unsigned long long)run->records);
	run_free(run);
	free(all.p);
	free(data);
	free(decoys);
}

/* keypaths_find: every key of every scope found where it is, nothing else. */
static void keypaths(void)
{
	keypaths_init();
	ok(keypaths_indexed(), "every scope's keys have slots of their own (else: slower, not wrong)");
	bool all = true, only = true;
	for (int sc = 0; sc < S_COUNT; sc++) {
		for (const struct key_entry *k = keypaths_scopes[sc].keys; k->name; k++) {
			const unsigned char *name = (const unsigned char *)k->name;
			all = all && keypaths_find((enum scope)sc, name, k->len) == k;
			/* the same bytes cut short, or with a byte changed, are not keys */
			only = only && (k->len < 2 || !keypaths_find((enum scope)sc, name, k->len - 1) ||
					keypaths_find((enum scope)sc, name, k->len - 1)->len == k->len - 1);
			char other[64];
			if (k->len < sizeof other) {
				memcpy(other, k->name, k->len);
				other[k->len / 2] ^= 0x20;
				only = only && !keypaths_find((enum scope)sc, (unsigned char *)other, k->len);
			}
		}
	}
	ok(all, "every key is found in its scope");
	ok(only, "near misses are not found");
	ok(!keypaths_find(S_TOP, (const unsigned char *)"", 0), "the empty key is none");
	ok(!keypaths_find(S_TOP, (const unsigned char *)"schemaType", 10), "schemaType is skipped");
	ok(!keypaths_find(S_IDENTITY, (const unsigned char *)"timestamp", 9),
	   "a key of another scope is not found");
}

int main(void)
{
	keypaths();
	static const char *const names[] = {
		"ok",
		"too-large",
		"invalid-json",
		"not-an-object",
		"missing-timestamp",
		"bad-timestamp",
		"missing-modelId",
		"bad-token-count",
	};
	for (int i = 0; i < RECORD_REJECT_COUNT; i++)
		is_str(record_reject_name((enum record_reject)i), names[i], "reject name %d", i);

	static const char *const fixtures[] = {
		"basic",
		"rejects_json",
		"rejects_fields",
		"blank_crlf",
		"trailing_blank",
		"cutoff",
		"noeol_number",
		"noeol_prefix",
		"empty",
		"only_newlines",
		"decoys",
		"errorcode",
		"cloudwatch",
		"duplicates",
		"unicode",
		"types",
		"body_paths",
		"permission",
		"doc_one",
		"doc_two",
		"doc_error",
		"doc_fallback",
		"doc_cutoff",
		"doc_cutoff_later",
		"doc_array",
		"doc_prefix",
		"doc_permission",
		"events_ndjson",
		"events_doc",
		"events_not",
		"doc_fail_same_line",
		"doc_after_permission",
		"probe_after_permission",
	};
	struct run *shared = run_new();
	for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++)
		check_fixture(shared, fixtures[i]);
	check_big_line(shared);
	run_free(shared);

	check_reset();
	check_bounds();
	check_memory();
	return tap_done();
}
