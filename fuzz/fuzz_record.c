/*
 * fuzz_record.c - libFuzzer harness for the record extractor (record.h).
 *
 * Input: two header bytes, then the object's decompressed bytes. Header byte
 * 0 sets the largest chunk (1..256 bytes), byte 1 seeds the chunk sizes (0:
 * every chunk is that large; else pseudo-random sizes up to it, with some
 * empty feeds), so that the fuzzer moves the chunk boundaries too.
 *
 * Checked, abort() on failure: line numbers strictly increase and equal
 * record_parser_lines() during the callback; the reject reason is in range
 * and its name a safe message (fuzz_message_ok);
 * every string slice is readable (each byte is copied); a kept timestamp is
 * normalised and a good record has a model and counts in 0..2^53-1; the line
 * count after finish is the number of '\n' plus a last unterminated line; and
 * feeding the whole object at once gives the very same records, on the same
 * parser after it was left mid-object (half the input fed again, no finish)
 * and record_parser_reset().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/read/record.h"
#include "fuzz_common.h"

struct trace {
	unsigned char *p;
	size_t n, cap;
	uint64_t last_line;
	uint64_t records;
};

/* The sink's context: the trace being written, and the parser calling it. */
struct run {
	struct trace *t;
	struct record_parser *parser;
};

static void put(struct trace *t, const void *s, size_t n)
{
	if (t->cap - t->n < n) {
		size_t cap = t->cap ? t->cap : 4096;
		while (cap - t->n < n)
			cap *= 2;
		t->p = realloc(t->p, cap);
		CHECK(t->p);
		t->cap = cap;
	}
	if (n)
		memcpy(t->p + t->n, s, n);
	t->n += n;
}

static void put_str(struct trace *t, struct str s)
{
	CHECK(s.p != NULL);
	put(t, &s.n, sizeof s.n);
	put(t, s.p, s.n);
}

static void sink(void *ctx, const struct record *r)
{
	struct run *run = ctx;
	struct trace *t = run->t;
	/* a document's value is reported at its first line, after the lines it spans; an
	 * event of a CloudWatch page at its place in the page: no order between them */
	CHECK(r->line >= 1);
	CHECK(r->tokens[TOKEN_CACHE_WRITE_1H] <= r->tokens[TOKEN_CACHE_WRITE] ||
	      r->reject != RECORD_OK);
	CHECK((unsigned)r->reject < RECORD_REJECT_COUNT);
	CHECK(fuzz_message_ok(record_reject_name(r->reject))); /* the rejects.csv reason */
	t->last_line = r->line;
	t->records++;

	unsigned char reject = (unsigned char)r->reject;
	put(t, &r->line, sizeof r->line);
	put(t, &reject, 1);
	if (r->reject == RECORD_OK || r->reject == RECORD_MISSING_MODEL_ID ||
	    r->reject == RECORD_BAD_TOKEN_COUNT) {
		CHECK(r->timestamp.nsec >= 0 && r->timestamp.nsec <= 999999999);
		put(t, &r->timestamp.sec, sizeof r->timestamp.sec);
		put(t, &r->timestamp.nsec, sizeof r->timestamp.nsec);
	}
	put_str(t, r->account_id);
	put_str(t, r->caller);
	put_str(t, r->region);
	put_str(t, r->request_id);
	put_str(t, r->operation);
	put_str(t, r->model_id);
	put_str(t, r->inference_region);
	unsigned char error = r->error;
	put(t, &error, 1);
	if (r->reject == RECORD_OK) {
		CHECK(r->model_id.n > 0);
		for (int k = 0; k < TOKEN_KINDS; k++)
			CHECK(r->tokens[k] < (UINT64_C(1) << 53));
		put(t, r->tokens, sizeof r->tokens);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_pieces pieces = fuzz_pieces_take(&data, &size);
	const char *text = (const char *)data;

	uint64_t newlines = 0;
	for (size_t i = 0; i < size; i++)
		newlines += data[i] == '\n';
	uint64_t want_lines = newlines + (size > 0 && data[size - 1] != '\n');

	struct trace chunked = { 0 }, whole = { 0 }, discard = { 0 };
	struct run run = { &chunked, NULL };
	struct record_parser *p = record_parser_create(sink, &run);
	run.parser = p;

	size_t off = 0;
	while (off < size) {
		size_t n = fuzz_piece(&pieces, size - off);
		record_parser_feed(p, text + off, n);
		off += n;
	}
	record_parser_finish(p);
	CHECK(record_parser_lines(p) == want_lines);
	/* (more records than lines: an events page holds one per event) */

	/* the same parser, left mid-object, reset, then the whole object in one feed */
	record_parser_reset(p);
	run.t = &discard;
	record_parser_feed(p, text, size / 2);
	record_parser_reset(p);
	CHECK(record_parser_lines(p) == 0);
	run.t = &whole;
	record_parser_feed(p, text, size);
	record_parser_finish(p);
	CHECK(record_parser_lines(p) == want_lines);
	CHECK(whole.records == chunked.records);
	CHECK(whole.n == chunked.n);
	CHECK(whole.n == 0 || memcmp(whole.p, chunked.p, whole.n) == 0);

	record_parser_destroy(p);
	free(chunked.p);
	free(whole.p);
	free(discard.p);
	return 0;
}
