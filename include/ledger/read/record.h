/*
 * record.h - decompressed byte stream -> invocation records.
 *
 * Pipeline: inflate -> [record] -> the worker's policy -> facts.
 *
 * The parser frames the stream (NDJSON lines, or JSON documents over several
 * lines, or the events of a CloudWatch API page: bedrock-ledger(1), WHAT IS
 * READ) and runs each value through yajl's SAX interface (extract.h),
 * keeping the record's own top-level fields and, inside the bodies, only the
 * few values that decide the price (keypaths.h), skipping everything else
 * without storing it. It never holds a whole line: bytes are fed chunk by
 * chunk, of any size, and the result does not depend on where the chunks are
 * cut.
 *
 * A line that starts with a CloudWatch Logs export prefix (a token of digits
 * and "-:.TZ+" that begins with four digits and a dash, or is all digits,
 * followed by one space) is read as the JSON after that prefix.
 *
 * Ownership: the parser owns every string a struct record points to; they are
 * valid only during the sink callback.
 */
#ifndef LEDGER_RECORD_H
#define LEDGER_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/str.h"
#include "ledger/support/timestamp.h"

/*
 * Reject reasons of bedrock-ledger-formats(5), WHAT IS READ, in the order they are checked, after
 * one of our own: a line whose parse would need unbounded memory is not parsed to its end. yajl
 * keeps each token (a string, a number) whole while it lexes it, and a level of nesting costs
 * state: a line holding a token of more than RECORD_MAX_TOKEN bytes, or nesting deeper than
 * RECORD_MAX_DEPTH, is rejected as too-large. Lines themselves may be of any length.
 */
#define RECORD_MAX_TOKEN ((size_t)8 << 20)
#define RECORD_MAX_DEPTH 1000

enum record_reject {
	RECORD_OK = 0,
	RECORD_TOO_LARGE, /* a token over RECORD_MAX_TOKEN bytes, or deeper than RECORD_MAX_DEPTH */
	RECORD_INVALID_JSON,	  /* the line is not one JSON value */
	RECORD_NOT_AN_OBJECT,	  /* one JSON value, but not an object */
	RECORD_MISSING_TIMESTAMP, /* `timestamp` absent or null */
	RECORD_BAD_TIMESTAMP,	  /* present but not a string of the man page's form */
	RECORD_MISSING_MODEL_ID,  /* `modelId` absent, not a string, or "" */
	RECORD_BAD_TOKEN_COUNT,	  /* a count present, not null, not 0..2^53-1 */
	RECORD_REJECT_COUNT
};

/* "invalid-json", "not-an-object", ... as written in rejects.csv. */
const char *record_reject_name(enum record_reject why);

enum record_token {
	TOKEN_INPUT,			     /* input.inputTokenCount */
	TOKEN_OUTPUT,			     /* output.outputTokenCount */
	TOKEN_CACHE_READ,		     /* input.cacheReadInputTokenCount */
	TOKEN_CACHE_WRITE,		     /* input.cacheWriteInputTokenCount: both TTLs */
	TOKEN_LOGGED,			     /* the four above are the record's own counts */
	TOKEN_CACHE_WRITE_1H = TOKEN_LOGGED, /* the part of cache writes with a 1-hour TTL
						(bedrock-ledger-formats(5), PRICING) */
	TOKEN_KINDS
};

/*
 * One non-blank line. `reject` is the first reason of bedrock-ledger-formats(5), WHAT IS READ that
 * applies, or RECORD_OK. The timestamp is valid whenever reject is RECORD_OK,
 * RECORD_MISSING_MODEL_ID or RECORD_BAD_TOKEN_COUNT (so the pipeline can
 * apply the time window before those two checks).
 * String fields are empty slices when absent, null or not strings (accountId
 * also accepts a JSON number and keeps its text). Token counts are 0 when
 * absent or null, and meaningless when reject != RECORD_OK.
 */
struct record {
	uint64_t line; /* 1-based line number in the decompressed object */
	enum record_reject reject;
	struct ts timestamp;
	struct str account_id;	     /* accountId */
	struct str caller;	     /* identity.arn */
	struct str region;	     /* region */
	struct str request_id;	     /* requestId */
	struct str operation;	     /* operation */
	struct str model_id;	     /* modelId */
	struct str inference_region; /* inferenceRegion */
	bool error;		     /* errorCode is a non-empty string */
	uint64_t tokens[TOKEN_KINDS];
	struct str tier;	     /* bedrock-ledger-formats(5), PRICING; empty means standard */
	bool cache_write_1h_ignored; /* a 1-hour count was there, but not a count in range */
	const struct str
	    *meta; /* requestMetadata values of the keys asked for (record_parser_want_meta) */
};

/* Called once for every non-blank line, in line order. */
typedef void (*record_sink_fn)(void *ctx, const struct record *r);

struct record_parser;

/* Never NULL: OOM aborts. */
struct record_parser *record_parser_create(record_sink_fn sink, void *ctx);
/* NULL is a no-op. */
void record_parser_destroy(struct record_parser *p);

/*
 * Asks for requestMetadata.KEY of each of the n keys (string values only;
 * an absent or non-string value is an empty slice): record.meta[i] is the
 * value of keys[i]. The keys are borrowed and must outlive the parser.
 */
void record_parser_want_meta(struct record_parser *p, const char *const *keys, size_t n);

/* Starts a new object: line numbers restart at 1. */
void record_parser_reset(struct record_parser *p);

/* Feeds the next n bytes of the object (any n, including 0). */
void record_parser_feed(struct record_parser *p, const char *buf, size_t n);

/*
 * Ends the object: a last line without a final newline is parsed as if it
 * had one (a cut-off line is then rejected as invalid-json).
 */
void record_parser_finish(struct record_parser *p);

/* Lines seen in the current object so far, blank ones included. */
uint64_t record_parser_lines(const struct record_parser *p);

#endif
