/*
 * test_skim.c - the skim (src/read/skim.c) changes nothing but speed.
 *
 * Random records, valid and not, are fed to two extractors, one that skims
 * long strings and one that gives yajl every byte, in the same random
 * pieces. Their verdicts and every field they fill must be equal. Long
 * strings go where they are dropped (the text of a body, the keys of a
 * skipped subtree) and where they are read (requestMetadata, identity.arn,
 * errorCode, modelId); some hold escapes, some a byte or escape yajl refuses,
 * some lines are cut off, and a few strings pass RECORD_MAX_TOKEN. Skipped
 * subtrees nest objects, arrays, numbers and literals around long strings,
 * with yajl's white space and now and then a slip yajl refuses (a missing
 * or extra separator, a wrong bracket, a bad number or literal); others
 * nest either side of RECORD_MAX_DEPTH. SKIM_DUMP=FILE writes the first
 * record that differs, with the size of its pieces, to FILE.
 */
#include "ledger/read/extract.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

struct buf {
	char *p;
	size_t n, cap;
};

static uint64_t rng = 88172645463325252u;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(next() % n);
}

static void add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void adds(struct buf *b, const char *s)
{
	add(b, s, strlen(s));
}

/* A string's bytes without its quotes: mostly text, some escapes, rarely a byte yajl refuses. */
static void text(struct buf *b, size_t len, bool may_be_bad)
{
	static const char *const escapes[] = { "\\n", "\\\"", "\\\\", "\\/",	 "\\b",
					       "\\f", "\\r",  "\\t",  "\\u00e9", "\\uD83D\\uDE00" };
	static const char *const bad[] = { "\x01", "\t", "\\q", "\\u12G4", "\\u00", "\\x", "\x1f" };
	size_t end = b->n + len;
	while (b->n < end) {
		unsigned r = pick(100);
		if (r < 8)
			adds(b, escapes[pick(sizeof escapes / sizeof *escapes)]);
		else if (r < 10)
			adds(b, "\xc3\xa9");
		else if (r == 10 && may_be_bad && pick(40) == 0)
			adds(b, bad[pick(sizeof bad / sizeof *bad)]);
		else
			add(b, &"abcdefghij klmnop: {[,]}"[pick(24)], 1);
	}
}

/* A string, quotes included, of about len bytes. */
static void string(struct buf *b, size_t len, bool may_be_bad)
{
	adds(b, "\"");
	text(b, len, may_be_bad);
	adds(b, "\"");
}

/* A length around the skim's threshold, or far from it. */
static size_t length(void)
{
	switch (pick(4)) {
	case 0:
		return pick(20);
	case 1:
		return 80 + pick(40);
	case 2:
		return 200 + pick(2000);
	default:
		return pick(300);
	}
}

/* Rarely, a mistake yajl refuses in the skipped subtree's structure. */
static bool slip(void)
{
	return pick(400) == 0;
}

/* White space as yajl has it, '\v' and '\f' too. */
static void space(struct buf *b)
{
	static const char *const ws[] = { "", "", "", " ", "\t", "\r", "\v", "\f", "  \n " };
	adds(b, ws[pick(sizeof ws / sizeof *ws)]);
	if (slip())
		adds(b, pick(2) ? "," : ":"); /* a separator where none may be */
}

static void scalar(struct buf *b)
{
	static const char *const good[] = { "0",
					    "-0",
					    "12",
					    "-3.25",
					    "1e5",
					    "1E+2",
					    "2.5e-3",
					    "true",
					    "false",
					    "null",
					    "99999999999999999999" };
	static const char *const bad[] = { "01",  "-",	 "1.",	  "1e",	   "+1",  ".5",
					   "tru", "nul", "True",  "1.2.3", "--1", "/",
					   "#",	  "1e+", "truex", "0x1" };
	if (slip())
		adds(b, bad[pick(sizeof bad / sizeof *bad)]);
	else if (pick(3) == 0)
		string(b, length(), true);
	else
		adds(b, good[pick(sizeof good / sizeof *good)]);
}

