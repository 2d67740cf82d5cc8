/*
 * facts.h - counted records become facts: cells of counters keyed by the UTC
 * hour and by every record field that attribution, pricing or a report can
 * need, before anything is attributed or priced.
 *
 * Pipeline: record -> [facts] -> ledger (attribute, price) -> views.
 * A cell's key is a fixed list of byte-string fields (enum fact_field, then
 * one field per requestMetadata key asked for). Two records share a cell
 * only when every price and every report would treat them alike: same hour,
 * modelId as logged, source region, tier, caller, account, inference region,
 * operation and requestMetadata values; same price class (which of the price
 * table's context_over thresholds their context passes, and which of its
 * validity bounds their timestamp has passed); with --tz, the same local
 * hour (a zone whose offset is not whole hours splits each UTC hour in two:
 * the cell's price instant, the later of the UTC and the local hour's start,
 * tells the halves apart); and the same kinds of token
 * present (a price lacking one kind leaves a record unpriced only when it
 * has tokens of that kind). Cost is linear in tokens and exact, so pricing a
 * cell once gives the sum of its records' costs to the last unit: see
 * bedrock-ledger-formats(5), THE LEDGER.
 * Ownership: a fact plan owns its threshold and bound arrays; a fact table
 * owns its cells (one rollup, emptied by the caller when it flushes).
 */
#ifndef LEDGER_FACTS_H
#define LEDGER_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/facts/rollup.h"
#include "ledger/price/prices.h"
#include "ledger/read/record.h"
#include "ledger/support/str.h"
#include "ledger/support/timestamp.h"
#include "ledger/support/tz.h"

/*
 * Cells a worker's fact table holds before they go through the ledger: a
 * few hundred KiB; records of one hour, caller and model come together in
 * one object, so most records find their cell there.
 */
#define FACT_CELLS 1024

/* The key fields of a cell, in key order; FACT_META is the first of nmeta. */
enum fact_field {
	FACT_HOUR,	       /* 8 bytes: the UTC hour, big-endian, biased (byte order = time) */
	FACT_MODEL_ID,	       /* modelId as logged */
	FACT_REGION,	       /* the source region (bedrock-ledger-formats(5), ROUTES) */
	FACT_TIER,	       /* the service tier as read; empty: standard */
	FACT_CONTEXT,	       /* 8 bytes: the least context of the record's price class */
	FACT_PRICE_TIME,       /* 12 bytes: the earliest instant of the hour (and, with --tz, of
				  the local hour) in its price class */
	FACT_KINDS,	       /* 1 byte: bit k set when tokens of kind k are billed */
	FACT_CALLER,	       /* identity.arn as logged */
	FACT_ACCOUNT_ID,       /* accountId */
	FACT_INFERENCE_REGION, /* inferenceRegion */
	FACT_OPERATION,	       /* operation */
	FACT_META,	       /* requestMetadata values of the -g meta: keys, one field each */
};

/* What one run's cells are made of: the meta keys and the price classes. */
struct fact_plan {
	size_t nmeta;
	size_t nfields;	     /* FACT_META + nmeta */
	uint64_t *contexts;  /* the price table's context_over values > 0, ascending, distinct */
	size_t ncontexts;
	struct ts *bounds;   /* its valid_from and valid_to values, ascending, distinct */
	size_t nbounds;
	const struct tz *tz; /* --tz (borrowed), or NULL: cells and days and hours in UTC */
};

/* The plan for a price table and nmeta requestMetadata keys. */
void fact_plan_init(struct fact_plan *p, const struct price_table *prices, size_t nmeta);
void fact_plan_finish(struct fact_plan *p);

/*
 * Splits cells at n more instants (a --state run splits them at the time
 * window's bounds, so that each cell lies wholly inside or outside it).
 */
void fact_plan_add_bounds(struct fact_plan *p, const struct ts *t, size_t n);

/* The name of field f (for the state's columns): "hour", ..., "meta" for every meta field. */
const char *fact_field_name(enum fact_field f);

/*
 * A record's source region (bedrock-ledger-formats(5), ROUTES): its `region`, or
 * when that is absent or empty the region field of its modelId when that is
 * an ARN.
 */
struct str fact_source_region(const struct record *r);

/* Scratch for the fixed-width fields of one key. */
struct fact_key {
	struct str *fields; /* plan->nfields slices */
	unsigned char hour[8], context[8], price_time[12], kinds[1];
};

void fact_key_init(struct fact_key *k, const struct fact_plan *p);
void fact_key_finish(struct fact_key *k);

/* The UTC hour of t, in hours since 1970-01-01T00Z (floored). */
int64_t fact_hour(struct ts t);

/* A record's context: its input, cache-read and cache-write tokens. */
uint64_t fact_record_context(const struct record *r);

/*
 * Fills the class fields of k (hour, context, price time, token kinds) for
 * records of hour h with context `context` at instant t (inside hour h).
 * A stored cell (bedrock-ledger(1), STATE) gets its class under the run's
 * plan this way, from its least context and its first instant.
 */
void fact_key_set_class(struct fact_key *k, const struct fact_plan *p, int64_t h, uint64_t context,
			struct ts t, unsigned kinds);

/*
 * Whether every context from lo to hi is in one context class of p, and
 * every instant from first to last (first <= last) in one hour and one
 * class of p's bounds: what a stored cell must satisfy to be priced as one.
 */
bool fact_one_context_class(const struct fact_plan *p, uint64_t lo, uint64_t hi);
bool fact_one_time_class(const struct fact_plan *p, struct ts first, struct ts last);

/* Fills k with the key of a counted record's cell (slices borrow from r). */
void fact_key_set(struct fact_key *k, const struct fact_plan *p, const struct record *r);

/*
 * Adds a counted record to its cell of t (nfields key fields): invocations,
 * errors, tokens, ignored 1-hour counts, first and last timestamp. Returns
 * the cell (valid until t is cleared).
 */
const struct counters *facts_add(struct rollup *t, const struct fact_key *k,
				 const struct record *r);

/*
 * The record a cell stands for, to attribute and price it as one: its key's
 * fields, its tokens summed, its timestamp the cell's price instant (inside
 * its hour, in the same price class as each of its records) and its context
 * class's least context in *context. Slices borrow from key and c.
 */
void fact_record(const struct fact_plan *p, const struct str *key, const struct counters *c,
		 struct record *r, uint64_t *context);

#endif
