/*
 * keypaths.h - the key paths extract.c follows, as data: which keys of which
 * object are kept (bedrock-ledger-formats(5), WHAT IS READ: the record's own fields;
 * bedrock-ledger-formats(5), PRICING: the exact body paths of the tier and the 1-hour cache writes;
 * requestMetadata; a CloudWatch events page), and which containers are tracked.
 *
 * Pipeline: record -> extract -> [keypaths]. Internal to extract.c, in a
 * file of its own so that the paths read from a body can be seen at a
 * glance (and audited: nothing else inside a body is looked at).
 */
#ifndef LEDGER_KEYPATHS_H
#define LEDGER_KEYPATHS_H

#include <stdbool.h>
#include <stddef.h>

enum field {
	F_NONE,
	/* the string fields, in the order of extract.strs */
	F_ACCOUNT,
	F_CALLER,
	F_REGION,
	F_REQUEST,
	F_OPERATION,
	F_MODEL,
	F_INFERENCE_REGION,
	F_TIMESTAMP,
	F_ERROR,
	/* token counts, in the order of enum record_token */
	F_TOK_INPUT,
	F_TOK_OUTPUT,
	F_TOK_CACHE_READ,
	F_TOK_CACHE_WRITE,
	/* bedrock-ledger-formats(5), PRICING */
	F_LATENCY,	 /* performanceConfig.latency, top or in the input body */
	F_OUT_TIER,	 /* output.outputBodyJson.serviceTier.type */
	F_IN_TIER,	 /* input.inputBodyJson.serviceTier.type */
	F_CC_1H,	 /* ...usage.cache_creation.ephemeral_1h_input_tokens (path 1) */
	F_STREAM_TYPE,	 /* type of a streamed chunk */
	F_STREAM_1H,	 /* its message.usage.cache_creation.ephemeral_1h_input_tokens (path 2) */
	F_DETAIL_TTL,	 /* ...usage.cacheDetails[i].ttl (path 3) */
	F_DETAIL_TOKENS, /* ...usage.cacheDetails[i].inputTokens */
	F_META_VALUE,	 /* requestMetadata.K for a K asked for */
	F_MESSAGE,	 /* events[i].message */
};

#define STR_FIELDS (F_INFERENCE_REGION - F_ACCOUNT + 1)

enum scope {
	S_TOP,
	S_IDENTITY,
	S_INPUT,
	S_OUTPUT,
	S_META,
	S_PERF,	   /* performanceConfig, top or in the input body */
	S_IN_BODY, /* input.inputBodyJson */
	S_IN_TIER,
	S_OUT_BODY, /* output.outputBodyJson, an object */
	S_OUT_TIER,
	S_USAGE,     /* output.outputBodyJson.usage */
	S_CC,	     /* ...usage.cache_creation */
	S_DETAILS,   /* ...usage.cacheDetails: an array */
	S_DETAIL,    /* one element */
	S_STREAM,    /* output.outputBodyJson, an array of chunks */
	S_CHUNK,     /* one chunk */
	S_CHUNK_MSG, /* chunk.message */
	S_CHUNK_USAGE,
	S_CHUNK_CC,
	S_EVENTS, /* events: an array */
	S_EVENT,  /* one event */
	S_COUNT
};

/* What a key names in its scope: a leaf field, or a scope for an object or an array value. */
struct key_entry {
	const char *name;
	size_t len; /* of name */
	enum field field;
	enum scope object, array; /* S_COUNT: not tracked */
};

/* A tracked container: dense (every value callback on) or sparse (a body's level: keys only). */
struct scope_info {
	const struct key_entry *keys;
	bool sparse;
	enum scope element; /* for an array scope: the scope of its object elements */
};

/* The keys of each scope (S_META: the ones asked for, so none here). */
extern const struct scope_info keypaths_scopes[S_COUNT];

/* The entry of requestMetadata's keys that were asked for (which one: extract.c knows). */
extern const struct key_entry keypaths_meta_value;

/* Indexes the tables for keypaths_find: once per process, before the first find (any thread). */
void keypaths_init(void);

/* The entry for key s (n bytes) in scope sc, or NULL. */
const struct key_entry *keypaths_find(enum scope sc, const unsigned char *s, size_t n);

/* Whether every scope's keys have a slot of their own (else its finds scan the table). */
bool keypaths_indexed(void);

#endif