/* A value for a skipped subtree: nested, with long strings anywhere in it. */
static void junk(struct buf *b, unsigned depth)
{
	unsigned kind = depth > 6 ? 2 : pick(3);
	if (kind == 2) {
		scalar(b);
		return;
	}
	bool object = kind == 0;
	adds(b, object ? "{" : "[");
	unsigned n = pick(5);
	for (unsigned i = 0; i < n; i++) {
		space(b);
		if (i && !slip())
			adds(b, ",");
		space(b);
		if (object) {
			if (slip())
				adds(b, "1");
			else
				string(b, pick(4) ? pick(12) : length(), true);
			space(b);
			if (!slip())
				adds(b, ":");
			space(b);
		}
		junk(b, depth + 1);
	}
	if (n && slip())
		adds(b, ",");
	space(b);
	adds(b, slip() ? (object ? "]" : "}") : (object ? "}" : "]"));
}

static void messages(struct buf *b)
{
	adds(b, "\"messages\":[");
	unsigned n = 1 + pick(4);
	for (unsigned i = 0; i < n; i++) {
		adds(b, i ? ",{\"role\":\"user\",\"content\":[{\"text\":"
			  : "{\"role\":\"user\",\"content\":[{\"text\":");
		string(b, length(), true);
		adds(b, "}]");
		if (pick(2) == 0) {
			adds(b, ",\"x\":");
			junk(b, 0);
		}
		if (pick(3) == 0) {
			adds(b, ",");
			string(b, length(), true); /* a long key of a skipped object */
			adds(b, ":");
			string(b, length(), true);
		}
		adds(b, "}");
	}
	adds(b, "]");
}

static void record(struct buf *b)
{
	char num[160];
	adds(b, "{\"timestamp\":\"2026-10-23T23:04:46Z\",\"accountId\":\"345678901234\",");
	adds(b, "\"identity\":{\"arn\":");
	string(b, pick(2) ? 40 : length(), true);
	adds(b,
	     "},\"region\":\"us-west-2\",\"requestId\":\"e315be93\",\"operation\":\"Converse\",");
	adds(b, "\"modelId\":");
	string(b, pick(4) ? 30 : length(), false);
	if (pick(3) == 0) {
		adds(b, ",\"errorCode\":");
		string(b, length(), true);
	}
	if (pick(2)) {
		adds(b, ",\"requestMetadata\":{\"app\":");
		string(b, length(), true);
		adds(b, ",\"other\":");
		string(b, length(), true);
		adds(b, "}");
	}
	snprintf(num, sizeof num, ",\"input\":{\"inputTokenCount\":%u,", pick(100000));
	adds(b, num);
	adds(b, "\"inputContentType\":\"application/json\",\"inputBodyJson\":{");
	messages(b);
	adds(b, ",\"system\":");
	string(b, length(), true);
	if (pick(2)) {
		adds(b, pick(2) ? ",\"inferenceConfig\"" : ",\"inference\\u0043onfig\"");
		space(b);
		adds(b, ":");
		space(b);
		junk(b, 0);
	}
	adds(b, "}},\"output\":{\"outputBodyJson\":{\"id\":");
	string(b, length(), true);
	if (pick(2)) {
		adds(b, ",\"metrics\":");
		junk(b, 0);
	}
	snprintf(num, sizeof num,
		 ",\"usage\":{\"input_tokens\":%u,\"cache_creation\":"
		 "{\"ephemeral_1h_input_tokens\":%u}},",
		 pick(1000), pick(1000));
	adds(b, num);
	adds(b, "\"serviceTier\":{\"type\":");
	string(b, pick(3) ? 8 : length(), true);
	adds(b, "},\"content\":[{\"type\":\"text\",\"text\":");
	string(b, length(), true);
	snprintf(num, sizeof num, "}]},\"outputTokenCount\":%u}}\n", pick(100000));
	adds(b, num);
}

static bool same(const struct record *a, const struct record *b, size_t nmeta)
{
	bool eq = a->reject == b->reject && a->error == b->error &&
		  a->cache_write_1h_ignored == b->cache_write_1h_ignored &&
		  memcmp(a->tokens, b->tokens, sizeof a->tokens) == 0 &&
		  str_eq(a->account_id, b->account_id) && str_eq(a->caller, b->caller) &&
		  str_eq(a->region, b->region) && str_eq(a->request_id, b->request_id) &&
		  str_eq(a->operation, b->operation) && str_eq(a->model_id, b->model_id) &&
		  str_eq(a->inference_region, b->inference_region) && str_eq(a->tier, b->tier);
	for (size_t i = 0; eq && i < nmeta; i++)
		eq = str_eq(a->meta[i], b->meta[i]);
	if (eq && a->reject == RECORD_OK)
		eq = memcmp(&a->timestamp, &b->timestamp, sizeof a->timestamp) == 0;
	return eq;
}

