/*
 * extract.h - one JSON value -> the fields of a record (bedrock-ledger-formats(5), WHAT IS READ;
 * bedrock-ledger-formats(5), PRICING), through yajl's SAX interface.
 *
 * Pipeline: record (framing) -> [extract] -> record (struct record).
 * The extractor follows the key path of each value with a small state
 * machine: the fields of bedrock-ledger-formats(5), WHAT IS READ at the top level and in identity,
 * input, output and requestMetadata; and, inside the bodies, only the exact paths of
 * bedrock-ledger-formats(5), PRICING (performanceConfig.latency, serviceTier.type, the 1-hour
 * cache-write counts). Everything else is a skipped subtree during which the
 * callbacks that would make yajl decode strings or numbers are switched off;
 * in a body, only the keys of the levels on those paths are looked at.
 * It also recognises the output of `aws logs get-log-events` (an `events`
 * array of objects with a string `message`) and keeps the messages.
 *
 * Ownership: the extractor owns every string it hands out; they are valid
 * until the next extract_clear, extract_feed or extract_renew.
 */
#ifndef LEDGER_EXTRACT_H
#define LEDGER_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/read/record.h"
#include "ledger/support/str.h"

struct extract;

/* Called when a top-level value has ended, in stream mode (see below). */
typedef void (*extract_value_fn)(void *ctx);

struct extract *extract_create(void);	 /* never NULL: OOM aborts */
void extract_destroy(struct extract *x); /* NULL is a no-op */

/* As record_parser_want_meta. */
void extract_want_meta(struct extract *x, const char *const *keys, size_t n);
/* Keep the messages of a CloudWatch `events` page (off: an events page is a plain value). */
void extract_want_events(struct extract *x, bool on);

/*
 * Line mode (fn NULL, the default): one value per line; a second value
 * fails the parse. Stream mode: values follow each other, and fn is called
 * as each one ends, with the value's fields still readable; the fields are
 * cleared after fn returns.
 */
void extract_set_stream(struct extract *x, extract_value_fn fn, void *ctx);

/*
 * Feeds the next n bytes. Returns false once the parse has failed. A long
 * string that no callback would take is not given to yajl, only checked as
 * yajl would check it (skim.c).
 */
bool extract_feed(struct extract *x, const char *s, size_t n);

/* How long strings are skimmed: the tests compare the ways. */
enum extract_skim {
	EXTRACT_SKIM_BEST,  /* the default: with the widest vectors the processor has */
	EXTRACT_SKIM_PLAIN, /* with SSE2 only, or none */
	EXTRACT_SKIM_OFF,   /* not at all: yajl is given every byte */
};
void extract_set_skim(struct extract *x, enum extract_skim how);

bool extract_failed(const struct extract *x);
/* The parse has begun a value and not finished it. */
bool extract_open(const struct extract *x);

/*
 * The reject reason of bedrock-ledger-formats(5), RECORDS for the value(s) fed since the last
 * clear, or RECORD_OK; then the fields into r (line left alone). A too-large value wins over a
 * syntax error.
 */
enum record_reject extract_verdict(const struct extract *x);
void extract_fill(const struct extract *x, struct record *r);

/* -1: the value is not a CloudWatch events page; else how many messages it holds. */
long extract_event_count(const struct extract *x);
struct str extract_event(const struct extract *x, size_t i);

/* Clears the fields, keeping the parse state (after each line or value). */
void extract_clear(struct extract *x);
/* A fresh yajl handle: after an error, a cancel or a value cut off. */
void extract_renew(struct extract *x);

#endif
