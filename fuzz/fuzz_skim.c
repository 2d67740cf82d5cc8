/*
 * fuzz_skim.c - libFuzzer harness for the skim (src/read/skim.c): long
 * strings no callback reads are not given to yajl, and that must change
 * nothing but speed.
 *
 * Input: two header bytes, then JSON text, one value a line. Header byte 0
 * sets the largest piece (1..256 bytes), byte 1 seeds the piece sizes (0:
 * every piece is that large; else pseudo-random sizes up to it, with some
 * empty feeds); its low bit also asks for a CloudWatch events page's
 * messages. Each line is fed, in the same pieces, to three extractors: one
 * with the widest vectors, one with SSE2 (or none), one that gives yajl
 * every byte.
 *
 * Checked, abort() on failure: after each line, the three agree on whether
 * the parse failed, on the reject reason, and on every field (the strings
 * byte for byte, the counts, the tier, the requestMetadata values asked
 * for, the events).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/read/extract.h"
#include "fuzz_common.h"

static const char *const meta_keys[] = { "app", "team" };

static bool same_str(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* x and y hold the same value, as far as anything downstream can tell. */
static void check_same(const struct extract *x, const struct extract *y)
{
	CHECK(extract_failed(x) == extract_failed(y));
	CHECK(extract_open(x) == extract_open(y));
	enum record_reject v = extract_verdict(x);
	CHECK(v == extract_verdict(y));
	struct record a = { 0 }, b = { 0 };
	extract_fill(x, &a);
	extract_fill(y, &b);
	CHECK(a.error == b.error && a.cache_write_1h_ignored == b.cache_write_1h_ignored);
	CHECK(memcmp(a.tokens, b.tokens, sizeof a.tokens) == 0);
	CHECK(same_str(a.account_id, b.account_id) && same_str(a.caller, b.caller));
	CHECK(same_str(a.region, b.region) && same_str(a.request_id, b.request_id));
	CHECK(same_str(a.operation, b.operation) && same_str(a.model_id, b.model_id));
	CHECK(same_str(a.inference_region, b.inference_region) && same_str(a.tier, b.tier));
	for (size_t i = 0; i < 2; i++)
		CHECK(same_str(a.meta[i], b.meta[i]));
	if (v == RECORD_OK)
		CHECK(memcmp(&a.timestamp, &b.timestamp, sizeof a.timestamp) == 0);
	long events = extract_event_count(x);
	CHECK(events == extract_event_count(y));
	for (long i = 0; i < events; i++)
		CHECK(same_str(extract_event(x, (size_t)i), extract_event(y, (size_t)i)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_pieces pieces = fuzz_pieces_take(&data, &size);
	static const enum extract_skim ways[] = { EXTRACT_SKIM_BEST, EXTRACT_SKIM_PLAIN,
						  EXTRACT_SKIM_OFF };
	struct extract *x[3];
	for (int i = 0; i < 3; i++) {
		x[i] = extract_create();
		extract_want_meta(x[i], meta_keys, 2);
		extract_want_events(x[i], pieces.seed & 1);
		extract_set_skim(x[i], ways[i]);
	}
	const char *text = (const char *)data;
	for (size_t start = 0; start < size;) {
		const char *nl = memchr(text + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - text) + 1 : size;
		for (size_t off = start; off < end;) {
			size_t n = fuzz_piece(&pieces, end - off);
			for (int i = 0; i < 3; i++)
				extract_feed(x[i], text + off, n);
			off += n;
		}
		check_same(x[0], x[2]);
		check_same(x[1], x[2]);
		enum record_reject v = extract_verdict(x[2]);
		for (int i = 0; i < 3; i++) {
			if (v == RECORD_INVALID_JSON || v == RECORD_TOO_LARGE ||
			    extract_failed(x[i]))
				extract_renew(x[i]);
			extract_clear(x[i]);
		}
		start = end;
	}
	for (int i = 0; i < 3; i++)
		extract_destroy(x[i]);
	return 0;
}