static const char *const meta_keys[] = { "app", "team" };

/* Feeds line to both in the same pieces; true if they agree. */
static bool agree(struct extract *on, struct extract *off, const char *line, size_t n,
		  enum record_reject *verdict)
{
	size_t piece = pick(3) == 0 ? n : 1 + pick(pick(2) ? 64 : 5000);
	for (size_t i = 0; i < n; i += piece) {
		size_t k = n - i < piece ? n - i : piece;
		extract_feed(on, line + i, k);
		extract_feed(off, line + i, k);
	}
	enum record_reject va = extract_verdict(on), vb = extract_verdict(off);
	*verdict = vb;
	struct record ra = { 0 }, rb = { 0 };
	extract_fill(on, &ra);
	extract_fill(off, &rb);
	ra.reject = va;
	rb.reject = vb;
	bool ok = extract_failed(on) == extract_failed(off) && same(&ra, &rb, 2);
	static unsigned shown;
	if (!ok && !shown && getenv("SKIM_DUMP")) {
		FILE *f = fopen(getenv("SKIM_DUMP"), "wb");
		fprintf(f, "%zu\n", piece);
		fwrite(line, 1, n, f);
		fclose(f);
	}
	if (!ok && shown++ < 3)
		fprintf(stderr, "# differ: verdicts %d %d, failed %d %d, in pieces of %zu: %.*s\n",
			va, vb, extract_failed(on), extract_failed(off), piece, (int)n, line);
	if (va == RECORD_INVALID_JSON || va == RECORD_TOO_LARGE || vb == RECORD_INVALID_JSON ||
	    vb == RECORD_TOO_LARGE) {
		extract_renew(on);
		extract_renew(off);
	}
	extract_clear(on);
	extract_clear(off);
	return ok;
}

static struct extract *extractor(enum extract_skim how)
{
	struct extract *x = extract_create();
	extract_want_meta(x, meta_keys, 2);
	extract_set_skim(x, how);
	return x;
}

static void random_records(enum extract_skim how, const char *what)
{
	struct extract *on = extractor(how), *off = extractor(EXTRACT_SKIM_OFF);
	struct buf b = { 0 };
	unsigned bad = 0, counted = 0, rejected = 0;
	for (unsigned i = 0; i < 20000; i++) {
		b.n = 0;
		record(&b);
		size_t n = b.n;
		if (pick(20) == 0)
			n = pick((unsigned)n); /* cut off */
		enum record_reject v;
		if (!agree(on, off, b.p, n, &v))
			bad++;
		counted += v == RECORD_OK;
		rejected += v == RECORD_INVALID_JSON;
		extract_renew(on);
		extract_renew(off);
		extract_clear(on);
		extract_clear(off);
	}
	ok(bad == 0, "20000 random records: the same with and without the skim, %s (%u differ)",
	   what, bad);
	ok(counted > 3000 && rejected > 1000, "%u of them counted, %u invalid JSON", counted,
	   rejected);
	free(b.p);
	extract_destroy(on);
	extract_destroy(off);
}

/* A body string of n bytes, fed in pieces of 64 KiB, with a bad byte at `bad` if not 0. */
static void big_string(size_t n, size_t bad, const char *what)
{
	struct extract *on = extractor(EXTRACT_SKIM_BEST), *off = extractor(EXTRACT_SKIM_OFF);
	struct buf b = { 0 };
	adds(&b, "{\"timestamp\":\"2026-10-23T23:04:46Z\",\"modelId\":\"m\",\"input\":{"
		 "\"inputBodyJson\":"
		 "{\"messages\":[{\"text\":\"");
	size_t start = b.n;
	while (b.n < start + n)
		adds(&b, "0123456789abcdef");
	if (bad)
		b.p[start + bad] = '\x02';
	adds(&b, "\"}]}}}\n");
	size_t piece = 65536;
	for (size_t i = 0; i < b.n; i += piece) {
		size_t k = b.n - i < piece ? b.n - i : piece;
		extract_feed(on, b.p + i, k);
		extract_feed(off, b.p + i, k);
	}
	ok(extract_verdict(on) == extract_verdict(off), "%s: verdict %d, without the skim %d", what,
	   extract_verdict(on), extract_verdict(off));
	free(b.p);
	extract_destroy(on);
	extract_destroy(off);
}

/* A skipped subtree nested `levels` deep after a long string, fed in pieces of `piece`. */
static void deep(unsigned levels, size_t piece)
{
	struct extract *on = extractor(EXTRACT_SKIM_BEST), *off = extractor(EXTRACT_SKIM_OFF);
	struct buf b = { 0 };
	adds(&b, "{\"timestamp\":\"2026-10-23T23:04:46Z\",\"modelId\":\"m\",\"input\":{"
		 "\"inputBodyJson\":"
		 "{\"messages\":[{\"text\":");
	string(&b, 200, false);
	adds(&b, "},");
	for (unsigned i = 0; i < levels; i++)
		adds(&b, i % 2 ? "[" : "{\"k\":");
	adds(&b, "12345.5e+7");
	for (unsigned i = levels; i-- > 0;)
		adds(&b, i % 2 ? "]" : "}");
	adds(&b, "]}}}\n");
	for (size_t i = 0; i < b.n; i += piece) {
		size_t k = b.n - i < piece ? b.n - i : piece;
		extract_feed(on, b.p + i, k);
		extract_feed(off, b.p + i, k);
	}
	ok(extract_verdict(on) == extract_verdict(off),
	   "%u levels in pieces of %zu: verdict %d, without the skim %d", levels, piece,
	   extract_verdict(on), extract_verdict(off));
	free(b.p);
	extract_destroy(on);
	extract_destroy(off);
}

/*
 * A \u whose bad hex digit is in the next 64-byte block of the feed, the
 * rest of the feed plain text inside the same string: yajl refuses it.
 */
static void hex_across_blocks(void)
{
	struct extract *on = extractor(EXTRACT_SKIM_BEST), *off = extractor(EXTRACT_SKIM_OFF);
	struct buf b = { 0 };
	adds(&b, "{\"timestamp\":\"2026-10-23T23:04:46Z\",\"modelId\":\"m\",\"input\":{"
		 "\"inputBodyJson\":"
		 "{\"messages\":[{\"text\":\"");
	while (b.n % 64 != 61)
		adds(&b, "a");
	adds(&b, "\\u12G4");
	for (int i = 0; i < 300 || b.n % 64; i++)
		adds(&b, "b"); /* the feed ends on a block's end */
	size_t cut = b.n;
	adds(&b, "\"}]}}}\n");
	extract_feed(on, b.p, cut);
	extract_feed(off, b.p, cut);
	extract_feed(on, b.p + cut, b.n - cut);
	extract_feed(off, b.p + cut, b.n - cut);
	ok(extract_verdict(on) == extract_verdict(off) &&
	       extract_verdict(off) == RECORD_INVALID_JSON,
	   "a bad hex digit across blocks: verdict %d, without the skim %d", extract_verdict(on),
	   extract_verdict(off));
	free(b.p);
	extract_destroy(on);
	extract_destroy(off);
}

int main(void)
{
	random_records(EXTRACT_SKIM_BEST, "the widest vectors");
	random_records(EXTRACT_SKIM_PLAIN, "SSE2 or none");
	hex_across_blocks();
	deep(990, 1 << 16);
	deep(997, 7);
	deep(996, 64);
	deep(1200, 3);
	big_string(1 << 20, 0, "a 1 MiB body string");
	big_string(((size_t)8 << 20) - 4096, 0, "a body string just under 8 MiB");
	big_string(((size_t)8 << 20) + 4096, 0, "a body string just over 8 MiB");
	big_string((size_t)9 << 20, (size_t)5 << 20, "a 9 MiB body string, a bad byte at 5 MiB");
	big_string((size_t)2 << 20, (size_t)1 << 20, "a 2 MiB body string, a bad byte at 1 MiB");
	return tap_done();
}
